import { ApiError, errorFromResponse } from './api-error.ts';

/** The non-empty lines of an NDJSON body as they arrive (a line split across chunks is joined first). */
async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line !== '') yield line;
      newline = buffered.indexOf('\n');
    }
    if (done) break;
  }
  if (buffered.trim() !== '') yield buffered.trim();
}

/**
 * `GET path?params&stream=1` and its NDJSON lines, parsed, as they arrive. A server that cannot be
 * reached and an error status before streaming become ApiErrors; the caller's own abort escapes as is.
 */
export async function* streamNdjson<Line>(path: string, params: string, signal?: AbortSignal): AsyncGenerator<Line> {
  let response: Response;
  try {
    response = await fetch(`${path}?${params}${params === '' ? '' : '&'}stream=1`, { signal, headers: { accept: 'application/x-ndjson' } });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, { code: 'network_error', message: 'The Spanlens server could not be reached; check that it is running.' });
  }
  if (!response.ok || response.body === null) throw await errorFromResponse(response);
  for await (const line of readLines(response.body)) yield JSON.parse(line) as Line;
}
