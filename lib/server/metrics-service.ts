import type { MetricsDefinitions, MetricsResponse } from '../http/api-types.ts';
import type { SearchProgress, SelfAggregatingSource, TraceSearch } from '../jaeger/source.ts';
import { buildSearchLink, buildSpanLink } from '../links/jaeger-links.ts';
import { createAggregator, type Aggregator, type PartialMetricsResult } from '../metrics/aggregator.ts';
import { MISSING_TAG_VALUE } from '../metrics/groups.ts';
import { isFoldedName } from '../metrics/name-folding.ts';
import { METRICS, type MetricName } from '../metrics/registry.ts';
import type { AggregationOptions, GroupMetrics } from '../metrics/types.ts';
import { serializeQuery, type DataQuery, type MetricsQuery } from '../query/dashboard-query.ts';
import { InvalidQueryError } from '../query/invalid-query-error.ts';
import { resolveWindow } from '../query/window.ts';
import type { ResolvedSource } from './sources.ts';

export interface MetricsRequestContext {
  readonly nowMs: number;
  /** The server's ceiling on traces per query (JAEGER_MAX_TRACES); a larger `limit` is lowered to it. */
  readonly maxTraces: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: SearchProgress) => void) | undefined;
}

const SLOWEST_LIMIT = 50;

export function metricsDefinitions(clientErrorsFrom4xx: boolean, include: readonly MetricName[]): MetricsDefinitions {
  return {
    errorRule:
      'A span is an error when its tag error is true (bool or "true"), its otel.status_code is ERROR, ' +
      'or it is a server span with HTTP status 500 or more' +
      (clientErrorsFrom4xx ? '; client spans with HTTP status 400 or more count too.' : '. Client 4xx answers do not count.'),
    clientErrorsFrom4xx,
    percentileRule:
      'Exact nearest-rank percentiles: the ⌈q·n⌉-th smallest duration of the group, no histogram buckets. ' +
      'The 95% interval is the pair of order statistics at the binomial ranks around q·n; it is absent when n is too small.',
    metrics: Object.fromEntries(include.map((name) => [name, METRICS[name].definition])),
  };
}

/** The search the query asks of the source; `service` is required because Jaeger searches one service at a time. */
export function traceSearchFor(
  query: Pick<DataQuery, 'service' | 'window' | 'tags' | 'operation' | 'minDurationUs' | 'maxDurationUs' | 'limit'> & {
    readonly fold?: true | undefined;
  },
  context: Pick<MetricsRequestContext, 'nowMs' | 'maxTraces'>,
): TraceSearch {
  if (query.service === undefined) {
    throw new InvalidQueryError('service', 'Choose a service: Jaeger searches one service at a time.');
  }
  const window = resolveWindow(query, context.nowMs);
  return {
    service: query.service,
    // A folded name (`GET /items/{id}`) is no operation Jaeger has: search the service, the matcher folds (span-match.ts).
    operation: query.fold && query.operation !== undefined && isFoldedName(query.operation) ? undefined : query.operation,
    tags: query.tags,
    startUs: window.startUs,
    endUs: window.endUs,
    minDurationUs: query.minDurationUs,
    maxDurationUs: query.maxDurationUs,
    limit: Math.min(query.limit ?? context.maxTraces, context.maxTraces),
  };
}

/**
 * Which spans a query counts, for every computation over its search (the metrics, BubbleUp): the search's
 * service, window, tags and duration bounds, and the query's own operation — a folded name (`fold=1`) is not
 * sent to Jaeger (traceSearchFor leaves it out) but still narrows the counted spans, matched by folding.
 */
export function countedSpansOptions(
  query: Pick<DataQuery, 'operation' | 'clientErrors'> & { readonly fold?: true | undefined },
  search: TraceSearch,
): Required<Pick<AggregationOptions, 'service' | 'foldNames' | 'windowStartUs' | 'windowEndUs' | 'clientErrorsFrom4xx'>> &
  Pick<AggregationOptions, 'operation' | 'tags' | 'minDurationUs' | 'maxDurationUs'> {
  return {
    service: search.service,
    operation: query.operation,
    foldNames: query.fold === true,
    tags: search.tags,
    minDurationUs: search.minDurationUs,
    maxDurationUs: search.maxDurationUs,
    windowStartUs: search.startUs,
    windowEndUs: search.endUs,
    clientErrorsFrom4xx: query.clientErrors,
  };
}

/**
 * The one metrics service: query → source.searchTraces (batches, one per sub-window) → one streaming
 * aggregator of the metric sets the query includes → the response with Jaeger links. `/api/metrics`
 * and `spanlens report` both call it, so the CLI and the dashboard agree by construction. Batches are
 * aggregated as they arrive and dropped, so memory follows the sub-window, not the whole window (design §8).
 */
export async function computeMetrics(query: MetricsQuery, resolved: ResolvedSource, context: MetricsRequestContext): Promise<MetricsResponse> {
  const search = traceSearchFor(query, context);
  const options: AggregationOptions = {
    ...countedSpansOptions(query, search),
    groupBy: query.groupBy,
    slowestLimit: SLOWEST_LIMIT,
    // Either window of a comparison (lib/server/compare-service.ts) keeps the baseline in its query.
    compareBounds: query.baseline !== undefined,
  };
  const aggregator: Aggregator<MetricName> = createAggregator(options, query.include);
  const searchOptions = { signal: context.signal, onProgress: context.onProgress };
  const selfAggregating = (resolved.source as Partial<SelfAggregatingSource>).aggregateSearch;
  const coverage =
    selfAggregating !== undefined
      ? await selfAggregating.call(resolved.source, search, { options, include: query.include }, aggregator, searchOptions)
      : await resolved.source.searchTraces(
          search,
          (traces) => {
            for (const trace of traces) aggregator.addTrace(trace);
          },
          searchOptions,
        );
  const result: PartialMetricsResult = aggregator.finish();
  const ui = resolved.jaegerUiUrl;
  const searchLink = (group?: GroupMetrics) => buildSearchLink(ui, groupSearch(search, group));
  const { groups, slowest, errors, ...rest } = result;

  return {
    ...rest,
    include: query.include,
    source: resolved.info,
    query: serializeQuery(query),
    coverage,
    definitions: metricsDefinitions(query.clientErrors, query.include),
    jaegerSearchUrl: searchLink(),
    ...(groups && { groups: groups.map((group) => ({ ...group, jaegerUrl: searchLink(group) })) }),
    ...(slowest && { slowest: slowest.map((span) => ({ ...span, jaegerUrl: buildSpanLink(ui, span.traceId, span.spanId) })) }),
    ...(errors && {
      errors: errors.map((group) => ({
        ...group,
        examples: group.examples.map((example) => ({ ...example, jaegerUrl: buildSpanLink(ui, example.traceId, example.spanId) })),
      })),
    }),
  };
}

/** A group's own Jaeger search: the query narrowed to the group's service, operation and tag values. */
function groupSearch(search: TraceSearch, group: GroupMetrics | undefined) {
  const tags: Record<string, string> = { ...search.tags };
  for (const [key, value] of Object.entries(group?.tags ?? {})) {
    // Jaeger search cannot ask for a missing tag; and it matches process tags by their bare key.
    if (value !== MISSING_TAG_VALUE) tags[key.startsWith('process.') ? key.slice('process.'.length) : key] = value;
  }
  return {
    service: group?.service ?? search.service,
    // A group of folded names is no single Jaeger operation: its link searches the query's operation instead.
    operation: group !== undefined && (group.foldedNames ?? 0) === 0 ? (group.operation ?? search.operation) : search.operation,
    tags,
    startUs: search.startUs,
    endUs: search.endUs,
    minDurationUs: search.minDurationUs,
    maxDurationUs: search.maxDurationUs,
    limit: search.limit,
  };
}
