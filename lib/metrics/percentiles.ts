import type { DurationStats, Percentile } from './types.ts';

/** The quantiles every duration summary carries (design §4). */
const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/** Two-sided confidence of the percentile interval. */
const CONFIDENCE = 0.95;

/**
 * Exact nearest-rank percentile: the ⌈q·n⌉-th smallest value (1-based), no interpolation, no
 * buckets. `sorted` must be ascending and non-empty. q·n is rounded to 12 significant digits first
 * so that e.g. 0.95·20 = 19.000000000000004 gives rank 19, not 20.
 */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('nearestRank needs at least one value');
  const rank = Math.min(n, Math.max(1, Math.ceil(Number((q * n).toPrecision(12)))));
  return sorted[rank - 1] as number;
}

/**
 * Binomial CDF P(B ≤ k) for B ~ Bin(n, q), k = 0..n, as one array. Computed from the mode outwards
 * with the pmf recurrence and normalised over the window where mass is not negligible (±12σ), so it
 * neither underflows for large n nor costs more than O(√n) per call.
 */
function binomialCdf(n: number, q: number): { from: number; cdf: Float64Array } {
  const sigma = Math.sqrt(n * q * (1 - q));
  const mode = Math.min(n, Math.floor((n + 1) * q));
  const from = Math.max(0, Math.floor(mode - 12 * sigma - 12));
  const to = Math.min(n, Math.ceil(mode + 12 * sigma + 12));
  const pmf = new Float64Array(to - from + 1);
  const ratio = q / (1 - q);
  pmf[mode - from] = 1;
  for (let k = mode; k < to; k++) pmf[k + 1 - from] = (pmf[k - from] as number) * ((n - k) / (k + 1)) * ratio;
  for (let k = mode; k > from; k--) pmf[k - 1 - from] = ((pmf[k - from] as number) * (k / (n - k + 1))) / ratio;
  let total = 0;
  for (const p of pmf) total += p;
  const cdf = new Float64Array(pmf.length);
  let running = 0;
  for (let i = 0; i < pmf.length; i++) {
    running += (pmf[i] as number) / total;
    cdf[i] = running;
  }
  return { from, cdf };
}

/**
 * Distribution-free (order-statistic) 95% interval for the q-quantile: the number of sample values
 * below the true quantile is Bin(n, q), so [x(l), x(u)] covers it with probability
 * F(u−1) − F(l−1) ≥ 95%, where l is the largest rank with F(l−1) ≤ 2.5% and u the smallest with
 * F(u−1) ≥ 97.5%. Null when either rank falls outside 1..n, i.e. when n is too small for the tail:
 * the exact minimum is n ≥ 6 for p50, 36 for p90, 72 for p95 and 368 for p99 (see the tests).
 * Returns 1-based ranks. `confidence` other than 95% is for window comparisons (lib/metrics/compare.ts).
 */
export function intervalRanks(n: number, q: number, confidence = CONFIDENCE): { lower: number; upper: number } | null {
  if (n < 1 || q <= 0 || q >= 1) return null;
  const tail = (1 - confidence) / 2;
  const { from, cdf } = binomialCdf(n, q);
  // F(k) for any k in 0..n; outside the computed window the mass is < 1e-30.
  const cdfAt = (k: number): number => (k < from ? 0 : k - from >= cdf.length ? 1 : (cdf[k - from] as number));
  if (cdfAt(0) > tail) return null;
  // Below the computed window F is 0 (≤ tail), so the search may start there.
  let lower = Math.max(1, from);
  while (lower + 1 <= n && cdfAt(lower) <= tail) lower++;
  let upper = lower;
  while (upper <= n && cdfAt(upper - 1) < 1 - tail) upper++;
  if (upper > n) return null;
  return { lower, upper };
}

/** A nearest-rank percentile with its order-statistic interval. */
export function percentile(sorted: ArrayLike<number>, q: number): Percentile {
  const ranks = intervalRanks(sorted.length, q);
  return {
    valueUs: nearestRank(sorted, q),
    interval: ranks ? { lowerUs: sorted[ranks.lower - 1] as number, upperUs: sorted[ranks.upper - 1] as number } : null,
  };
}

/** Count, min, mean, max and the exact percentiles of an ascending, non-empty list. */
export function durationStats(sorted: ArrayLike<number>): DurationStats {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  return {
    count: n,
    minUs: sorted[0] as number,
    meanUs: Math.round(sum / n),
    maxUs: sorted[n - 1] as number,
    p50: percentile(sorted, QUANTILES.p50),
    p90: percentile(sorted, QUANTILES.p90),
    p95: percentile(sorted, QUANTILES.p95),
    p99: percentile(sorted, QUANTILES.p99),
  };
}
