import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRows, compareWindows, newcombeInterval, quantileBounds, wilsonInterval, type WindowSample } from './compare.ts';
import { nearestRank } from './percentiles.ts';

const HOUR_US = 3_600_000_000;
const SAME_LENGTH = { currentUs: HOUR_US, baselineUs: HOUR_US };

/** A window of durations (any order) with `errorCount` errors, as the groups metric would report it. */
function sample(durations: readonly number[], errorCount = 0): WindowSample {
  const sorted = Float64Array.from(durations).sort();
  return {
    count: sorted.length,
    errorCount,
    p50Us: nearestRank(sorted, 0.5),
    p95Us: nearestRank(sorted, 0.95),
    p99Us: nearestRank(sorted, 0.99),
    bounds: quantileBounds(sorted),
  };
}
const range = (n: number, step = 1, from = step) => Array.from({ length: n }, (_, i) => from + i * step);

describe('quantileBounds: order statistics at the binomial ranks for level √0.95', () => {
  it('takes x(5) and x(16) for p50 of n = 20', () => {
    // Bin(20, ½): F(4) = 0.0059 ≤ 0.01266 = (1 − √0.95)/2 < F(5) = 0.0207, so l = 5;
    // F(14) = 0.9793 < 0.98734 ≤ F(15) = 0.9941, so u = 16.
    expect(quantileBounds(range(20, 10))).toEqual({ p50: { lowerUs: 50, upperUs: 160 }, p95: null, p99: null });
  });

  it('needs n ≥ 7 for p50: Bin(7, ½) puts 1/128 ≤ 1.266% below x(1) and 1/128 above x(7); n = 6 puts 1/64', () => {
    expect(quantileBounds(range(7)).p50).toEqual({ lowerUs: 1, upperUs: 7 });
    expect(quantileBounds(range(6)).p50).toBeNull();
  });

  it('is wider than the 95% interval of the same sample, which takes x(6) and x(15) at n = 20', () => {
    const bounds = quantileBounds(range(20));
    expect([bounds.p50?.lowerUs, bounds.p50?.upperUs]).toEqual([5, 16]);
  });
});

describe('wilsonInterval', () => {
  it('matches the Wilson score interval worked by hand', () => {
    // 0/10: upper = (z²/n)/(1 + z²/n) = 0.38415/1.38415.
    const none = wilsonInterval(0, 10);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(0.277533, 6);
    // 5/10: centre ½, half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²) = 1.41600 × 0.186020.
    const half = wilsonInterval(5, 10);
    expect(half.lower).toBeCloseTo(0.236593, 6);
    expect(half.upper).toBeCloseTo(0.763407, 6);
  });
});

describe('newcombeInterval (hybrid score, method 10)', () => {
  it("reproduces Newcombe's (1998) published examples", () => {
    const a = newcombeInterval(56, 70, 48, 80);
    expect(a.lower).toBeCloseTo(0.0524, 4);
    expect(a.upper).toBeCloseTo(0.3339, 4);
    const b = newcombeInterval(9, 10, 3, 10);
    expect(b.lower).toBeCloseTo(0.1705, 4);
    expect(b.upper).toBeCloseTo(0.809, 4);
  });
});

describe('compareWindows', () => {
  it('flags a slower p95 whose interval excludes zero, and says by how much at least', () => {
    // 200 spans each: baseline 1..200 µs, current 1..200 µs plus 100 µs on every span.
    const baseline = sample(range(200));
    const current = sample(range(200, 1, 101));
    const comparison = compareWindows(current, baseline, SAME_LENGTH);
    expect(comparison.presence).toBe('both');
    // At n = 200 the √0.95 ranks are 183..197 for p95 and 84..117 for p50 (Bin(200, q) tails ≤ 1.266%).
    expect(comparison.p95).toEqual({ delta: 100, interval: { lower: 283 - 197, upper: 297 - 183 }, flag: 'regression' });
    expect(comparison.p50).toEqual({ delta: 100, interval: { lower: 184 - 117, upper: 217 - 84 }, flag: 'regression' });
    expect(comparison.p99).toEqual({ delta: 100, interval: null, flag: null });
    // p50's lower bound relative to the baseline p50 (100), 67/100, beats p95's (283 − 197)/190.
    expect(comparison.regressionScore).toBeCloseTo(67 / 100, 12);
    expect(comparison.count).toEqual({ delta: 0, rateRatio: 1, interval: expect.any(Object), flag: null });
    // No error in either: [0 − u, 0 + u] with u = Wilson's upper bound of 0/200 = 0.018845.
    expect(comparison.errorRate?.flag).toBeNull();
    expect(comparison.errorRate?.interval?.lower).toBeCloseTo(-0.018845, 6);
    expect(comparison.errorRate?.interval?.upper).toBeCloseTo(0.018845, 6);
  });

  it('does not flag a shift inside the intervals, and calls the faster window an improvement', () => {
    const baseline = sample(range(200));
    const slightlySlower = compareWindows(sample(range(200, 1, 6)), baseline, SAME_LENGTH);
    expect(slightlySlower.p50?.flag).toBeNull();
    expect(slightlySlower.p95?.flag).toBeNull();
    expect(slightlySlower.regressionScore).toBeLessThanOrEqual(0);
    const faster = compareWindows(baseline, sample(range(200, 1, 101)), SAME_LENGTH);
    expect(faster.p95?.flag).toBe('improvement');
    expect(faster.regressionScore).toBeLessThan(0);
  });

  it('tests the error rate with the Newcombe interval', () => {
    const durations = range(100);
    const worse = compareWindows(sample(durations, 20), sample(durations, 5), SAME_LENGTH);
    // Wilson 20/100 = [0.133367, 0.288829], 5/100 = [0.021544, 0.111750]: d = 0.15, lower 0.15 − √(0.066633² + 0.061750²).
    expect(worse.errorRate?.delta).toBeCloseTo(0.15, 12);
    expect(worse.errorRate?.interval?.lower).toBeCloseTo(0.059154, 5);
    expect(worse.errorRate?.flag).toBe('regression');
    expect(worse.regressionScore).toBeCloseTo(worse.errorRate?.interval?.lower ?? NaN, 12);
    const noisy = compareWindows(sample(durations, 5), sample(durations, 1), SAME_LENGTH);
    // 5/100 vs 1/100: [−0.0128, 0.1023] holds 0.
    expect(noisy.errorRate?.interval?.lower).toBeCloseTo(-0.012809, 5);
    expect(noisy.errorRate?.flag).toBeNull();
  });

  it('tests the count as a rate ratio through the conditional binomial, scaled by the window lengths', () => {
    const tripled = compareWindows(sample(range(30)), sample(range(10)), SAME_LENGTH);
    // π = 30/40, Wilson [0.598060, 0.858129] → ratio π/(1 − π): [1.48794, 6.04865].
    expect(tripled.count.delta).toBe(20);
    expect(tripled.count.rateRatio).toBe(3);
    expect(tripled.count.interval.lower).toBeCloseTo(1.487936, 5);
    expect(tripled.count.interval.upper).toBeCloseTo(6.048648, 5);
    expect(tripled.count.flag).toBe('increase');
    // 10 spans in 1 h against 20 in 2 h is the same rate: ratio 1, Wilson(10, 30) ×2 = [0.47618, 2.10004].
    const sameRate = compareWindows(sample(range(10)), sample(range(20)), { currentUs: HOUR_US, baselineUs: 2 * HOUR_US });
    expect(sameRate.count.rateRatio).toBe(1);
    expect(sameRate.count.interval.lower).toBeCloseTo(0.476182, 5);
    expect(sameRate.count.interval.upper).toBeCloseTo(2.100037, 5);
    expect(sameRate.count.flag).toBeNull();
  });

  it('says new and gone, never dividing by zero', () => {
    const fresh = compareWindows(sample(range(12)), null, SAME_LENGTH);
    expect(fresh.presence).toBe('new');
    expect(fresh.baseline).toEqual({ count: 0, errorCount: 0, errorRate: null, p50Us: null, p95Us: null, p99Us: null });
    expect([fresh.errorRate, fresh.p50, fresh.p95, fresh.p99, fresh.regressionScore]).toEqual([null, null, null, null, null]);
    // 12 of 12: Wilson [0.75751, 1] → ratio from 3.1238, unbounded above.
    expect(fresh.count.rateRatio).toBeNull();
    expect(fresh.count.interval.lower).toBeCloseTo(3.123813, 5);
    expect(fresh.count.interval.upper).toBeNull();
    expect(fresh.count.flag).toBe('increase');

    const gone = compareWindows(null, sample(range(12), 3), SAME_LENGTH);
    expect(gone.presence).toBe('gone');
    expect(gone.baseline).toEqual({ count: 12, errorCount: 3, errorRate: 0.25, p50Us: 6, p95Us: 12, p99Us: 12 });
    expect(gone.count).toEqual({ delta: -12, rateRatio: 0, interval: { lower: 0, upper: expect.any(Number) }, flag: 'decrease' });
    expect(() => compareWindows(null, null, SAME_LENGTH)).toThrow(RangeError);
  });

  it('leaves a percentile unflagged when a window has too few spans for its interval', () => {
    const comparison = compareWindows(sample([1_000, 1_000, 1_000]), sample([1, 1, 1]), SAME_LENGTH);
    expect(comparison.p50).toEqual({ delta: 999, interval: null, flag: null });
    expect(comparison.regressionScore).toBe(comparison.errorRate?.interval?.lower);
  });
});

describe('compareRows', () => {
  it('matches rows by key, says new and gone, and gives no comparison to a row empty in both windows', () => {
    type Row = { readonly key: string; readonly durations: readonly number[] };
    const current: Row[] = [
      { key: 'both', durations: range(10) },
      { key: 'new', durations: range(10) },
      { key: 'empty', durations: [] },
    ];
    const baseline: Row[] = [
      { key: 'both', durations: range(10) },
      { key: 'gone', durations: range(4) },
      { key: 'empty', durations: [] },
      { key: 'never', durations: [] },
    ];
    const compared = compareRows(
      current,
      baseline,
      (row) => row.key,
      (row) => (row.durations.length === 0 ? null : sample(row.durations)),
      SAME_LENGTH,
    );
    expect(compared.rows.map(({ row, comparison }) => [row.key, comparison?.presence ?? null])).toEqual([
      ['both', 'both'],
      ['new', 'new'],
      ['empty', null],
    ]);
    expect(compared.gone.map(({ row, comparison }) => [row.key, comparison?.presence, comparison?.count.delta])).toEqual([['gone', 'gone', -4]]);
  });
});

/** A seeded xorshift32 stream in (0, 1), so each fast-check seed is one reproducible draw. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4_294_967_296;
  };
}

/** Share of 300 seeded pairs of windows (n = 100–400 each) where p50, p95 and the error rate are flagged. */
function flagRates(slowdown: number): { p50: number; p95: number; errorRate: number } {
  const flagged = { p50: 0, p95: 0, errorRate: 0 };
  let runs = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 100, max: 400 }), (seed, n) => {
      const next = uniforms(seed);
      // Log-normal durations (median 20 ms, wide tail) in whole µs, ties included, and 2% errors.
      const draw = (scale: number) => {
        const durations = Array.from({ length: n }, () =>
          Math.round(scale * 20_000 * Math.exp(Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()))),
        );
        return sample(durations, durations.filter(() => next() < 0.02).length);
      };
      const comparison = compareWindows(draw(slowdown), draw(1), SAME_LENGTH);
      runs += 1;
      for (const key of ['p50', 'p95', 'errorRate'] as const) if (comparison[key]?.flag) flagged[key] += 1;
    }),
    { numRuns: 300, seed: 13 },
  );
  return { p50: flagged.p50 / runs, p95: flagged.p95 / runs, errorRate: flagged.errorRate / runs };
}

describe('identical distributions flag about never', () => {
  it('flags p50, p95 or the error rate in at most 5% of seeded pairs of windows drawn alike', () => {
    const rates = flagRates(1);
    expect(rates.p50).toBeLessThanOrEqual(0.05);
    expect(rates.p95).toBeLessThanOrEqual(0.05);
    expect(rates.errorRate).toBeLessThanOrEqual(0.05);
  });

  it('yet flags p50 in at least 90% of pairs when the current window is twice as slow', () => {
    expect(flagRates(2).p50).toBeGreaterThanOrEqual(0.9);
  });
});
