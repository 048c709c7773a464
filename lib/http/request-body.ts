import type { z } from 'zod';
import { HttpError } from './http-error.ts';

const MAX_JSON_BODY_BYTES = 64 * 1024;

/** A small JSON request body validated by `schema`; a zod failure surfaces as a 400 naming the field. */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const text = await request.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw new HttpError(413, 'body_too_large', 'The request body is larger than 64 KB.', 'body');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body must be JSON.', 'body');
  }
  return schema.parse(json);
}
