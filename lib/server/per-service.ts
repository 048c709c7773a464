import type { Coverage } from '../jaeger/source.ts';
import { createAggregator, type MetricsResult } from '../metrics/aggregator.ts';
import type { MetricName } from '../metrics/registry.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import type { QueryWindow } from '../query/pieces.ts';
import { resolveWindow, type ResolvedWindow } from '../query/window.ts';
import type { MetricsRequestContext } from './metrics-service.ts';
import type { ResolvedSource } from './sources.ts';

/**
 * Services searched at once when one answer covers every service (the services home, the service map,
 * `spanlens report` without --service): each search is itself split into sub-windows and bounded by
 * JAEGER_MAX_CONCURRENCY, so this only keeps a 50-service fan-out from queueing all at once.
 */
export const SERVICE_CONCURRENCY = 4;

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

/** Coverage over several searches (one per service): counts add up, complete only when each is. */
export function sumCoverage(coverages: readonly Coverage[], emptyApi: Coverage['api']): Coverage {
  return {
    api: coverages[0]?.api ?? emptyApi,
    tracesFetched: coverages.reduce((n, c) => n + c.tracesFetched, 0),
    spansReceived: coverages.reduce((n, c) => n + c.spansReceived, 0),
    subWindows: coverages.reduce((n, c) => n + c.subWindows, 0),
    subWindowsAtLimit: coverages.reduce((n, c) => n + c.subWindowsAtLimit, 0),
    failedSubWindows: coverages.flatMap((c) => c.failedSubWindows),
    upstreamRequests: coverages.reduce((n, c) => n + c.upstreamRequests, 0),
    complete: coverages.every((c) => c.complete),
    partial: coverages.some((c) => c.partial),
  };
}

interface AcrossServices<N extends MetricName> {
  readonly result: MetricsResult<N>;
  readonly services: readonly string[];
  readonly traces: number;
  readonly coverage: Coverage;
}

/**
 * Every trace of a window, across services, into one aggregator, each trace ID once. Jaeger searches one
 * service at a time, so without `service` every service is searched (SERVICE_CONCURRENCY at a time); a
 * trace holding spans of three services comes back from three searches but must count once, so the
 * dedupe happens before aggregation (summing per-service answers would count such a trace three times).
 */
export async function aggregateAcrossServices<N extends MetricName>(
  request: {
    readonly service: string | undefined;
    readonly startUs: number;
    readonly endUs: number;
    /** Traces per service search. */
    readonly limit: number;
    readonly options: Omit<AggregationOptions, 'windowStartUs' | 'windowEndUs'>;
    readonly include: readonly N[];
  },
  resolved: ResolvedSource,
  signal: AbortSignal | undefined,
): Promise<AcrossServices<N>> {
  const source = resolved.source;
  const services = request.service !== undefined ? [request.service] : await source.listServices({ signal });
  const aggregator = createAggregator({ ...request.options, windowStartUs: request.startUs, windowEndUs: request.endUs }, request.include);
  const seen = new Set<string>();
  const coverages: Coverage[] = [];
  await mapLimited(services, SERVICE_CONCURRENCY, async (service) => {
    const coverage = await source.searchTraces(
      { service, tags: {}, startUs: request.startUs, endUs: request.endUs, limit: request.limit },
      (traces) => {
        for (const trace of traces) {
          if (seen.has(trace.traceId)) continue;
          seen.add(trace.traceId);
          aggregator.addTrace(trace);
        }
      },
      { signal },
    );
    coverages.push(coverage);
  });
  return {
    result: aggregator.finish() as MetricsResult<N>,
    services,
    traces: seen.size,
    coverage: sumCoverage(coverages, source.kind === 'file' ? 'file' : 'legacy'),
  };
}

/** What a request brings to aggregateQueryAcrossServices: now, the server's trace ceiling, its signal. */
export type AcrossServicesContext = Pick<MetricsRequestContext, 'nowMs' | 'maxTraces' | 'signal'>;

/**
 * aggregateAcrossServices for a page's query: its window resolved at `context.nowMs`, only its service
 * searched when it names one, and its `limit` traces per search capped at the server's maxTraces.
 */
export async function aggregateQueryAcrossServices<N extends MetricName>(
  query: { readonly window: QueryWindow; readonly service?: string | undefined; readonly limit?: number | undefined },
  aggregation: { readonly options: Omit<AggregationOptions, 'windowStartUs' | 'windowEndUs'>; readonly include: readonly N[] },
  resolved: ResolvedSource,
  context: AcrossServicesContext,
): Promise<AcrossServices<N> & { readonly window: ResolvedWindow }> {
  const window = resolveWindow(query, context.nowMs);
  const limit = Math.min(query.limit ?? context.maxTraces, context.maxTraces);
  const aggregated = await aggregateAcrossServices({ service: query.service, ...window, limit, ...aggregation }, resolved, context.signal);
  return { ...aggregated, window };
}
