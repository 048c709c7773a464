import { FloatList } from './float-list.ts';
import { durationStats, nearestRank } from './percentiles.ts';
import type { TimeBuckets } from './timeline.ts';
import type { DurationStats, TimelinePoint } from './types.ts';

export interface GroupState {
  readonly values: readonly string[];
  readonly errorCount: number;
  readonly durations: Float64Array;
  readonly buckets: Float64Array;
  readonly errorsPerBucket: Int32Array;
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
