import type { ApiErrorBody, OverviewResponse, OverviewServiceRow, OverviewSpan, OverviewStreamLine, OverviewTotals } from '../http/api-types.ts';
import { mapError } from '../http/error-response.ts';
import type { Span, Trace } from '../jaeger/span.ts';
import type { TraceSource } from '../jaeger/source.ts';
import { buildSpanLink } from '../links/jaeger-links.ts';
import { quantileBounds } from '../metrics/compare.ts';
import { durationStats } from '../metrics/percentiles.ts';
import { toSlowSpan } from '../metrics/slowest.ts';
import { createSpanMatcher, isErrorSpan } from '../metrics/span-match.ts';
import type { MetricName } from '../metrics/registry.ts';
import { serializeQuery, type OverviewQuery } from '../query/dashboard-query.ts';
import { resolveWindow } from '../query/window.ts';
import { computeMetrics, type MetricsRequestContext } from './metrics-service.ts';
import { ndjsonResponse } from './metrics-stream.ts';
import { mapLimited, SERVICE_CONCURRENCY } from './per-service.ts';
import type { ResolvedSource } from './sources.ts';

/** Traces fetched per service when the query gives no `limit`: 50 services stay ≤ 25,000 traces. */
export const OVERVIEW_TRACES_PER_SERVICE = 500;
/** Rows in the cross-service lists. */
export const OVERVIEW_LIST_LIMIT = 10;

const INCLUDE: readonly MetricName[] = ['groups', 'slowest', 'errors'];

export interface OverviewRequestContext extends Omit<MetricsRequestContext, 'onProgress'> {
  /** Called once per service as its sample completes, in completion order. */
  readonly onService?: ((row: OverviewServiceRow, done: number, total: number) => void) | undefined;
  /** Called once the service list is known, before any row. */
  readonly onServices?: ((services: readonly string[]) => void) | undefined;
}

/** What one service's search adds to the whole-system numbers: every counted duration and its newest error spans. */
interface Tap {
  readonly durationsUs: number[];
  latestErrors: OverviewSpan[];
}

/**
 * A source that hands every batch of `service`'s search to `tap` as well: the very spans computeMetrics
 * counts (same matcher, lib/metrics/span-match.ts), so the whole-system percentiles are exact over the
 * union of every service's counted spans. A span belongs to one service, so no span is counted twice
 * even when one trace comes back from several services' searches. Without `aggregateSearch` the
 * source is searched, never self-aggregated (a large upload is then read on one thread).
 */
function tappedSource(inner: TraceSource, onTrace: (trace: Trace) => void): TraceSource {
  return {
    kind: inner.kind,
    listServices: (options) => inner.listServices(options),
    listOperations: (service, options) => inner.listOperations(service, options),
    getTrace: (traceId, options) => inner.getTrace(traceId, options),
    searchTraces: (search, onBatch, options) =>
      inner.searchTraces(
        search,
        (traces) => {
          for (const trace of traces) onTrace(trace);
          onBatch(traces);
        },
        options,
      ),
  };
}

function toOverviewSpan(span: Span, error: boolean, jaegerUiUrl: string | null): OverviewSpan {
  return { ...toSlowSpan(span, error), jaegerUrl: buildSpanLink(jaegerUiUrl, span.traceId, span.spanId) };
}

const newestFirst = (a: OverviewSpan, b: OverviewSpan) =>
  b.startUs - a.startUs || a.traceId.localeCompare(b.traceId) || a.spanId.localeCompare(b.spanId);

/** One service: computeMetrics grouped by service, plus the tap's durations and latest errors. */
async function overviewOfService(
  service: string,
  query: OverviewQuery,
  resolved: ResolvedSource,
  context: OverviewRequestContext,
  limit: number,
  window: { startUs: number; endUs: number },
): Promise<{ row: OverviewServiceRow; tap: Tap | null; metrics: Awaited<ReturnType<typeof computeMetrics>> | null; failure?: unknown }> {
  const tap: Tap = { durationsUs: [], latestErrors: [] };
  const matches = createSpanMatcher({ service, windowStartUs: window.startUs, windowEndUs: window.endUs });
  const onTrace = (trace: Trace) => {
    for (const span of trace.spans) {
      if (!matches(span)) continue;
      tap.durationsUs.push(span.durationUs);
      if (isErrorSpan(span, false)) tap.latestErrors.push(toOverviewSpan(span, true, resolved.jaegerUiUrl));
    }
    // Bounded while streaming: only the newest few error spans are kept.
    if (tap.latestErrors.length > 4 * OVERVIEW_LIST_LIMIT) tap.latestErrors = tap.latestErrors.sort(newestFirst).slice(0, OVERVIEW_LIST_LIMIT);
  };
  try {
    const metrics = await computeMetrics(
      {
        ...(query.source !== undefined && { source: query.source }),
        service,
        window: query.window,
        tags: {},
        clientErrors: false,
        groupBy: ['service'],
        limit,
        include: INCLUDE,
        ...(query.baseline !== undefined && { baseline: query.baseline }),
      },
      { ...resolved, source: tappedSource(resolved.source, onTrace) },
      { nowMs: context.nowMs, maxTraces: context.maxTraces, signal: context.signal },
    );
    const group = metrics.groups?.find((g) => g.service === service);
    const d = group?.durations;
    tap.latestErrors = tap.latestErrors.sort(newestFirst).slice(0, OVERVIEW_LIST_LIMIT);
    return {
      tap,
      metrics,
      row: {
        service,
        count: group?.count ?? 0,
        errorCount: group?.errorCount ?? 0,
        errorRate: group?.errorRate ?? 0,
        ratePerSecond: group?.ratePerSecond ?? 0,
        n: d?.count ?? 0,
        p50Us: d && d.count > 0 ? d.p50.valueUs : null,
        p95Us: d && d.count > 0 ? d.p95.valueUs : null,
        p99Us: d && d.count > 0 ? d.p99.valueUs : null,
        durations: d && d.count > 0 ? d : null,
        timeline: (group?.timeline ?? []).map((point) => ({
          startUs: point.startUs,
          count: point.count,
          p95Us: point.p95Us,
          errorRate: point.count > 0 ? point.errorCount / point.count : null,
        })),
        coverage: { ...metrics.coverage, limit },
        jaegerUrl: group?.jaegerUrl ?? metrics.jaegerSearchUrl,
        error: null,
        ...(group?.comparisonBounds && { comparisonBounds: group.comparisonBounds }),
      },
    };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const body: ApiErrorBody = mapError(error).body;
    return {
      tap: null,
      metrics: null,
      failure: error,
      row: {
        service,
        count: 0,
        errorCount: 0,
        errorRate: 0,
        ratePerSecond: 0,
        n: 0,
        p50Us: null,
        p95Us: null,
        p99Us: null,
        durations: null,
        timeline: [],
        coverage: null,
        jaegerUrl: null,
        error: body,
      },
    };
  }
}

/**
 * The services home (`/api/overview`): every service of the source, each `computeMetrics` grouped by
 * service with `groups`, `slowest` and `errors` over the same window and a per-service trace budget
 * (`limit`, default OVERVIEW_TRACES_PER_SERVICE, never above JAEGER_MAX_TRACES), at most
 * SERVICE_CONCURRENCY services at a time. A service whose search fails gets a row naming the
 * error; the others still count. Totals: counts and rates add up; p50/p95/p99 are exact nearest rank
 * over the union of every service's counted durations (one more sort, not a mean of percentiles).
 */
export async function computeOverview(query: OverviewQuery, resolved: ResolvedSource, context: OverviewRequestContext): Promise<OverviewResponse> {
  const window = resolveWindow(query, context.nowMs);
  const limit = Math.min(query.limit ?? OVERVIEW_TRACES_PER_SERVICE, context.maxTraces);
  const services = [...(await resolved.source.listServices({ signal: context.signal }))].sort((a, b) => a.localeCompare(b));
  context.onServices?.(services);

  let done = 0;
  const results = await mapLimited(services, SERVICE_CONCURRENCY, async (service) => {
    const result = await overviewOfService(service, query, resolved, context, limit, window);
    done += 1;
    context.onService?.(result.row, done, services.length);
    return result;
  });

  const rows = results.map((r) => r.row);
  const answered = results.filter((r) => r.metrics !== null);
  if (services.length > 0 && answered.length === 0) {
    // Every search failed: that is the answer's error, not an empty home.
    throw results[0]?.failure;
  }

  const durations = Float64Array.from(answered.flatMap((r) => r.tap?.durationsUs ?? [])).sort();
  const count = rows.reduce((n, r) => n + r.count, 0);
  const errorCount = rows.reduce((n, r) => n + r.errorCount, 0);
  const windowSeconds = (window.endUs - window.startUs) / 1_000_000;
  const stats = durations.length > 0 ? durationStats(durations) : null;
  const totals: OverviewTotals = {
    services: services.length,
    count,
    errorCount,
    errorRate: count > 0 ? errorCount / count : 0,
    ratePerSecond: windowSeconds > 0 ? count / windowSeconds : 0,
    n: durations.length,
    p50Us: stats?.p50.valueUs ?? null,
    p95Us: stats?.p95.valueUs ?? null,
    p99Us: stats?.p99.valueUs ?? null,
    durations: stats,
    estimated: rows.some((r) => r.coverage !== null && !r.coverage.complete),
    percentileRule:
      'Exact nearest rank over the union of every service’s counted spans (all durations sorted together), not an average of per-service percentiles.',
    ...(query.baseline !== undefined && durations.length > 0 && { comparisonBounds: quantileBounds(durations) }),
  };

  const slowest = answered
    .flatMap((r) => r.metrics?.slowest ?? [])
    .sort((a, b) => b.durationUs - a.durationUs || a.traceId.localeCompare(b.traceId) || a.spanId.localeCompare(b.spanId))
    .slice(0, OVERVIEW_LIST_LIMIT);
  const latestErrors = answered
    .flatMap((r) => r.tap?.latestErrors ?? [])
    .sort(newestFirst)
    .slice(0, OVERVIEW_LIST_LIMIT);
  const errorGroups = answered
    .flatMap((r) => r.metrics?.errors ?? [])
    .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation))
    .slice(0, OVERVIEW_LIST_LIMIT);

  return {
    source: resolved.info,
    query: serializeQuery(query),
    windowStartUs: window.startUs,
    windowEndUs: window.endUs,
    limitPerService: limit,
    services: rows,
    totals,
    slowest,
    latestErrors,
    errorGroups,
  };
}

/**
 * NDJSON for `/api/overview?stream=1`: the service list, a `service` line per service as its sample
 * completes (so a page with 50 services shows rows long before the last), then one `result` or
 * `error` line. Once the first byte is out the status is 200, so a failure travels in-band.
 */
export function overviewStreamResponse(
  run: (context: Pick<OverviewRequestContext, 'onService' | 'onServices'>) => Promise<OverviewResponse>,
): Response {
  return ndjsonResponse<OverviewStreamLine>(async (send) => ({
    type: 'result',
    data: await run({
      onServices: (services) => send({ type: 'services', services }),
      onService: (row, done, total) => send({ type: 'service', row, done, total }),
    }),
  }));
}
