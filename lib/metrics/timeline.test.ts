import { describe, expect, it } from 'vitest';
import { bucketIndex, chooseTimeBuckets } from './timeline.ts';

const SECOND = 1_000_000;

describe('chooseTimeBuckets', () => {
  it.each([
    { window: 60 * SECOND, width: SECOND / 2, count: 120 },
    { window: 15 * 60 * SECOND, width: 10 * SECOND, count: 90 },
    { window: 60 * 60 * SECOND, width: 30 * SECOND, count: 120 },
    { window: 24 * 60 * 60 * SECOND, width: 15 * 60 * SECOND, count: 96 },
    { window: 7 * 24 * 60 * 60 * SECOND, width: 2 * 60 * 60 * SECOND, count: 84 },
    { window: 250 * SECOND, width: 3 * SECOND, count: 84 },
  ])('splits a $window µs window into $count buckets of $width µs', ({ window, width, count }) => {
    expect(chooseTimeBuckets(5, 5 + window)).toEqual({ startUs: 5, widthUs: width, count });
  });

  it('always gives 60 to 120 buckets for windows from a millisecond to a month', () => {
    for (let window = 1_000; window < 30 * 24 * 3600 * SECOND; window = Math.ceil(window * 1.37)) {
      const { count } = chooseTimeBuckets(0, window);
      expect(count, `window ${window}`).toBeGreaterThanOrEqual(60);
      expect(count, `window ${window}`).toBeLessThanOrEqual(120);
    }
  });
});

describe('bucketIndex', () => {
  it('puts a start on a bucket edge in the bucket it opens, and the window end in the last one', () => {
    const buckets = chooseTimeBuckets(0, 90 * SECOND);
    expect(buckets.widthUs).toBe(SECOND);
    expect(bucketIndex(buckets, 0)).toBe(0);
    expect(bucketIndex(buckets, SECOND - 1)).toBe(0);
    expect(bucketIndex(buckets, SECOND)).toBe(1);
    expect(bucketIndex(buckets, 90 * SECOND)).toBe(89);
  });
});
