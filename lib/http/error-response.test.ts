import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  JaegerBadResponseError,
  JaegerHttpError,
  JaegerNotConfiguredError,
  JaegerResponseTooLargeError,
  JaegerTimeoutError,
  JaegerUnavailableError,
} from '../jaeger/errors.ts';
import { InvalidQueryError } from '../query/invalid-query-error.ts';
import { errorResponse, mapError } from './error-response.ts';
import { HttpError } from './http-error.ts';

const quiet = () => undefined;

describe('mapError', () => {
  it('answers 400 with the field for an invalid query', () => {
    expect(mapError(new InvalidQueryError('limit', 'limit must be a whole number from 1 to 100000'), quiet)).toEqual({
      status: 400,
      body: { code: 'invalid_query', message: 'limit must be a whole number from 1 to 100000', field: 'limit' },
    });
  });

  it('answers 400 naming the dotted path for a zod failure', () => {
    const error = z.object({ view: z.object({ name: z.string().min(1, 'must not be empty') }) }).safeParse({ view: { name: '' } }).error;
    expect(mapError(error, quiet)).toEqual({
      status: 400,
      body: { code: 'invalid_request', message: 'view.name: must not be empty', field: 'view.name' },
    });
  });

  it.each([
    ['unreachable', new JaegerUnavailableError('http://localhost:16686/api/services'), 502, 'jaeger_unavailable'],
    ['erroring', new JaegerHttpError(500, 'http://j/api/traces', 'boom'), 502, 'jaeger_http_error'],
    ['sending junk', new JaegerBadResponseError('not JSON'), 502, 'jaeger_bad_response'],
    ['answering too much', new JaegerResponseTooLargeError('http://j/api/traces', 256 * 1_048_576), 502, 'jaeger_response_too_large'],
    ['not configured', new JaegerNotConfiguredError(), 502, 'jaeger_not_configured'],
    ['too slow', new JaegerTimeoutError('http://j/api/traces', 15_000), 504, 'jaeger_timeout'],
  ])('passes on Jaeger %s with its own message', (_, error, status, code) => {
    expect(mapError(error, quiet)).toEqual({ status, body: { code, message: error.message } });
  });

  it('answers a route error with its status, code and field', () => {
    expect(mapError(new HttpError(404, 'view_not_found', 'No saved view has the id x.', 'id'), quiet)).toEqual({
      status: 404,
      body: { code: 'view_not_found', message: 'No saved view has the id x.', field: 'id' },
    });
  });

  it.each([
    ['an AbortError', new DOMException('This operation was aborted', 'AbortError')],
    // What Next.js aborts a route's request.signal with when the browser goes away.
    ['Next.js’s ResponseAborted', Object.assign(new Error(), { name: 'ResponseAborted' })],
  ])('answers %s of the client with 499 and logs one short line, no stack', (_, error) => {
    const log = vi.fn();
    expect(mapError(error, log)).toEqual({ status: 499, body: { code: 'request_aborted', message: 'The request was cancelled.' } });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(`Spanlens: an /api request was cancelled by the client (${error.name})`);
  });

  it('logs an unknown error in full and tells the client nothing of it', () => {
    const log = vi.fn();
    const error = new TypeError('secret detail at /srv/app.js:1');
    const mapped = mapError(error, log);
    expect(mapped.status).toBe(500);
    expect(mapped.body.message).not.toContain('secret');
    expect(log).toHaveBeenCalledWith(expect.any(String), error);
  });
});

describe('errorResponse', () => {
  it('answers the one envelope, uncached', async () => {
    const response = errorResponse(new InvalidQueryError('service', 'Choose a service.'));
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: { code: 'invalid_query', message: 'Choose a service.', field: 'service' } });
  });
});
