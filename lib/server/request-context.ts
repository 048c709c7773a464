import { getEnv } from '../env.ts';

/**
 * What a route hands a computation from its request: now, the server's ceiling on traces per query
 * (JAEGER_MAX_TRACES), how long a finished answer may be reused (JAEGER_CACHE_TTL_MS, for the shared
 * computations) and the request's signal, so a client leaving cancels its Jaeger calls.
 */
export function requestContext(request: Request): {
  readonly nowMs: number;
  readonly maxTraces: number;
  readonly resultCacheTtlMs: number;
  readonly signal: AbortSignal;
} {
  const env = getEnv();
  return { nowMs: Date.now(), maxTraces: env.JAEGER_MAX_TRACES, resultCacheTtlMs: env.JAEGER_CACHE_TTL_MS, signal: request.signal };
}
