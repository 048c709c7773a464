/**
 * The JSON-serialisable result of aggregating one query's spans (design §4). Every duration is an
 * integer number of microseconds. The UI, the CLI and /api/metrics all consume exactly this shape.
 */

export type GroupByKey = 'service' | 'operation' | `tag:${string}`;

export interface AggregationOptions {
  /** Spans of this service (and operation, tags) are counted; the rest of each trace is context. */
  readonly service?: string | undefined;
  readonly operation?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly minDurationUs?: number | undefined;
  readonly maxDurationUs?: number | undefined;
  /** Default ['service', 'operation']; at most two tag keys. `tag:process.x` reads a process tag. */
  readonly groupBy?: readonly GroupByKey[] | undefined;
  /** The window the query asked for; rates, timeline and heatmap buckets are laid over it. */
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** Client spans with HTTP status ≥ 400 count as errors only when asked (design §2). */
  readonly clientErrorsFrom4xx?: boolean | undefined;
  /** How many slowest spans to keep (default 50). */
  readonly slowestLimit?: number | undefined;
  /**
   * `fold=1`: group by the folded operation name (lib/metrics/name-folding.ts), and an `operation` that is a
   * folded name matches every span whose name folds to it.
   */
  readonly foldNames?: boolean | undefined;
  /** Give each group its `comparisonBounds` too (a comparison with a baseline window needs them). */
  readonly compareBounds?: boolean | undefined;
}

/** A percentile with its distribution-free 95% interval; `interval` is null when n is too small. */
export interface Percentile {
  readonly valueUs: number;
  readonly interval: { readonly lowerUs: number; readonly upperUs: number } | null;
}

export interface DurationStats {
  readonly count: number;
  readonly minUs: number;
  readonly meanUs: number;
  readonly maxUs: number;
  readonly p50: Percentile;
  readonly p90: Percentile;
  readonly p95: Percentile;
  readonly p99: Percentile;
}

export interface TimelinePoint {
  readonly startUs: number;
  readonly count: number;
  readonly errorCount: number;
  /** null where the bucket is empty. */
  readonly p50Us: number | null;
  readonly p95Us: number | null;
  readonly p99Us: number | null;
}

export interface GroupMetrics {
  /** Stable identity of the group, usable in URLs. */
  readonly key: string;
  readonly service: string | null;
  readonly operation: string | null;
  /** Values of the grouped tag keys; a missing tag is "(none)". */
  readonly tags: Readonly<Record<string, string>>;
  readonly count: number;
  readonly errorCount: number;
  readonly errorRate: number;
  readonly ratePerSecond: number;
  readonly durations: DurationStats;
  /** Per-bucket series for sparklines (same buckets as the top-level timeline). */
  readonly timeline: readonly TimelinePoint[];
  /** Only with `foldNames`: how many distinct raw operation names were folded into this group (0: none). */
  readonly foldedNames?: number;
  /** Only when the query compares with a baseline (`compareBounds`): the order statistics the comparison needs. */
  readonly comparisonBounds?: QuantileBounds;
}

/**
 * Order-statistic intervals for p50/p95/p99 at the comparison level √0.95 each (lib/metrics/compare.ts),
 * so that two windows' intervals hold together with at least 95%; null where n is too small for one.
 */
export interface QuantileBounds {
  readonly p50: { readonly lowerUs: number; readonly upperUs: number } | null;
  readonly p95: { readonly lowerUs: number; readonly upperUs: number } | null;
  readonly p99: { readonly lowerUs: number; readonly upperUs: number } | null;
}

export interface Timeline {
  readonly bucketWidthUs: number;
  readonly points: readonly TimelinePoint[];
}

export interface HeatmapCell {
  readonly timeIndex: number;
  readonly durationIndex: number;
  readonly count: number;
}

export interface Heatmap {
  readonly bucketWidthUs: number;
  readonly timeStartsUs: readonly number[];
  /** Log-spaced edges; cell row i covers [edges[i], edges[i+1]). */
  readonly durationEdgesUs: readonly number[];
  /** Non-empty cells only. */
  readonly cells: readonly HeatmapCell[];
}

export interface SlowSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly operation: string;
  readonly startUs: number;
  readonly durationUs: number;
  readonly error: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SelfTimeRow {
  readonly service: string;
  readonly operation: string;
  readonly count: number;
  readonly totalSelfUs: number;
  readonly meanSelfUs: number;
  readonly p95SelfUs: number;
}

export interface DependencyEdge {
  readonly parent: string;
  readonly child: string;
  readonly calls: number;
  readonly errors: number;
  readonly p95Us: number;
  /**
   * Exact p50/p95 (nearest rank) of client duration − server duration over the edge's client → server
   * span pairs; absent when the edge has no such pair.
   */
  readonly gapP50Us?: number;
  readonly gapP95Us?: number;
  /** The child is an uninstrumented peer named by the client span's tags (`<peer> (uninstrumented)`). */
  readonly peer?: true;
}

/** A span a trace-quality finding points at (for a trace-level finding: the trace's earliest span). */
export interface QualityExample {
  readonly traceId: string;
  readonly spanId: string;
}

/** Traces whose value (spans in the trace, or depth) lies in [from, to]; `to` null: open-ended. */
export interface QualityBucket {
  readonly from: number;
  readonly to: number | null;
  readonly traces: number;
}

export interface QualityDistribution {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** Every bucket from the first up to the one holding the maximum, empty ones included. */
  readonly buckets: readonly QualityBucket[];
}

/** One service's share of what is broken; every count is over spans of this service. */
export interface ServiceQuality {
  readonly service: string;
  readonly spans: number;
  /** Traces holding at least one span of the service, and those of them with no root span. */
  readonly traces: number;
  readonly rootlessTraces: number;
  readonly rootSpans: number;
  readonly orphanSpans: number;
  /** Server/consumer root spans of an operation other services call with context elsewhere in the window. */
  readonly unexpectedRoots: number;
  readonly clockSkewSpans: number;
  readonly duplicateSpanIds: number;
  /** Spans in at least one of: orphan, unexpected root, clock skew, duplicate copy. */
  readonly problemSpans: number;
  /** problemSpans / spans: the ranking key, worst first. */
  readonly problemShare: number;
  readonly examples: readonly QualityExample[];
}

/** "caller → callee loses context in `lost` of `calls` calls." */
export interface PropagationBreak {
  readonly caller: string;
  readonly callee: string;
  /** Calls whose context arrived: callee spans whose parent is a caller span (the map's edge calls). */
  readonly linked: number;
  /** Callee spans with a missing parent, located to this caller (see the definitions). */
  readonly orphanedCalls: number;
  /** Caller client/producer spans with no child that name or usually reach the callee. */
  readonly unansweredCalls: number;
  /** orphanedCalls + unansweredCalls. */
  readonly lost: number;
  /** linked + lost. */
  readonly calls: number;
  /** Callee operations whose spans lost their parent. */
  readonly calleeOperations: readonly string[];
  readonly examples: readonly QualityExample[];
}

export type ContextLossReason =
  /** Orphans of an operation other services call with context, none of which has a span in the trace. */
  | 'caller_absent'
  /** Orphans no caller could be named for: no span of a known caller, no enclosing unanswered call. */
  | 'no_known_caller'
  /** Server/consumer roots of an operation that other services call with context elsewhere in the window. */
  | 'new_trace';

/** Lost context that cannot be pinned on one caller inside the trace: what is known is listed. */
export interface UnlocatedContextLoss {
  readonly service: string;
  readonly operation: string;
  readonly reason: ContextLossReason;
  readonly spans: number;
  /** Services seen calling this operation with context in the window, most calls first. */
  readonly expectedCallers: readonly string[];
  readonly examples: readonly QualityExample[];
}

export interface ClockSkewFindings {
  /** Spans with a parent in the trace that start before it, end after it, or carry a Jaeger skew warning. */
  readonly spans: number;
  readonly startsBeforeParent: number;
  /** CHILD_OF children only: a FOLLOWS_FROM child may outlive its parent by design. */
  readonly endsAfterParent: number;
  readonly jaegerWarnings: number;
  readonly examples: readonly QualityExample[];
}

export interface TraceQuality {
  readonly traces: number;
  readonly spans: number;
  readonly tracesWithoutRoot: number;
  readonly rootlessExamples: readonly QualityExample[];
  readonly orphanSpans: number;
  readonly duplicateSpanIds: number;
  readonly duplicateExamples: readonly QualityExample[];
  readonly spansPerTrace: QualityDistribution;
  readonly depth: QualityDistribution;
  /** Never an orphan: a span whose parent is missing has nothing to be skewed against. */
  readonly clockSkew: ClockSkewFindings;
  /** Jaeger's missing-parent adjuster warnings ("parent span ID=… is not in the trace", "invalid parent span IDs=…"). */
  readonly missingParentWarnings: number;
  readonly warnings: number;
  /** Spans whose parent chain loops back on itself (added by lib/metrics; cycles are cut, not followed). */
  readonly spansOnReferenceCycles: number;
  /** Worst first (problemShare, then problemSpans, then name). */
  readonly byService: readonly ServiceQuality[];
  readonly propagation: {
    readonly breaks: readonly PropagationBreak[];
    readonly unlocated: readonly UnlocatedContextLoss[];
  };
}

/** Calls, tokens and the cost spans carried themselves (`gen_ai.usage.cost`): what each model row and spender row sums. */
export interface LlmUsage {
  readonly calls: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  /** Sum of the carried cost over the calls that carried one; null when none did. */
  readonly carriedCostUsd: number | null;
  readonly carriedCostCalls: number;
}

export interface LlmModelRow extends LlmUsage {
  readonly model: string;
  readonly provider: string | null;
  /** Error calls by error type (the errors metric's rule), largest first. */
  readonly errorsByType: readonly { readonly errorType: string; readonly count: number }[];
  readonly p50Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
  /** input + output. */
  readonly totalTokens: number;
  /** Output tokens ÷ seconds over the calls that reported output tokens (whole span, so time to first token included); null when none did. */
  readonly outputTokensPerSecond: number | null;
  /** Spans whose response model differs from the requested one. */
  readonly modelMismatches: number;
}

/** Per model and provider (as the model rows), per time bucket (the timeline's buckets): the numbers to draw tokens and cost over time. */
export interface LlmTimeline {
  readonly bucketWidthUs: number;
  readonly startsUs: readonly number[];
  readonly models: readonly {
    readonly model: string;
    readonly provider: string | null;
    /** One entry per bucket, aligned with `startsUs`. */
    readonly calls: readonly number[];
    readonly inputTokens: readonly number[];
    readonly outputTokens: readonly number[];
    readonly cachedInputTokens: readonly number[];
    readonly carriedCostUsd: readonly number[];
  }[];
}

/** LLM usage of one group of the query's groupBy keys (who spends) and one model. */
export interface LlmSpenderRow extends LlmUsage {
  /** The groupBy values in the query's order; a missing tag is "(none)". */
  readonly values: readonly string[];
  readonly model: string;
}

export interface LlmSpenders {
  readonly groupBy: readonly GroupByKey[];
  readonly rows: readonly LlmSpenderRow[];
}

/** A call whose response model differs from its request model. */
export interface LlmMismatch {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly operation: string;
  readonly startUs: number;
  readonly requestModel: string;
  readonly responseModel: string;
}

export interface ErrorGroup {
  readonly service: string;
  readonly operation: string;
  /** error.type / exception.type / otel.status_description / log message, first found. */
  readonly errorType: string;
  readonly count: number;
  readonly examples: readonly { readonly traceId: string; readonly spanId: string }[];
}
