import type { Span, Trace } from '../jaeger/span.ts';
import { createMetricContext, type MetricAccumulator, type MetricContext, type SpanVisit, type TraceVisit } from './metric.ts';
import { METRIC_NAMES, METRICS, type MetricName, type MetricsOf, type MetricStates } from './registry.ts';
import { createSpanMatcher, isErrorSpan } from './span-match.ts';
import { bucketIndex } from './timeline.ts';
import { indexTrace, type TraceIndex } from './trace-index.ts';
import type { AggregationOptions } from './types.ts';

/** The window every result is laid over. */
export interface MetricsWindow {
  readonly unit: 'us';
  readonly windowStartUs: number;
  readonly windowEndUs: number;
}

/** The result of the metrics `N` (default: all of them), every duration in integer µs (design §4). */
export type MetricsResult<N extends MetricName = MetricName> = MetricsWindow & MetricsOf<N>;
/** A result whose metric sets were chosen at run time (`include=`): any of them may be absent. */
export type PartialMetricsResult = MetricsWindow & Partial<MetricsOf<MetricName>>;

/** Plain data (typed arrays for the bulk numbers), so a worker thread can post it and the receiver merge it. */
export interface AggregatorState {
  readonly metrics: MetricStates;
}

export interface Aggregator<N extends MetricName = MetricName> {
  readonly include: readonly N[];
  /** Adds one whole trace: its matching spans are counted, all of it is context. */
  addTrace(trace: Trace): void;
  /**
   * Folds another aggregator into this one. Both must have the same options and have seen disjoint
   * traces (a trace added to both is counted twice: the window planner deduplicates by trace ID
   * first). `other` hands over its accumulators and must not be used afterwards.
   */
  merge(other: Aggregator<N>): void;
  toState(): AggregatorState;
  /** Folds a state posted by another aggregator's `toState()` into this one. */
  mergeState(state: AggregatorState): void;
  finish(): MetricsResult<N>;
}

type AnyAccumulator = MetricAccumulator<unknown, object>;

/** One trace's index and error flags, computed only when a metric first asks (the groups alone need neither). */
class LazyTraceVisit implements TraceVisit {
  private cachedIndex: TraceIndex | null = null;
  private cachedFlags: Uint8Array | null = null;
  readonly trace: Trace;
  private readonly clientErrorsFrom4xx: boolean;

  constructor(trace: Trace, clientErrorsFrom4xx: boolean) {
    this.trace = trace;
    this.clientErrorsFrom4xx = clientErrorsFrom4xx;
  }

  get index(): TraceIndex {
    return (this.cachedIndex ??= indexTrace(this.trace));
  }

  get errorFlags(): Uint8Array {
    if (this.cachedFlags === null) {
      const spans = this.trace.spans;
      this.cachedFlags = new Uint8Array(spans.length);
      for (let i = 0; i < spans.length; i++) this.cachedFlags[i] = isErrorSpan(spans[i] as Span, this.clientErrorsFrom4xx) ? 1 : 0;
    }
    return this.cachedFlags;
  }
}

type MutableSpanVisit = { -readonly [K in keyof SpanVisit]: SpanVisit[K] };

class MetricsAggregator<N extends MetricName> implements Aggregator<N> {
  readonly include: readonly N[];
  readonly context: MetricContext;
  readonly accumulators: ReadonlyMap<N, AnyAccumulator>;
  private readonly traceLevel: readonly AnyAccumulator[];
  private readonly spanLevel: readonly AnyAccumulator[];
  private readonly matches: (span: Span) => boolean;
  private readonly clientErrorsFrom4xx: boolean;
  /** Reused for every counted span: the accumulators read it during the call only (SpanVisit's contract). */
  private readonly visit: MutableSpanVisit;

  constructor(options: AggregationOptions, include: readonly N[], states: MetricStates = {}) {
    this.include = include;
    this.context = createMetricContext(options);
    const accumulators = new Map<N, AnyAccumulator>();
    for (const name of include) {
      const definition = METRICS[name] as unknown as { create(context: MetricContext, state?: unknown): AnyAccumulator };
      accumulators.set(name, definition.create(this.context, states[name]));
    }
    this.accumulators = accumulators;
    this.traceLevel = [...accumulators.values()].filter((accumulator) => accumulator.addTrace !== undefined);
    this.spanLevel = [...accumulators.values()].filter((accumulator) => accumulator.addSpan !== undefined);
    this.matches = createSpanMatcher(options);
    this.clientErrorsFrom4xx = options.clientErrorsFrom4xx ?? false;
    this.visit = { span: undefined as unknown as Span, spanIndex: 0, trace: undefined as unknown as TraceVisit, error: false, bucket: 0 };
  }

  addTrace(trace: Trace): void {
    const traceVisit = new LazyTraceVisit(trace, this.clientErrorsFrom4xx);
    for (const accumulator of this.traceLevel) accumulator.addTrace?.(traceVisit);
    const spans = trace.spans;
    const visit = this.visit;
    visit.trace = traceVisit;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as Span;
      if (!this.matches(span)) continue;
      visit.span = span;
      visit.spanIndex = i;
      visit.error = isErrorSpan(span, this.clientErrorsFrom4xx);
      visit.bucket = bucketIndex(this.context.buckets, span.startUs);
      for (const accumulator of this.spanLevel) accumulator.addSpan?.(visit);
    }
  }

  merge(other: Aggregator<N>): void {
    if (!(other instanceof MetricsAggregator)) throw new TypeError('can only merge aggregators made by createAggregator');
    if (other.context.buckets.widthUs !== this.context.buckets.widthUs || other.context.buckets.startUs !== this.context.buckets.startUs) {
      throw new RangeError('cannot merge aggregators over different windows');
    }
    for (const [name, accumulator] of this.accumulators) {
      const theirs = (other as MetricsAggregator<N>).accumulators.get(name);
      if (theirs === undefined) throw new RangeError(`cannot merge: the other aggregator did not compute ${name}`);
      accumulator.merge(theirs);
    }
  }

  toState(): AggregatorState {
    const metrics: Record<string, unknown> = {};
    for (const [name, accumulator] of this.accumulators) metrics[name] = accumulator.toState();
    return { metrics: metrics as MetricStates };
  }

  mergeState(state: AggregatorState): void {
    this.merge(new MetricsAggregator(this.context.options, this.include, state.metrics));
  }

  finish(): MetricsResult<N> {
    const { windowStartUs, windowEndUs } = this.context.options;
    const result: Record<string, unknown> = { unit: 'us', windowStartUs, windowEndUs };
    for (const accumulator of this.accumulators.values()) Object.assign(result, accumulator.finish());
    return result as MetricsResult<N>;
  }
}

/** An aggregator of the metrics `include` names (default: every registered metric). */
export function createAggregator<N extends MetricName = MetricName>(
  options: AggregationOptions,
  include: readonly N[] = METRIC_NAMES as readonly N[],
): Aggregator<N> {
  return new MetricsAggregator(options, include);
}

/** Rebuilds an aggregator from a state posted by `toState()` (e.g. by a worker thread). */
export function aggregatorFromState<N extends MetricName = MetricName>(
  options: AggregationOptions,
  state: AggregatorState,
  include: readonly N[] = METRIC_NAMES as readonly N[],
): Aggregator<N> {
  return new MetricsAggregator(options, include, state.metrics);
}

/** The typed-array buffers inside a state, for `postMessage`'s transfer list. */
export function stateBuffers(state: AggregatorState): ArrayBufferLike[] {
  const buffers: ArrayBufferLike[] = [];
  for (const name of METRIC_NAMES) {
    const metricState = state.metrics[name];
    if (metricState === undefined) continue;
    const definition = METRICS[name] as unknown as { buffers(state: unknown): ArrayBufferLike[] };
    buffers.push(...definition.buffers(metricState));
  }
  return buffers;
}

export function aggregateTraces(traces: Iterable<Trace>, options: AggregationOptions): MetricsResult {
  const aggregator = createAggregator(options);
  for (const trace of traces) aggregator.addTrace(trace);
  return aggregator.finish();
}
