import 'server-only';
import { getEnv, type Env } from '../env.ts';
import type { SpmResponse } from '../http/api-types.ts';
import { spmRatePerFor } from '../jaeger/spm-answer.ts';
import { createSpmClient, type SpmClient } from '../jaeger/spm-client.ts';
import type { SpmQuery } from '../query/spm-query.ts';
import { resolveWindow } from '../query/window.ts';
import { jaegerConfigFor, jaegerSourceFor } from './sources.ts';

// On globalThis like sources.ts: `next dev` re-evaluates modules, and the minstep answer is cached in the client.
const state: { spm?: { readonly url: string; readonly client: SpmClient } } = ((
  globalThis as { __spanlensSpm?: { spm?: { url: string; client: SpmClient } } }
).__spanlensSpm ??= {});

function spmClientFor(env: Env): SpmClient | null {
  const config = jaegerConfigFor(env);
  if (config === null) return null;
  if (state.spm?.url !== config.baseUrl) {
    state.spm = {
      url: config.baseUrl,
      client: createSpmClient({
        baseUrl: config.baseUrl,
        token: config.token,
        headers: config.headers,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
      }),
    };
  }
  return state.spm.client;
}

const definition = (ratePer: string): string =>
  `SPM: bucket estimates over a trailing rate() window of ${ratePer} ending at the window’s end (Jaeger Monitor tab numbers): ` +
  'histogram_quantile over the spanmetrics buckets, all span kinds together, an error is STATUS_CODE_ERROR only; — = no new span in that trailing window.';

/**
 * SPM's rate, error rate and p50/p95 at the end of the query's window over the longest trailing
 * rate() window Jaeger accepts within it (spm-answer.ts spmRatePerFor): per operation of `service`,
 * or per service for every service Jaeger lists. Not available for uploads, the demo data set, or a
 * Jaeger without a metrics backend; a failing backend is an error (JaegerHttpError with its text).
 */
export async function computeSpm(
  query: SpmQuery,
  context: { readonly nowMs: number; readonly signal?: AbortSignal | undefined },
  env: Env = getEnv(),
): Promise<SpmResponse> {
  if (query.source !== undefined) return { available: false, reason: 'An uploaded file has no Jaeger metrics backend behind it.' };
  const client = spmClientFor(env);
  const source = jaegerSourceFor(env);
  if (client === null || source === null)
    return { available: false, reason: 'No Jaeger is configured (demo data set), so there is no SPM to compare with.' };
  const availability = await client.availability(context.signal);
  if (!availability.available) return availability;
  const window = resolveWindow(query, context.nowMs);
  const ratePer = spmRatePerFor(window.endUs - window.startUs);
  const services = query.service !== undefined ? [query.service] : await source.listServices({ signal: context.signal });
  const rows =
    services.length === 0
      ? []
      : await client.fetchRows({ services, groupByOperation: query.service !== undefined, endMs: window.endUs / 1_000, ratePer }, context.signal);
  return { available: true, service: query.service ?? null, windowEndUs: window.endUs, ratePer, rows, definition: definition(ratePer.label) };
}
