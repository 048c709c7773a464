import { compareCodeUnits } from '../jaeger/span-rules.ts';
import { FloatList } from './float-list.ts';
import { groupIdentity, groupValues } from './groups.ts';
import { foldSpanName } from './name-folding.ts';
import { defineMetric, type MetricContext, type MetricAccumulator, type SpanVisit } from './metric.ts';
import { quantileBounds } from './compare.ts';
import { durationStats, nearestRank } from './percentiles.ts';
import type { TimeBuckets } from './timeline.ts';
import type { DurationStats, GroupMetrics, QuantileBounds, Timeline, TimelinePoint } from './types.ts';

export interface GroupState {
  readonly values: readonly string[];
  readonly errorCount: number;
  readonly durations: Float64Array;
  readonly buckets: Float64Array;
  readonly errorsPerBucket: Int32Array;
  /** With foldNames: the distinct raw operation names folded into this group. */
  readonly foldedFrom?: readonly string[];
}

/**
 * One group's spans: every duration with its time bucket (exact percentiles overall and per
 * bucket), and error counts per bucket. Count = durations kept.
 */
export class GroupAccumulator {
  errorCount = 0;
  readonly durations: FloatList;
  readonly buckets: FloatList;
  readonly errorsPerBucket: Int32Array;

  readonly values: readonly string[];

  constructor(values: readonly string[], bucketCount: number, state?: GroupState) {
    this.values = values;
    this.durations = state ? FloatList.from(state.durations) : new FloatList();
    this.buckets = state ? FloatList.from(state.buckets) : new FloatList();
    this.errorsPerBucket = state ? Int32Array.from(state.errorsPerBucket) : new Int32Array(bucketCount);
    this.errorCount = state?.errorCount ?? 0;
  }

  get count(): number {
    return this.durations.length;
  }

  add(durationUs: number, bucket: number, error: boolean): void {
    this.durations.push(durationUs);
    this.buckets.push(bucket);
    if (error) {
      this.errorCount++;
      this.errorsPerBucket[bucket]! += 1;
    }
  }

  merge(other: GroupAccumulator): void {
    this.durations.append(other.durations);
    this.buckets.append(other.buckets);
    this.errorCount += other.errorCount;
    for (let i = 0; i < this.errorsPerBucket.length; i++) this.errorsPerBucket[i]! += other.errorsPerBucket[i] ?? 0;
  }

  toState(): GroupState {
    return {
      values: this.values,
      errorCount: this.errorCount,
      durations: this.durations.toFloat64Array(),
      buckets: this.buckets.toFloat64Array(),
      errorsPerBucket: this.errorsPerBucket.slice(),
    };
  }

  stats(): DurationStats {
    return durationStats(this.durations.sorted());
  }

  /** The stats and, for a comparison with a baseline, the √0.95 order statistics, from one sort. */
  statsWithBounds(): { durations: DurationStats; comparisonBounds: QuantileBounds } {
    const sorted = this.durations.sorted();
    return { durations: durationStats(sorted), comparisonBounds: quantileBounds(sorted) };
  }
}

/**
 * Per-bucket count, errors and exact p50/p95/p99 from (duration, bucket) pairs of any number of
 * groups: a counting sort by bucket, then a numeric sort inside each bucket.
 */
export function timelinePoints(groups: readonly GroupAccumulator[], buckets: TimeBuckets): TimelinePoint[] {
  const counts = new Int32Array(buckets.count);
  const errors = new Int32Array(buckets.count);
  for (const group of groups) {
    for (const b of group.buckets.view()) counts[b]! += 1;
    for (let i = 0; i < buckets.count; i++) errors[i]! += group.errorsPerBucket[i] ?? 0;
  }
  const offsets = new Int32Array(buckets.count + 1);
  for (let i = 0; i < buckets.count; i++) offsets[i + 1] = (offsets[i] as number) + (counts[i] as number);
  const next = offsets.slice(0, buckets.count);
  const byBucket = new Float64Array(offsets[buckets.count] as number);
  for (const group of groups) {
    const durations = group.durations.view();
    const bucketOf = group.buckets.view();
    for (let i = 0; i < durations.length; i++) byBucket[next[bucketOf[i] as number]!++] = durations[i] as number;
  }
  return Array.from({ length: buckets.count }, (_, i) => {
    const slice = byBucket.subarray(offsets[i], offsets[i + 1]).sort();
    const empty = slice.length === 0;
    return {
      startUs: buckets.startUs + i * buckets.widthUs,
      count: slice.length,
      errorCount: errors[i] as number,
      p50Us: empty ? null : nearestRank(slice, 0.5),
      p95Us: empty ? null : nearestRank(slice, 0.95),
      p99Us: empty ? null : nearestRank(slice, 0.99),
    };
  });
}

const GROUP_KEY_SEPARATOR = '\u0000';

interface GroupsOutput {
  readonly spansCounted: number;
  readonly groups: readonly GroupMetrics[];
  readonly timeline: Timeline;
}

/** The counted spans by group-by values: count, errors, rate, exact percentiles, and their timelines. */
class GroupsAccumulator implements MetricAccumulator<readonly GroupState[], GroupsOutput> {
  readonly groups = new Map<string, GroupAccumulator>();
  private readonly defaultGrouping: boolean;
  private readonly context: MetricContext;
  /** Position of `operation` in the group values when names fold (`foldNames`), else -1. */
  private readonly foldIndex: number;
  /** Per group key, the raw names that folded into it (the page's "N names folded"). */
  private readonly foldedFrom = new Map<string, Set<string>>();
  private readonly foldCache = new Map<string, string>();

  constructor(context: MetricContext, state: readonly GroupState[] = []) {
    this.context = context;
    const { groupBy } = context;
    this.defaultGrouping = groupBy.length === 2 && groupBy[0] === 'service' && groupBy[1] === 'operation';
    this.foldIndex = context.options.foldNames ? groupBy.indexOf('operation') : -1;
    for (const groupState of state) {
      this.mergeGroup(new GroupAccumulator(groupState.values, context.buckets.count, groupState));
      for (const raw of groupState.foldedFrom ?? []) this.noteFolded(groupState.values.join(GROUP_KEY_SEPARATOR), raw);
    }
  }

  private noteFolded(key: string, raw: string): void {
    const names = this.foldedFrom.get(key);
    if (names === undefined) this.foldedFrom.set(key, new Set([raw]));
    else names.add(raw);
  }

  /** foldSpanName, remembered per raw name: a window holds few distinct names and many spans of each. */
  private fold(raw: string): string {
    let folded = this.foldCache.get(raw);
    if (folded === undefined) {
      folded = foldSpanName(raw);
      // Bounded: a window of nothing but distinct names must not grow the cache past them.
      if (this.foldCache.size >= 10_000) this.foldCache.clear();
      this.foldCache.set(raw, folded);
    }
    return folded;
  }

  addSpan({ span, bucket, error }: SpanVisit): void {
    const values = this.defaultGrouping ? [span.service, span.operation] : groupValues(span, this.context.groupBy);
    const raw = this.foldIndex >= 0 ? values[this.foldIndex] : undefined;
    const folded = raw === undefined ? undefined : this.fold(raw);
    if (folded !== undefined) values[this.foldIndex] = folded;
    const key = values.join(GROUP_KEY_SEPARATOR);
    if (raw !== undefined && folded !== raw) this.noteFolded(key, raw);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = new GroupAccumulator(values, this.context.buckets.count);
      this.groups.set(key, group);
    }
    group.add(span.durationUs, bucket, error);
  }

  private mergeGroup(group: GroupAccumulator): void {
    const key = group.values.join(GROUP_KEY_SEPARATOR);
    const mine = this.groups.get(key);
    if (mine) mine.merge(group);
    else this.groups.set(key, group);
  }

  merge(other: GroupsAccumulator): void {
    for (const group of other.groups.values()) this.mergeGroup(group);
    for (const [key, names] of other.foldedFrom) for (const raw of names) this.noteFolded(key, raw);
  }

  toState(): readonly GroupState[] {
    return [...this.groups].map(([key, group]) => {
      const folded = this.foldedFrom.get(key);
      return folded === undefined ? group.toState() : { ...group.toState(), foldedFrom: [...folded] };
    });
  }

  finish(): GroupsOutput {
    const { groupBy, buckets, windowSeconds } = this.context;
    const groups = [...this.groups.values()];
    let spansCounted = 0;
    for (const group of groups) spansCounted += group.count;
    const groupMetrics: GroupMetrics[] = groups
      .map((group) => ({
        ...(this.foldIndex >= 0 && { foldedNames: this.foldedFrom.get(group.values.join(GROUP_KEY_SEPARATOR))?.size ?? 0 }),
        ...groupIdentity(groupBy, group.values),
        count: group.count,
        errorCount: group.errorCount,
        // error rate = error spans / spans of the group
        errorRate: group.errorCount / group.count,
        // rate = spans per second of the query window (an estimate when the window was sampled)
        ratePerSecond: group.count / windowSeconds,
        ...(this.context.options.compareBounds ? group.statsWithBounds() : { durations: group.stats() }),
        timeline: timelinePoints([group], buckets),
      }))
      .sort((a, b) => b.count - a.count || compareCodeUnits(a.key, b.key));
    return { spansCounted, groups: groupMetrics, timeline: { bucketWidthUs: buckets.widthUs, points: timelinePoints(groups, buckets) } };
  }
}

export const groupsMetric = defineMetric({
  definition:
    'Per group of the group-by keys: spans counted, error spans and error rate, spans per second of the window, ' +
    'exact nearest-rank p50/p90/p95/p99 with 95% intervals, and per time bucket the same; plus the whole query as one timeline.',
  create: (context, state?: readonly GroupState[]) => new GroupsAccumulator(context, state),
  buffers: (state) => state.flatMap((group) => [group.durations.buffer, group.buckets.buffer, group.errorsPerBucket.buffer]),
});
