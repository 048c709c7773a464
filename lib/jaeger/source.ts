import type { Aggregator } from '../metrics/aggregator.ts';
import type { MetricName } from '../metrics/registry.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import type { Trace } from './span';

/**
 * What a query asks of a source. Times are µs since the epoch; tag values are strings because both
 * Jaeger APIs compare tag filters as strings (jaeger-api.md §2.4).
 */
export interface TraceSearch {
  readonly service: string;
  readonly operation?: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly startUs: number;
  readonly endUs: number;
  readonly minDurationUs?: number | undefined;
  readonly maxDurationUs?: number | undefined;
  /** Upper bound on traces fetched over the whole window (split across sub-windows). */
  readonly limit: number;
}

export interface FailedSubWindow {
  readonly startUs: number;
  readonly endUs: number;
  readonly reason: string;
}

/** How much of the window the result saw (design §3). */
export interface Coverage {
  readonly api: 'legacy' | 'v3' | 'file';
  readonly tracesFetched: number;
  readonly spansReceived: number;
  readonly subWindows: number;
  /** Sub-windows whose answer was cut at their limit: their counts are samples, not totals. */
  readonly subWindowsAtLimit: number;
  readonly failedSubWindows: readonly FailedSubWindow[];
  readonly upstreamRequests: number;
  /** No sub-window hit its limit and none failed. */
  readonly complete: boolean;
  /** Some sub-windows failed; the rest are returned. */
  readonly partial: boolean;
}

/** The coverage of a search answered in one piece (a file, an in-memory fake): one sub-window, sampled when the limit cut it. */
export function singleSearchCoverage(search: {
  readonly api: Coverage['api'];
  readonly tracesFetched: number;
  readonly spansReceived: number;
  readonly atLimit: boolean;
  readonly upstreamRequests: number;
}): Coverage {
  return {
    api: search.api,
    tracesFetched: search.tracesFetched,
    spansReceived: search.spansReceived,
    subWindows: 1,
    subWindowsAtLimit: search.atLimit ? 1 : 0,
    failedSubWindows: [],
    upstreamRequests: search.upstreamRequests,
    complete: !search.atLimit,
    partial: false,
  };
}

export interface SearchProgress {
  readonly subWindowsDone: number;
  readonly subWindowsPlanned: number;
}

export interface SearchOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: SearchProgress) => void) | undefined;
}

export interface OperationInfo {
  readonly name: string;
  readonly spanKind: string;
}

/**
 * The seam under lib/jaeger: a live Jaeger (either API) and a bundled or uploaded file both answer
 * through this, so the same pipeline serves live, demo and "analyse this export" modes.
 * Traces arrive in batches (one per sub-window, deduplicated by trace ID) so the caller can
 * aggregate and drop them: peak memory follows the sub-window, not the whole window.
 */
export interface TraceSource {
  readonly kind: 'jaeger' | 'file';
  listServices(options?: SearchOptions): Promise<string[]>;
  listOperations(service: string, options?: SearchOptions): Promise<OperationInfo[]>;
  searchTraces(search: TraceSearch, onBatch: (traces: readonly Trace[]) => void, options?: SearchOptions): Promise<Coverage>;
  getTrace(traceId: string, options?: SearchOptions): Promise<Trace | null>;
}

/**
 * A source that aggregates its own traces (file-source.ts `openTraceFile`: a large file parsed on
 * worker threads, whose aggregator states are merged into `into`). It must add to `into` exactly what
 * `searchTraces(search)` + `into.addTrace` would; `job` is what `into` was created with, for the
 * aggregators it makes elsewhere. lib/server/metrics-service.ts uses it where a source has it.
 */
export interface SelfAggregatingSource {
  aggregateSearch(
    search: TraceSearch,
    job: { readonly options: AggregationOptions; readonly include: readonly MetricName[] },
    into: Aggregator<MetricName>,
    options?: SearchOptions,
  ): Promise<Coverage>;
}
