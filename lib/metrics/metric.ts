import type { Span, Trace } from '../jaeger/span.ts';
import { US_PER_SECOND } from '../units.ts';
import { resolveGroupBy } from './groups.ts';
import { chooseTimeBuckets, type TimeBuckets } from './timeline.ts';
import type { TraceIndex } from './trace-index.ts';
import type { AggregationOptions, GroupByKey } from './types.ts';

/** What every metric of one aggregation shares: its options and the time buckets laid over the window. */
export interface MetricContext {
  readonly options: AggregationOptions;
  readonly groupBy: readonly GroupByKey[];
  readonly buckets: TimeBuckets;
  /** Window length in seconds (at least 1 µs): rates divide by it. */
  readonly windowSeconds: number;
}

/** @throws RangeError for a window that ends before it starts or more than two group-by tag keys. */
export function createMetricContext(options: AggregationOptions): MetricContext {
  if (!(options.windowEndUs >= options.windowStartUs)) throw new RangeError('window end is before its start');
  return {
    options,
    groupBy: resolveGroupBy(options.groupBy),
    buckets: chooseTimeBuckets(options.windowStartUs, options.windowEndUs),
    windowSeconds: Math.max(1, options.windowEndUs - options.windowStartUs) / US_PER_SECOND,
  };
}

/** One whole trace; `index` and `errorFlags` are computed on first use and shared by every metric. */
export interface TraceVisit {
  readonly trace: Trace;
  readonly index: TraceIndex;
  /** 1 where the span at that position is an error by the query's rule (design §2). */
  readonly errorFlags: Uint8Array;
}

/** One span the query counts. The aggregator reuses this object: read it during the call, never keep it. */
export interface SpanVisit {
  readonly span: Span;
  /** Position of the span in `trace.trace.spans`. */
  readonly spanIndex: number;
  readonly trace: TraceVisit;
  readonly error: boolean;
  /** Time bucket of the span's start. */
  readonly bucket: number;
}

/**
 * A mergeable accumulator (design §4): spans in, one part of the result out. Its state is plain data
 * (typed arrays for bulk numbers) so a worker thread can post it and the receiver rebuild and merge it.
 */
export interface MetricAccumulator<State, Output> {
  /** Every trace the source returned: all of it is context. */
  addTrace?(visit: TraceVisit): void;
  /** Each span the query counts. */
  addSpan?(visit: SpanVisit): void;
  /** Folds in an accumulator of the same metric that saw other traces; `other` is not used again. */
  merge(other: this): void;
  toState(): State;
  finish(): Output;
}

/** A metric = one file exporting one of these, plus one line in registry.ts. */
export interface MetricDefinition<State, Output extends object> {
  /** What it computes, in a sentence: served with the result so the UI can say what a number means. */
  readonly definition: string;
  /** A fresh accumulator, or one rebuilt from a state `toState()` produced. */
  create(context: MetricContext, state?: State): MetricAccumulator<State, Output>;
  /** The typed-array buffers inside a state, transferred (not copied) out of a worker. */
  buffers(state: State): ArrayBufferLike[];
}

/** Defines a metric with its types inferred from `create`. */
export const defineMetric = <State, Output extends object>(definition: MetricDefinition<State, Output>): MetricDefinition<State, Output> =>
  definition;
