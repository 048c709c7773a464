import { ZodError } from 'zod';
import { JaegerError, JaegerTimeoutError } from '../jaeger/errors.ts';
import { InvalidQueryError } from '../query/invalid-query-error.ts';
import type { ApiErrorBody, ApiErrorEnvelope } from './api-types.ts';
import { HttpError } from './http-error.ts';
import { logServerError } from './redact-url.ts';

export interface MappedError {
  readonly status: number;
  readonly body: ApiErrorBody;
}

/**
 * Every error a route can meet, as a status and the one envelope (house style §8): bad input 400
 * with the field; Jaeger unreachable, erroring or sending junk 502; Jaeger too slow 504; anything
 * else 500, logged in full here (URLs redacted: lib/http/redact-url.ts) and answered with a sentence
 * that leaks nothing.
 */
export function mapError(error: unknown, log: (...args: unknown[]) => void = logServerError): MappedError {
  if (error instanceof InvalidQueryError) {
    return { status: 400, body: { code: error.code, message: error.message, field: error.field } };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.') || 'body';
    return { status: 400, body: { code: 'invalid_request', message: `${field}: ${issue?.message ?? 'is not valid'}`, field } };
  }
  if (error instanceof HttpError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.field !== undefined && { field: error.field }) } };
  }
  if (error instanceof JaegerTimeoutError) return { status: 504, body: { code: error.code, message: error.message } };
  if (error instanceof JaegerError) return { status: 502, body: { code: error.code, message: error.message } };
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'ResponseAborted')) {
    // The browser went away (new query, closed tab): nobody reads this answer. Next.js aborts the
    // request's signal with its own `ResponseAborted`; that is no fault, so one line, not a stack.
    log(`Spanlens: an /api request was cancelled by the client (${error.name})`);
    return { status: 499, body: { code: 'request_aborted', message: 'The request was cancelled.' } };
  }
  log('Spanlens: unexpected error while answering an /api request', error);
  return {
    status: 500,
    body: { code: 'internal_error', message: 'Spanlens failed unexpectedly (not a Jaeger error); the server log has the details.' },
  };
}

const NO_STORE = { 'cache-control': 'no-store' };

export function errorResponse(error: unknown): Response {
  const { status, body } = mapError(error);
  const envelope: ApiErrorEnvelope = { error: body };
  return Response.json(envelope, { status, headers: NO_STORE });
}

/** Every /api answer is computed per request from live data: no shared cache may keep it. */
export function jsonResponse(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: NO_STORE });
}
