import type { Span, Trace } from '../jaeger/span.ts';
import { US_PER_SECOND } from '../units.ts';
import { DependencyAccumulator, type DependencyState } from './dependencies.ts';
import { ErrorAccumulator, type ErrorState } from './errors.ts';
import { GroupAccumulator, timelinePoints, type GroupState } from './group-accumulator.ts';
import { groupIdentity, groupValues, resolveGroupBy } from './groups.ts';
import { HeatmapAccumulator } from './heatmap.ts';
import { LlmAccumulator, type LlmState } from './llm.ts';
import { cmp, SelfTimeAccumulator, spanSelfTimeUs, type SelfTimeState } from './self-time.ts';
import { DEFAULT_SLOWEST_LIMIT, SlowestAccumulator, toSlowSpan } from './slowest.ts';
import { createSpanMatcher, isErrorSpan } from './span-match.ts';
import { bucketIndex, chooseTimeBuckets, type TimeBuckets } from './timeline.ts';
import { indexTrace } from './trace-index.ts';
import { TraceQualityAccumulator, type TraceQualityState } from './trace-quality.ts';
import type { AggregationOptions, GroupByKey, GroupMetrics, MetricsResult, SlowSpan } from './types.ts';

/**
 * Everything an aggregator holds, as plain data (typed arrays for the durations), so a worker
 * thread can post it (structured clone, buffers transferable) and the receiver merges it.
 */
export interface AggregatorState {
  readonly groups: readonly GroupState[];
  readonly selfTime: SelfTimeState;
  readonly dependencies: DependencyState;
  readonly quality: TraceQualityState;
  readonly llm: LlmState;
  readonly errors: ErrorState;
  readonly slowest: readonly SlowSpan[];
}

export interface Aggregator {
  /** Adds one whole trace: its matching spans are counted, all of it is context. */
  addTrace(trace: Trace): void;
  /**
   * Folds another aggregator into this one. Both must have the same options and have seen disjoint
   * traces (a trace added to both is counted twice: the window planner deduplicates by trace ID
   * first). `other` hands over its accumulators and must not be used afterwards.
   */
  merge(other: Aggregator): void;
  toState(): AggregatorState;
  /** Folds a state posted by another aggregator's `toState()` into this one. */
  mergeState(state: AggregatorState): void;
  finish(): MetricsResult;
}

const GROUP_KEY_SEPARATOR = '\u0000';

class MetricsAggregator implements Aggregator {
  readonly groupBy: readonly GroupByKey[];
  readonly buckets: TimeBuckets;
  readonly groups = new Map<string, GroupAccumulator>();
  selfTime = new SelfTimeAccumulator();
  dependencies = new DependencyAccumulator();
  quality = new TraceQualityAccumulator();
  llm = new LlmAccumulator();
  errors = new ErrorAccumulator();
  readonly slowest: SlowestAccumulator;
  private readonly matches: (span: Span) => boolean;
  private readonly clientErrorsFrom4xx: boolean;
  private readonly defaultGrouping: boolean;

  readonly options: AggregationOptions;

  constructor(options: AggregationOptions) {
    this.options = options;
    if (!(options.windowEndUs >= options.windowStartUs)) throw new RangeError('window end is before its start');
    this.groupBy = resolveGroupBy(options.groupBy);
    this.defaultGrouping = this.groupBy.length === 2 && this.groupBy[0] === 'service' && this.groupBy[1] === 'operation';
    this.buckets = chooseTimeBuckets(options.windowStartUs, options.windowEndUs);
    this.matches = createSpanMatcher(options);
    this.clientErrorsFrom4xx = options.clientErrorsFrom4xx ?? false;
    this.slowest = new SlowestAccumulator(options.slowestLimit ?? DEFAULT_SLOWEST_LIMIT);
  }

  addTrace(trace: Trace): void {
    const spans = trace.spans;
    const index = indexTrace(trace);
    const errorFlags = new Uint8Array(spans.length);
    for (let i = 0; i < spans.length; i++) errorFlags[i] = isErrorSpan(spans[i] as Span, this.clientErrorsFrom4xx) ? 1 : 0;
    this.quality.addTrace(trace, index);
    this.dependencies.addTrace(index, errorFlags);
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as Span;
      if (!this.matches(span)) continue;
      const error = errorFlags[i] === 1;
      this.groupFor(span).add(span.durationUs, bucketIndex(this.buckets, span.startUs), error);
      this.selfTime.add(span, spanSelfTimeUs(index, i));
      if (this.slowest.wouldKeep(span.durationUs)) this.slowest.add(toSlowSpan(span, error));
      this.llm.add(span, error);
      if (error) this.errors.add(span);
    }
  }

  private groupFor(span: Span): GroupAccumulator {
    const values = this.defaultGrouping ? [span.service, span.operation] : groupValues(span, this.groupBy);
    const key = values.join(GROUP_KEY_SEPARATOR);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = new GroupAccumulator(values, this.buckets.count);
      this.groups.set(key, group);
    }
    return group;
  }

  merge(other: Aggregator): void {
    if (!(other instanceof MetricsAggregator)) throw new TypeError('can only merge aggregators made by createAggregator');
    if (other.buckets.widthUs !== this.buckets.widthUs || other.buckets.startUs !== this.buckets.startUs) {
      throw new RangeError('cannot merge aggregators over different windows');
    }
    for (const [key, group] of other.groups) {
      const mine = this.groups.get(key);
      if (mine) mine.merge(group);
      else this.groups.set(key, group);
    }
    this.selfTime.merge(other.selfTime);
    this.dependencies.merge(other.dependencies);
    this.quality.merge(other.quality);
    this.llm.merge(other.llm);
    this.errors.merge(other.errors);
    this.slowest.merge(other.slowest);
  }

  toState(): AggregatorState {
    return {
      groups: [...this.groups.values()].map((group) => group.toState()),
      selfTime: this.selfTime.toState(),
      dependencies: this.dependencies.toState(),
      quality: this.quality.toState(),
      llm: this.llm.toState(),
      errors: this.errors.toState(),
      slowest: [...this.slowest.entries()],
    };
  }

  mergeState(state: AggregatorState): void {
    for (const groupState of state.groups) {
      const group = new GroupAccumulator(groupState.values, this.buckets.count, groupState);
      const key = groupState.values.join(GROUP_KEY_SEPARATOR);
      const mine = this.groups.get(key);
      if (mine) mine.merge(group);
      else this.groups.set(key, group);
    }
    this.selfTime.merge(SelfTimeAccumulator.fromState(state.selfTime));
    this.dependencies.merge(DependencyAccumulator.fromState(state.dependencies));
    this.quality.merge(TraceQualityAccumulator.fromState(state.quality));
    this.llm.merge(LlmAccumulator.fromState(state.llm));
    this.errors.merge(ErrorAccumulator.fromState(state.errors));
    for (const span of state.slowest) this.slowest.add(span);
  }

  finish(): MetricsResult {
    const windowSeconds = Math.max(1, this.options.windowEndUs - this.options.windowStartUs) / US_PER_SECOND;
    const groups = [...this.groups.values()];
    const heatmap = new HeatmapAccumulator();
    let spansCounted = 0;
    for (const group of groups) {
      spansCounted += group.count;
      const durations = group.durations.view();
      const bucketOf = group.buckets.view();
      for (let i = 0; i < durations.length; i++) heatmap.add(bucketOf[i] as number, durations[i] as number);
    }
    const groupMetrics: GroupMetrics[] = groups
      .map((group) => ({
        ...groupIdentity(this.groupBy, group.values),
        count: group.count,
        errorCount: group.errorCount,
        // error rate = error spans / spans of the group
        errorRate: group.errorCount / group.count,
        // rate = spans per second of the query window (an estimate when the window was sampled)
        ratePerSecond: group.count / windowSeconds,
        durations: group.stats(),
        timeline: timelinePoints([group], this.buckets),
      }))
      .sort((a, b) => b.count - a.count || cmp(a.key, b.key));
    return {
      unit: 'us',
      windowStartUs: this.options.windowStartUs,
      windowEndUs: this.options.windowEndUs,
      spansCounted,
      groups: groupMetrics,
      timeline: { bucketWidthUs: this.buckets.widthUs, points: timelinePoints(groups, this.buckets) },
      heatmap: heatmap.finish(this.buckets),
      slowest: this.slowest.finish(),
      selfTime: this.selfTime.finish(),
      ...this.dependencies.finish(),
      traceQuality: this.quality.finish(),
      llm: this.llm.finish(),
      errors: this.errors.finish(),
    };
  }
}

export function createAggregator(options: AggregationOptions): Aggregator {
  return new MetricsAggregator(options);
}

/** Rebuilds an aggregator from a state posted by `toState()` (e.g. by a worker thread). */
export function aggregatorFromState(options: AggregationOptions, state: AggregatorState): Aggregator {
  const aggregator = new MetricsAggregator(options);
  aggregator.mergeState(state);
  return aggregator;
}

export function aggregateTraces(traces: Iterable<Trace>, options: AggregationOptions): MetricsResult {
  const aggregator = createAggregator(options);
  for (const trace of traces) aggregator.addTrace(trace);
  return aggregator.finish();
}
