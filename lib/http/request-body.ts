import type { z } from 'zod';
import { HttpError } from './http-error.ts';

const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * The chunks of a request body, counted as they arrive: past `maxBytes` the stream is cancelled
 * and `tooLarge()` thrown, so a body is never held beyond its cap, whatever content-length says
 * (or whether it says anything). A declared length above the cap is refused before reading.
 */
export async function* readBodyChunks(request: Request, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge();
  if (request.body === null) return;
  const reader = request.body.getReader();
  let size = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge();
      yield value;
    }
  } finally {
    // Stopped early (over the cap, or the consumer gave up): stop the sender too.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** The whole request body, at most `maxBytes` of it: `tooLarge()` is thrown as soon as more arrives. */
export async function readBodyCapped(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readBodyChunks(request, maxBytes, tooLarge)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const jsonBodyTooLarge = () => new HttpError(413, 'body_too_large', 'The request body is larger than 64 KB.', 'body');

/** A small JSON request body validated by `schema`; a zod failure surfaces as a 400 naming the field. */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const bytes = await readBodyCapped(request, MAX_JSON_BODY_BYTES, jsonBodyTooLarge);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body must be JSON.', 'body');
  }
  return schema.parse(json);
}
