import 'server-only';
import { getEnv } from '../env.ts';
import type { HealthResponse } from '../http/api-types.ts';
import { jaegerSourceFor, resolveSource } from './sources.ts';

const HEALTH_TIMEOUT_MS = 3_000;

/** Which source answers, and whether the configured Jaeger answers /api/services within 3 s. */
export async function checkHealth(source: string | undefined): Promise<HealthResponse> {
  const env = getEnv();
  const jaeger = jaegerSourceFor(env);
  const resolved = await resolveSource(source, env);
  if (!jaeger) return { source: resolved.info, jaeger: { configured: false } };
  const started = performance.now();
  try {
    await jaeger.client.listServices({ signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return { source: resolved.info, jaeger: { configured: true, reachable: true, message: null, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    const message = error instanceof Error && error.name !== 'TimeoutError' ? error.message : `Jaeger did not answer within ${HEALTH_TIMEOUT_MS} ms.`;
    return { source: resolved.info, jaeger: { configured: true, reachable: false, message, latencyMs: null } };
  }
}
