import { US_PER_SECOND } from '../units.ts';

const MAX_BUCKETS = 120;
const SECOND = US_PER_SECOND;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Nice bucket widths, each at most twice the previous one, so the smallest width giving ≤ 120
 * buckets always gives more than 60 (for windows of at least 60 µs).
 */
const NICE_WIDTHS_US: readonly number[] = [
  ...[1, 10, 100, 1_000, 10_000, 100_000].flatMap((scale) => [1, 2, 3, 5].map((m) => m * scale)),
  SECOND,
  2 * SECOND,
  3 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  20 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  3 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  5 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

export interface TimeBuckets {
  readonly startUs: number;
  readonly widthUs: number;
  readonly count: number;
}

/**
 * Buckets laid over the query window, starting at its start: the smallest nice width that yields at
 * most 120 buckets (hence 60–120 for any window ≥ 60 µs and ≤ 28 days × 120).
 */
export function chooseTimeBuckets(windowStartUs: number, windowEndUs: number): TimeBuckets {
  const windowUs = Math.max(1, windowEndUs - windowStartUs);
  const widthUs = NICE_WIDTHS_US.find((width) => Math.ceil(windowUs / width) <= MAX_BUCKETS) ?? Math.ceil(windowUs / MAX_BUCKETS);
  return { startUs: windowStartUs, widthUs, count: Math.ceil(windowUs / widthUs) };
}

/** Bucket of an instant; a span starting exactly at the window end falls in the last bucket. */
export function bucketIndex(buckets: TimeBuckets, startUs: number): number {
  const index = Math.floor((startUs - buckets.startUs) / buckets.widthUs);
  return Math.min(buckets.count - 1, Math.max(0, index));
}
