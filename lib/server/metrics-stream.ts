import type { ApiErrorBody, MetricsResponse, MetricsStreamLine } from '../http/api-types.ts';
import { mapError } from '../http/error-response.ts';
import type { SearchProgress } from '../jaeger/source.ts';

type ErrorLine = { readonly type: 'error'; readonly status: number; readonly error: ApiErrorBody };

/**
 * An NDJSON answer: `run` sends its progress lines as they happen and returns the final line. The
 * status is already 200 once the first byte is out, so a failure after that travels in-band, as an
 * `error` line with the status it would have had.
 */
export function ndjsonResponse<Line extends { readonly type: string }>(run: (send: (line: Line) => void) => Promise<Line>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (line: Line | ErrorLine) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        } catch {
          open = false; // the browser went away; the computation ends on its own abort signal
        }
      };
      try {
        send(await run(send));
      } catch (error) {
        const { status, body: errorBody } = mapError(error);
        send({ type: 'error', status, error: errorBody });
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}

/** NDJSON for `/api/metrics?stream=1`: a progress line per finished sub-window, then one result or error line. */
export function metricsStreamResponse(run: (onProgress: (progress: SearchProgress) => void) => Promise<MetricsResponse>): Response {
  return ndjsonResponse<MetricsStreamLine>(async (send) => ({
    type: 'result',
    data: await run((progress) => send({ type: 'progress', subWindowsDone: progress.subWindowsDone, subWindowsPlanned: progress.subWindowsPlanned })),
  }));
}
