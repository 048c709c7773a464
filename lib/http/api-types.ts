/**
 * The JSON every /api route answers, shared by the route handlers (lib/server) and the browser
 * (lib/api-client) so both sides read one definition. Pure types.
 */
import type { Coverage, OperationInfo } from '../jaeger/source.ts';

export type { Coverage };
import type { PartialMetricsResult } from '../metrics/aggregator.ts';
import type { MetricName, MetricsOf } from '../metrics/registry.ts';
import type {
  ClockSkewFindings,
  ErrorGroup,
  GroupMetrics,
  LlmMismatch,
  LlmModelRow,
  PropagationBreak,
  QualityDistribution,
  QualityExample,
  QuantileBounds,
  ServiceQuality,
  SlowSpan,
  UnlocatedContextLoss,
} from '../metrics/types.ts';
import type { QUALITY_DEFINITIONS } from '../metrics/trace-quality.ts';
import type { COMPARISON_DEFINITIONS, RowComparison } from '../metrics/compare.ts';
import type { SpmRow } from '../metrics/spm-comparison.ts';

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  /** The request param at fault; always present on a 400. */
  readonly field?: string;
}

/** The one error envelope of every route (house style §8). */
export interface ApiErrorEnvelope {
  readonly error: ApiErrorBody;
}

/** live = a configured Jaeger; demo = the bundled data set (JAEGER_URL unset); upload = `source=upload:ID`. */
export type SourceMode = 'live' | 'demo' | 'upload';

export interface SourceInfo {
  readonly mode: SourceMode;
  /** What the page shows as the data's origin: the Jaeger URL, "Demo data set" or the uploaded file name. */
  readonly label: string;
}

export interface ServicesResponse {
  readonly source: SourceInfo;
  readonly services: readonly string[];
}

export interface OperationsResponse {
  readonly source: SourceInfo;
  readonly service: string;
  readonly operations: readonly OperationInfo[];
}

export interface TagKey {
  /** Span tag key, or `process.<key>` for a process (resource) tag, exactly as groupBy=tag:KEY takes it. */
  readonly key: string;
  /** Spans of the service that carried it in the sample. */
  readonly spans: number;
  /** Distinct values seen, capped at 1000. */
  readonly distinctValues: number;
}

export interface TagKeysResponse {
  readonly source: SourceInfo;
  readonly service: string;
  readonly keys: readonly TagKey[];
  /** Spans of the service the keys were read from (a recent sample, not the whole history). */
  readonly spansSampled: number;
}

export interface HealthResponse {
  readonly source: SourceInfo;
  readonly jaeger:
    | { readonly configured: false }
    | { readonly configured: true; readonly reachable: boolean; readonly message: string | null; readonly latencyMs: number | null };
}

export type WithLink<T> = T & {
  /** Jaeger UI deep link (lib/links); null when an ID is not hex or no UI URL is known (demo, upload). */
  readonly jaegerUrl: string | null;
};

export interface MetricsDefinitions {
  readonly errorRule: string;
  readonly clientErrorsFrom4xx: boolean;
  readonly percentileRule: string;
  /** What each computed metric set means, by name. */
  readonly metrics: Readonly<Partial<Record<MetricName, string>>>;
}

/** What a view with a baseline (`baseline=`, `baselineStart`/`baselineEnd`) was compared with (lib/metrics/compare.ts). */
export interface BaselineInfo {
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** The baseline window's own search coverage (on the services home: summed over the services). */
  readonly coverage: Coverage;
  /** How each Δ interval is computed, when a change is flagged, and the regression order. */
  readonly definitions: typeof COMPARISON_DEFINITIONS;
}

/** A row with its comparison against the baseline; only with a baseline, null when neither window has a span. */
export type Compared<T> = T & { readonly comparison?: RowComparison | null };

/** The metric sets the query's `include` named (all when unset) are present; the others are absent. */
export interface MetricsResponse extends Omit<PartialMetricsResult, 'groups' | 'slowest' | 'errors'> {
  /** The metric sets computed, in registry order. */
  readonly include: readonly MetricName[];
  readonly source: SourceInfo;
  /** The parsed query written back in canonical form (lib/query serialise). */
  readonly query: string;
  readonly coverage: Coverage;
  readonly definitions: MetricsDefinitions;
  /** A Jaeger search for the whole query, over the same absolute window. */
  readonly jaegerSearchUrl: string | null;
  readonly groups?: readonly Compared<WithLink<GroupMetrics>>[];
  /** Only with a baseline and `groups`: the baseline window, and the groups it had that this window has not. */
  readonly baseline?: BaselineInfo & {
    readonly goneGroups: readonly (Pick<GroupMetrics, 'key' | 'service' | 'operation' | 'tags'> & { readonly comparison: RowComparison })[];
  };
  readonly slowest?: readonly WithLink<SlowSpan>[];
  readonly errors?: readonly (Omit<ErrorGroup, 'examples'> & {
    readonly examples: readonly WithLink<ErrorGroup['examples'][number]>[];
  })[];
}

/** An answer known to hold the metric sets `N` (the client checks `include` before it says so). */
export type MetricsResponseWith<N extends MetricName> = MetricsResponse & {
  readonly [K in keyof MetricsOf<N> & keyof MetricsResponse]-?: NonNullable<MetricsResponse[K]>;
};

/** The answer when `include` is unset: every metric set. */
export type FullMetricsResponse = MetricsResponseWith<MetricName>;

/**
 * `/api/metrics?…&stream=1` answers NDJSON: progress lines while sub-windows are fetched, then exactly
 * one `result` or `error` line. An invalid query still answers a plain 400 envelope before streaming.
 */
export type MetricsStreamLine =
  | { readonly type: 'progress'; readonly subWindowsDone: number; readonly subWindowsPlanned: number }
  | { readonly type: 'result'; readonly data: MetricsResponse }
  | { readonly type: 'error'; readonly status: number; readonly error: ApiErrorBody };

export interface SavedView {
  readonly id: string;
  readonly name: string;
  /** The dashboard query as canonical URL search params (no leading `?`). */
  readonly query: string;
  /** The app page the view opens (lib/http/app-pages.ts), e.g. `/operation`; default `/`. */
  readonly path: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ViewsResponse {
  readonly views: readonly SavedView[];
}

export interface ViewResponse {
  readonly view: SavedView;
}

export interface UploadInfo {
  readonly id: string;
  /** Use as `source=` in any route or page URL. */
  readonly source: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly traces: number;
  readonly spans: number;
  readonly services: readonly string[];
  readonly startUs: number | null;
  readonly endUs: number | null;
  readonly createdAt: string;
}

export interface UploadResponse {
  readonly upload: UploadInfo;
}

/** A span in the services home's cross-service lists (slowest, latest errors). */
export type OverviewSpan = WithLink<SlowSpan>;

/** Counted spans over the window, as the services home shows them per service and in total. */
interface OverviewCounts {
  readonly count: number;
  readonly errorCount: number;
  readonly errorRate: number;
  /** count ÷ window seconds; an estimate when a search was sampled. */
  readonly ratePerSecond: number;
  /** Durations behind the percentiles (= count). */
  readonly n: number;
  /** Exact nearest rank; null when there is no counted span in the window. */
  readonly p50Us: number | null;
  readonly p95Us: number | null;
  readonly p99Us: number | null;
  /** The percentiles with their 95% intervals (null with no span). */
  readonly durations: GroupMetrics['durations'] | null;
}

/** One service on the services home (`/api/overview`): its counted spans over the window. */
export interface OverviewServiceRow extends OverviewCounts {
  readonly service: string;
  /** For the sparklines: p95 and error rate per time bucket (null in an empty bucket). */
  readonly timeline: readonly {
    readonly startUs: number;
    readonly count: number;
    readonly p95Us: number | null;
    readonly errorRate: number | null;
  }[];
  /** The service's own search coverage and its trace budget (`limit`); null when the search failed. */
  readonly coverage: (Coverage & { readonly limit: number }) | null;
  /** A Jaeger search for the service over the window. */
  readonly jaegerUrl: string | null;
  /** Why this service's search failed (the other rows still count); null when it answered. */
  readonly error: ApiErrorBody | null;
  /** Only with a baseline: the order statistics the comparison reads, and (in the result) the comparison. */
  readonly comparisonBounds?: QuantileBounds;
  readonly comparison?: RowComparison | null;
}

/** Whole-system tiles: sums over the services, percentiles exact over the union of their counted spans. */
export interface OverviewTotals extends OverviewCounts {
  readonly services: number;
  /** Some service was sampled: counts and rates are estimates. */
  readonly estimated: boolean;
  /** How the whole-system percentiles are combined. */
  readonly percentileRule: string;
  /** Only with a baseline: the union's order statistics the comparison reads, and (in the result) the comparison. */
  readonly comparisonBounds?: QuantileBounds;
  readonly comparison?: RowComparison | null;
}

export interface OverviewResponse {
  readonly source: SourceInfo;
  /** The parsed query written back in canonical form. */
  readonly query: string;
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** Traces fetched at most per service. */
  readonly limitPerService: number;
  /** Every service of the source, in name order. */
  readonly services: readonly OverviewServiceRow[];
  readonly totals: OverviewTotals;
  /** The slowest counted spans over every service, longest first. */
  readonly slowest: readonly OverviewSpan[];
  /** The newest counted error spans over every service, newest first. */
  readonly latestErrors: readonly OverviewSpan[];
  /** Error groups over every service (service, operation, error type), largest first. */
  readonly errorGroups: NonNullable<MetricsResponse['errors']>;
  /** Only with a baseline: the baseline window, and services with spans there but no row now. */
  readonly baseline?: BaselineInfo & { readonly goneServices: readonly { readonly service: string; readonly comparison: RowComparison }[] };
}

/**
 * `/api/overview?…&stream=1` answers NDJSON: the service list, one `service` line per service as its
 * sample completes, then exactly one `result` (the whole OverviewResponse, totals included) or `error`.
 */
export type OverviewStreamLine =
  | { readonly type: 'services'; readonly services: readonly string[] }
  | { readonly type: 'service'; readonly row: OverviewServiceRow; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly data: OverviewResponse }
  | { readonly type: 'error'; readonly status: number; readonly error: ApiErrorBody };

/**
 * `/api/spm`: Jaeger's SPM numbers (its Monitor tab's, from the Prometheus behind it) for one service's
 * operations, or per service for every service. `available: false` when this Jaeger has no metrics
 * backend (minstep 501), or the source is not a Jaeger: the page then shows no SPM column.
 */
export type SpmResponse =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      /** The service whose operations these are; null = one row per service. */
      readonly service: string | null;
      /** The instant the numbers are for: the window's end. */
      readonly windowEndUs: number;
      /** The trailing rate() window SPM's numbers cover (the longest Jaeger accepts that fits the window). */
      readonly ratePer: { readonly ms: number; readonly label: string };
      readonly rows: readonly SpmRow[];
      /** What the numbers are, in a sentence, for the page to show. */
      readonly definition: string;
    };

/** A node of the service map at operation level. */
export interface OperationNode {
  readonly service: string;
  readonly operation: string;
}

/** One edge of `GET /api/dependencies`: caller → callee, counted once per span pair (traces deduplicated by ID). */
export interface DependencyEdgeResponse<Node = string> {
  readonly parent: Node;
  readonly child: Node;
  readonly calls: number;
  /** The callee span's errors (for a peer: the client span's). */
  readonly errors: number;
  /** calls ÷ window seconds. */
  readonly callsPerSecond: number;
  /** errors ÷ calls: the callee's error rate on this edge. */
  readonly errorRate: number;
  /** Exact p95 of the callee span's duration (for a peer: the client span's). */
  readonly p95Us: number;
  /** Exact p50/p95 of client duration − server duration over client → server pairs; null when the edge has none. */
  readonly gapP50Us: number | null;
  readonly gapP95Us: number | null;
  /** The callee is an uninstrumented peer named by the client span (`<peer> (uninstrumented)`). */
  readonly peer: boolean;
}

export type ServiceEdgeResponse = DependencyEdgeResponse<string> & {
  /** The parent service's operations making these calls, most calls first (for the edge's drill-down). */
  readonly callers: readonly { readonly operation: string; readonly calls: number }[];
};
export type OperationEdgeResponse = DependencyEdgeResponse<OperationNode>;

export type DependenciesResponse = DependenciesResponseBase &
  (
    | { readonly level: 'service'; readonly edges: readonly ServiceEdgeResponse[] }
    | { readonly level: 'operation'; readonly edges: readonly OperationEdgeResponse[] }
  );

/** The head of an answer over every trace of a window across services, each trace once (aggregateAcrossServices). */
interface AcrossServicesResponse {
  readonly source: SourceInfo;
  /** The one service searched (the answer keeps what touches it); null = every service. */
  readonly service: string | null;
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** Services searched (one Jaeger search each). */
  readonly servicesSearched: number;
  /** Distinct traces after deduplicating the services' searches by trace ID. */
  readonly traces: number;
  /** Summed over the services' searches; complete only when every search was. */
  readonly coverage: Coverage;
}

/** With `service`, the map is focused on it: only edges touching it. */
interface DependenciesResponseBase extends AcrossServicesResponse {
  readonly definition: string;
}

/** Where a model's price came from: the `SPANLENS_PRICES` file or the bundled table (with its date and source). */
export interface LlmPriceInfo {
  /** The table entry used: the model's own name, or the base name a dated snapshot matched. */
  readonly entry: string;
  readonly origin: 'file' | 'bundled';
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** null: cached input is billed at the input price. */
  readonly cachedInputPerMTok: number | null;
  /** Bundled prices only: the month the price was known, and the vendor page it comes from. */
  readonly asOf: string | null;
  readonly source: string | null;
}

/** The sums every LLM row has: a model's, a group of spenders', the totals'. */
interface LlmSums {
  readonly calls: number;
  readonly errorCount: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cachedInputTokens: number;
  /** Computed from the price table over the priced calls; null when none of them has a price ("no price", never 0). */
  readonly costUsd: number | null;
  /** What the spans say they cost (`gen_ai.usage.cost`, `llm.cost.total`); null when none carries one. */
  readonly carriedCostUsd: number | null;
}

/** One model and provider of `GET /api/llm` (a model two providers serve is two rows). */
export interface LlmModelResponse
  extends
    LlmSums,
    Pick<
      LlmModelRow,
      'model' | 'provider' | 'errorsByType' | 'p50Us' | 'p95Us' | 'p99Us' | 'outputTokensPerSecond' | 'carriedCostCalls' | 'modelMismatches'
    > {
  readonly price: LlmPriceInfo | null;
}

/** Sums over the models; cost only over the priced ones, with the unpriced calls counted beside it. */
export interface LlmTotals extends LlmSums {
  readonly pricedCalls: number;
  /** Calls of models with no price: left out of `costUsd`. */
  readonly unpricedCalls: number;
  readonly unpricedModels: readonly string[];
  readonly carriedCostCalls: number;
  readonly modelMismatches: number;
}

export interface LlmTimelinePoint {
  readonly startUs: number;
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  /** Priced calls only; `unpricedCalls` of the bucket are left out. */
  readonly costUsd: number;
  readonly unpricedCalls: number;
  readonly carriedCostUsd: number;
  /** Total tokens (input + output) in this bucket by model name (providers of one model added up). */
  readonly tokensByModel: Readonly<Record<string, number>>;
}

/** One group of the query's groupBy keys (who spends), with its models. */
export interface LlmSpenderResponse extends LlmSums {
  /** The groupBy values in order; "(none)" where the tag is on neither the LLM span nor an ancestor. */
  readonly values: readonly string[];
  readonly unpricedCalls: number;
  readonly models: readonly { readonly model: string; readonly calls: number; readonly totalTokens: number; readonly costUsd: number | null }[];
}

export type LlmMismatchResponse = WithLink<LlmMismatch>;

/** `GET /api/llm?<query>`: LLM usage and cost over the window, every service searched (or `service`), each trace once. */
export interface LlmResponse extends AcrossServicesResponse {
  /** The parsed query written back in canonical form. */
  readonly query: string;
  readonly models: readonly LlmModelResponse[];
  readonly totals: LlmTotals;
  readonly timeline: { readonly bucketWidthUs: number; readonly points: readonly LlmTimelinePoint[] };
  readonly spenders: {
    readonly groupBy: readonly string[];
    /** Most expensive first (priced cost, then tokens); at most 100. */
    readonly rows: readonly LlmSpenderResponse[];
    /** Groups beyond the first 100, left out. */
    readonly omitted: number;
  };
  /** The earliest calls whose response model differs from the request model (at most 20); `totals.modelMismatches` counts all. */
  readonly mismatches: readonly LlmMismatchResponse[];
  readonly prices: {
    /** The `SPANLENS_PRICES` file name, null when only the bundled table is used. */
    readonly file: string | null;
    readonly rule: string;
  };
  readonly definitions: {
    readonly llm: string;
    readonly errorRule: string;
    /** The span attributes read, per field, in precedence order. */
    readonly attributes: Readonly<Record<string, readonly string[]>>;
    readonly spenderRule: string;
  };
}

/** A trace-quality example with its link into Jaeger (null when no Jaeger holds the trace: demo). */
export type LinkedQualityExample = WithLink<QualityExample>;
type WithLinkedExamples<T extends { readonly examples: readonly QualityExample[] }> = Omit<T, 'examples'> & {
  readonly examples: readonly LinkedQualityExample[];
};

/**
 * `GET /api/quality?<window>[&service=S]`: trace quality over every trace of the window, each trace once.
 * With a service: only its traces were searched, and rows, breaks and losses touching it are kept.
 */
export interface QualityResponse extends AcrossServicesResponse {
  /** The parsed query written back in canonical form. */
  readonly query: string;
  readonly totals: {
    readonly spans: number;
    readonly tracesWithoutRoot: number;
    readonly orphanSpans: number;
    readonly lostCalls: number;
    readonly duplicateSpanIds: number;
    readonly clockSkewSpans: number;
    readonly missingParentWarnings: number;
    readonly warnings: number;
    readonly spansOnReferenceCycles: number;
  };
  readonly rootless: { readonly traces: number; readonly examples: readonly LinkedQualityExample[] };
  readonly duplicates: { readonly spans: number; readonly examples: readonly LinkedQualityExample[] };
  readonly clockSkew: WithLinkedExamples<ClockSkewFindings>;
  readonly spansPerTrace: QualityDistribution;
  readonly depth: QualityDistribution;
  /** Worst first: share of the service's spans that are problem spans. */
  readonly byService: readonly WithLinkedExamples<ServiceQuality>[];
  readonly propagation: {
    /** Most lost calls first. */
    readonly breaks: readonly WithLinkedExamples<PropagationBreak>[];
    readonly unlocated: readonly WithLinkedExamples<UnlocatedContextLoss>[];
  };
  readonly definitions: Readonly<Record<keyof typeof QUALITY_DEFINITIONS, string>>;
}
