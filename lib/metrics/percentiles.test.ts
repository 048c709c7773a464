import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationStats, intervalRanks, nearestRank, percentile } from './percentiles.ts';

const ascending = (values: number[]): Float64Array => Float64Array.from(values).sort();

/** The naive reference: sort everything, take index ceil(q·n) − 1 computed in exact rationals. */
function naiveRank(values: number[], qPercent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((qPercent * sorted.length) / 100));
  return sorted[rank - 1] as number;
}

describe('nearestRank', () => {
  it.each([
    { values: [7], q: 0.5, expected: 7 },
    { values: [7], q: 0.99, expected: 7 },
    { values: [3, 9], q: 0.5, expected: 3 },
    { values: [3, 9], q: 0.51, expected: 9 },
    { values: [3, 9], q: 0.99, expected: 9 },
    { values: [5, 5, 5, 5], q: 0.95, expected: 5 },
    { values: [0, 0, 0, 1], q: 0.5, expected: 0 },
    { values: [0, 0, 0, 1], q: 0.76, expected: 1 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.9, expected: 9 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.95, expected: 10 },
    { values: [2 ** 52, 1, 2 ** 53], q: 0.99, expected: 2 ** 53 },
  ])('takes the ⌈q·n⌉-th smallest of $values at q=$q', ({ values, q, expected }) => {
    expect(nearestRank(ascending(values), q)).toBe(expected);
  });

  it('does not let floating point push q·n over an integer (0.95·20 is rank 19)', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(ascending(values), 0.95)).toBe(19);
    expect(nearestRank(ascending(Array.from({ length: 100 }, (_, i) => i + 1)), 0.29)).toBe(29);
  });

  it('throws on an empty list', () => {
    expect(() => nearestRank(new Float64Array(0), 0.5)).toThrow(RangeError);
  });

  it('equals sort-everything on random data for every integer percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 99 }),
        (values, qPercent) => nearestRank(ascending(values), qPercent / 100) === naiveRank(values, qPercent),
      ),
      { seed: 20261123, numRuns: 500 },
    );
  });
});

describe('intervalRanks', () => {
  it.each([
    { q: 0.5, minimum: 6 },
    { q: 0.9, minimum: 36 },
    { q: 0.95, minimum: 72 },
    { q: 0.99, minimum: 368 },
  ])('gives no interval for q=$q below n=$minimum and one from there on', ({ q, minimum }) => {
    expect(intervalRanks(minimum - 1, q)).toBeNull();
    expect(intervalRanks(minimum, q)).not.toBeNull();
  });

  it('matches the textbook ranks for the median of 100 (40th and 61st)', () => {
    expect(intervalRanks(100, 0.5)).toEqual({ lower: 40, upper: 61 });
  });

  it('is null for p99 with n = 100', () => {
    expect(intervalRanks(100, 0.99)).toBeNull();
  });

  it('covers the quantile with at least 95% binomial probability and stays inside 1..n', () => {
    const binomialCoverage = (n: number, q: number, lower: number, upper: number): number => {
      // P(lower ≤ B < upper), B ~ Bin(n, q), summed in log space term by term.
      let total = 0;
      for (let k = lower; k < upper; k++) {
        let logC = 0;
        for (let i = 1; i <= k; i++) logC += Math.log((n - k + i) / i);
        total += Math.exp(logC + k * Math.log(q) + (n - k) * Math.log(1 - q));
      }
      return total;
    };
    for (const [n, q] of [
      [6, 0.5],
      [50, 0.5],
      [100, 0.9],
      [250, 0.95],
      [400, 0.99],
      [1000, 0.99],
    ] as const) {
      const ranks = intervalRanks(n, q);
      expect(ranks).not.toBeNull();
      expect(ranks!.lower).toBeGreaterThanOrEqual(1);
      expect(ranks!.upper).toBeLessThanOrEqual(n);
      expect(binomialCoverage(n, q, ranks!.lower, ranks!.upper)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('stays near q·n ± 2σ for a million values without underflow', () => {
    const ranks = intervalRanks(1_000_000, 0.99)!;
    expect(ranks.lower).toBe(989805);
    expect(ranks.upper).toBe(990196);
  });
});

describe('percentile', () => {
  it('returns the order statistics at the interval ranks', () => {
    const values = ascending(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
    expect(percentile(values, 0.5)).toEqual({ valueUs: 500, interval: { lowerUs: 400, upperUs: 610 } });
    expect(percentile(values, 0.99)).toEqual({ valueUs: 990, interval: null });
  });
});

describe('durationStats', () => {
  it('summarises one value', () => {
    const stats = durationStats(ascending([42]));
    expect(stats).toMatchObject({ count: 1, minUs: 42, meanUs: 42, maxUs: 42 });
    expect(stats.p99).toEqual({ valueUs: 42, interval: null });
  });

  it('handles zero durations and durations beyond 2^32 µs', () => {
    const stats = durationStats(ascending([0, 0, 5_000_000_000, 0]));
    expect(stats).toMatchObject({ count: 4, minUs: 0, maxUs: 5_000_000_000, meanUs: 1_250_000_000 });
    expect(stats.p50.valueUs).toBe(0);
    expect(stats.p95.valueUs).toBe(5_000_000_000);
  });
});
