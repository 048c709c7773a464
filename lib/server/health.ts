import 'server-only';
import { getEnv } from '../env.ts';
import type { HealthResponse } from '../http/api-types.ts';
import { createJaegerClient, type JaegerClient } from '../jaeger/client.ts';
import { JaegerUnrecognizedResponseError } from '../jaeger/errors.ts';
import { jaegerConfigFor, resolveSource } from './sources.ts';

const HEALTH_TIMEOUT_MS = 3_000;

interface HealthState {
  probe?: { readonly url: string; readonly client: JaegerClient };
}
const state: HealthState = ((globalThis as { __spanlensHealth?: HealthState }).__spanlensHealth ??= {});

/**
 * Which source answers, and whether the configured Jaeger answers /api/services within 3 s with a
 * service list that is recognisably Jaeger's: a 200 from something else (an auth proxy's JSON, another
 * service) is "not reachable", and the message says it is not Jaeger. The probe has its own uncached
 * client: the query client's TTL cache would report a Jaeger that just went down as reachable for
 * JAEGER_CACHE_TTL_MS.
 */
export async function checkHealth(source: string | undefined): Promise<HealthResponse> {
  const env = getEnv();
  const resolved = await resolveSource(source, env);
  const config = jaegerConfigFor(env);
  if (config === null) return { source: resolved.info, jaeger: { configured: false } };
  if (state.probe?.url !== config.baseUrl) state.probe = { url: config.baseUrl, client: createJaegerClient({ ...config, cacheTtlMs: 0 }) };
  const started = performance.now();
  try {
    await state.probe.client.listServices({ signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return {
      source: resolved.info,
      jaeger: { configured: true, reachable: true, message: null, latencyMs: Math.round(performance.now() - started) },
    };
  } catch (error) {
    const message =
      error instanceof JaegerUnrecognizedResponseError
        ? `Something answers at JAEGER_URL, but not as Jaeger's query API: ${error.detail}`
        : error instanceof Error && error.name !== 'TimeoutError'
          ? error.message
          : `Jaeger did not answer within ${HEALTH_TIMEOUT_MS} ms.`;
    return { source: resolved.info, jaeger: { configured: true, reachable: false, message, latencyMs: null } };
  }
}
