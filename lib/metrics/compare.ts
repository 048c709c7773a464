import { intervalRanks } from './percentiles.ts';
import type { QuantileBounds } from './types.ts';

/**
 * Comparing one row (a group, a service) between the view's window ("current") and a baseline
 * window: Δcount, Δerror rate and Δp50/p95/p99, each with a 95% interval for the difference, and a
 * flag only when that interval excludes zero. Every interval is distribution-free or exact-score
 * (no normality of durations assumed); COMPARISON_DEFINITIONS says how each is computed.
 */

/**
 * Each window's quantile interval is taken at √0.95 ≈ 97.47%: the two windows are independent
 * samples, so both intervals cover their true quantiles together with probability ≥ √0.95² = 95%,
 * and then the true difference lies in [loCurrent − hiBaseline, hiCurrent − loBaseline].
 */
export const JOINT_LEVEL = Math.sqrt(0.95);
/** The standard normal 97.5% quantile (simple-statistics' probit approximates it only to 1.957). */
const Z_95 = 1.959963984540054;

const COMPARED_QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
type ComparedQuantile = keyof typeof COMPARED_QUANTILES;

/** The order statistics at the √0.95 binomial ranks for p50/p95/p99 of an ascending list. */
export function quantileBounds(sorted: ArrayLike<number>): QuantileBounds {
  const bound = (q: number) => {
    const ranks = intervalRanks(sorted.length, q, JOINT_LEVEL);
    return ranks ? { lowerUs: sorted[ranks.lower - 1] as number, upperUs: sorted[ranks.upper - 1] as number } : null;
  };
  return { p50: bound(COMPARED_QUANTILES.p50), p95: bound(COMPARED_QUANTILES.p95), p99: bound(COMPARED_QUANTILES.p99) };
}

/** One window of a row, as the comparison reads it. */
export interface WindowSample {
  readonly count: number;
  readonly errorCount: number;
  /** Nearest-rank percentiles (null with no span). */
  readonly p50Us: number | null;
  readonly p95Us: number | null;
  readonly p99Us: number | null;
  /** From quantileBounds; null with no span. */
  readonly bounds: QuantileBounds | null;
}

export type ChangeFlag = 'regression' | 'improvement';

/** A difference current − baseline with its 95% interval; `flag` only when the interval excludes 0. */
export interface Change {
  readonly delta: number;
  /** null when a window has too few spans for the interval (then never flagged). */
  readonly interval: { readonly lower: number; readonly upper: number } | null;
  readonly flag: ChangeFlag | null;
}

export interface CountChange {
  /** Spans in the current window − spans in the baseline window. */
  readonly delta: number;
  /** Spans per second now ÷ spans per second in the baseline; null when the baseline had none. */
  readonly rateRatio: number | null;
  /** 95% interval for the rate ratio; `upper` null when unbounded (no baseline span). */
  readonly interval: { readonly lower: number; readonly upper: number | null };
  /** The rate changed: the ratio interval excludes 1. Neither good nor bad by itself. */
  readonly flag: 'increase' | 'decrease' | null;
}

export interface RowComparison {
  /** `new`: no span in the baseline window; `gone`: no span in the current window. */
  readonly presence: 'both' | 'new' | 'gone';
  /** The baseline window's numbers for the row (zeros and nulls when it had no span there). */
  readonly baseline: {
    readonly count: number;
    readonly errorCount: number;
    readonly errorRate: number | null;
    readonly p50Us: number | null;
    readonly p95Us: number | null;
    readonly p99Us: number | null;
  };
  readonly count: CountChange;
  /** Error rate difference (a fraction, 0.01 = one point); null unless both windows have spans. */
  readonly errorRate: Change | null;
  /** Duration differences in µs; null unless both windows have spans. */
  readonly p50: Change | null;
  readonly p95: Change | null;
  readonly p99: Change | null;
  /**
   * "Most significant regression" order, largest first: how much worse the row is at least — the
   * largest of the lower bounds of Δp50, Δp95 and Δp99 relative to the baseline percentile and of the
   * lower bound of Δerror rate. Positive exactly when some change is flagged a regression; null when no
   * interval could be computed (a new or gone row, or too few spans).
   */
  readonly regressionScore: number | null;
}

/** Wilson score interval for a binomial proportion k/n (n > 0). */
export function wilsonInterval(k: number, n: number): { lower: number; upper: number } {
  const p = k / n;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the bound is exactly 0 (1): floating point misses it by ~1e-17.
  return { lower: k === 0 ? 0 : centre - half, upper: k === n ? 1 : centre + half };
}

/**
 * Newcombe's hybrid score interval (his method 10) for p₁ − p₂ from Wilson intervals (l₁,u₁), (l₂,u₂):
 * [d − √((p₁−l₁)² + (u₂−p₂)²), d + √((u₁−p₁)² + (p₂−l₂)²)] with d = p₁ − p₂.
 */
export function newcombeInterval(k1: number, n1: number, k2: number, n2: number): { lower: number; upper: number } {
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const a = wilsonInterval(k1, n1);
  const b = wilsonInterval(k2, n2);
  const d = p1 - p2;
  return { lower: d - Math.hypot(p1 - a.lower, b.upper - p2), upper: d + Math.hypot(a.upper - p1, p2 - b.lower) };
}

const flagOf = (interval: { lower: number; upper: number } | null): ChangeFlag | null =>
  interval === null ? null : interval.lower > 0 ? 'regression' : interval.upper < 0 ? 'improvement' : null;

/**
 * Rate ratio of two Poisson counts by the conditional binomial: given N = a + b spans in both
 * windows, a ~ Bin(N, π) with π = tₐλₐ / (tₐλₐ + t_bλ_b); the Wilson interval for π maps to the
 * rate ratio λₐ/λ_b = π/(1 − π) · t_b/tₐ, monotone in π.
 */
function countChange(a: number, b: number, currentUs: number, baselineUs: number): CountChange {
  const lengthRatio = baselineUs / currentUs;
  const total = a + b;
  const pi = wilsonInterval(a, total);
  const ratioAt = (p: number) => (p / (1 - p)) * lengthRatio;
  const lower = ratioAt(pi.lower);
  const upper = pi.upper >= 1 ? null : ratioAt(pi.upper);
  return {
    delta: a - b,
    rateRatio: b === 0 ? null : (a / b) * lengthRatio,
    interval: { lower, upper },
    flag: lower > 1 ? 'increase' : upper !== null && upper < 1 ? 'decrease' : null,
  };
}

function quantileChange(current: WindowSample, baseline: WindowSample, quantile: ComparedQuantile): Change | null {
  const key = `${quantile}Us` as const;
  const now = current[key];
  const before = baseline[key];
  if (now === null || before === null) return null;
  const a = current.bounds?.[quantile] ?? null;
  const b = baseline.bounds?.[quantile] ?? null;
  const interval = a && b ? { lower: a.lowerUs - b.upperUs, upper: a.upperUs - b.lowerUs } : null;
  return { delta: now - before, interval, flag: flagOf(interval) };
}

/**
 * The comparison of one row. `current` or `baseline` is null when the row has no span in that
 * window (never both); the window lengths scale the rate ratio (they differ only for a chosen range).
 */
export function compareWindows(
  current: WindowSample | null,
  baseline: WindowSample | null,
  lengths: { readonly currentUs: number; readonly baselineUs: number },
): RowComparison {
  const a = current?.count ?? 0;
  const b = baseline?.count ?? 0;
  if (a + b === 0) throw new RangeError('compareWindows needs a row with spans in at least one window');
  const both = current !== null && baseline !== null && a > 0 && b > 0;
  const errorInterval = both ? newcombeInterval(current.errorCount, a, baseline.errorCount, b) : null;
  const errorRate: Change | null = both
    ? { delta: current.errorCount / a - baseline.errorCount / b, interval: errorInterval, flag: flagOf(errorInterval) }
    : null;
  const p50 = both ? quantileChange(current, baseline, 'p50') : null;
  const p95 = both ? quantileChange(current, baseline, 'p95') : null;
  const p99 = both ? quantileChange(current, baseline, 'p99') : null;

  const scores: number[] = [];
  if (errorRate?.interval) scores.push(errorRate.interval.lower);
  for (const [change, before] of [
    [p50, baseline?.p50Us],
    [p95, baseline?.p95Us],
    [p99, baseline?.p99Us],
  ] as const) {
    // Relative to the baseline percentile; a 0 µs baseline counts as 1 µs (no division by zero).
    if (change?.interval && before != null) scores.push(change.interval.lower / Math.max(1, before));
  }

  return {
    presence: both ? 'both' : a > 0 ? 'new' : 'gone',
    baseline: {
      count: b,
      errorCount: baseline?.errorCount ?? 0,
      errorRate: b > 0 && baseline ? baseline.errorCount / b : null,
      p50Us: baseline?.p50Us ?? null,
      p95Us: baseline?.p95Us ?? null,
      p99Us: baseline?.p99Us ?? null,
    },
    count: countChange(a, b, lengths.currentUs, lengths.baselineUs),
    errorRate,
    p50,
    p95,
    p99,
    regressionScore: scores.length === 0 ? null : Math.max(...scores),
  };
}

/** Served with every comparison (and in the README): how each interval is computed. */
export const COMPARISON_DEFINITIONS = {
  level:
    'Every Δ carries a 95% interval for the difference current − baseline; a change is flagged only when its interval excludes 0. ' +
    'The two windows are treated as independent samples.',
  quantiles:
    'Δp50/Δp95/Δp99 (distribution-free): in each window the order statistics x(l), x(u) at the binomial ranks for level √0.95 ≈ 97.47% ' +
    '(the same rule as the percentile intervals, at that level) cover its true percentile; independent, both hold with ≥ 95%, so the ' +
    'difference lies in [lo_current − hi_baseline, hi_current − lo_baseline]. None when a window has too few spans for those ranks ' +
    '(n ≥ 7 for p50, 86 for p95, 435 for p99).',
  errorRate:
    'Δerror rate: Newcombe’s hybrid score interval — a Wilson score interval per window, combined as ' +
    '[d − √((p₁−l₁)² + (u₂−p₂)²), d + √((u₁−p₁)² + (p₂−l₂)²)].',
  count:
    'Δcount = spans now − spans in the baseline. Its test is on the rate: given both windows’ spans N = a + b, a ~ Binomial(N, π) ' +
    '(conditional Poisson); the Wilson interval for π gives the rate-ratio interval π/(1−π) × baseline length/current length. ' +
    'Flagged (increase/decrease, neither good nor bad) when it excludes 1.',
  regressionOrder:
    'Most significant regression first: by the largest lower bound among Δp50, Δp95, Δp99 (relative to the baseline percentile) and ' +
    'Δerror rate (in rate units) — how much worse the row is at least. Positive only for a flagged regression.',
} as const;

/** A row of the view with its comparison; none when the row has no span in either window. */
export interface ComparedRow<Row> {
  readonly row: Row;
  readonly comparison: RowComparison | null;
}

/**
 * Matches the current window's rows with the baseline's by key and compares each pair. `sampleOf`
 * gives null for a row without spans (a service with none in the window). Rows only in the baseline
 * come back as `gone`, each with its comparison against an empty current window.
 */
export function compareRows<Row>(
  current: readonly Row[],
  baseline: readonly Row[],
  keyOf: (row: Row) => string,
  sampleOf: (row: Row) => WindowSample | null,
  lengths: { readonly currentUs: number; readonly baselineUs: number },
): { readonly rows: readonly ComparedRow<Row>[]; readonly gone: readonly ComparedRow<Row>[] } {
  const before = new Map(baseline.map((row) => [keyOf(row), row]));
  const compare = (now: WindowSample | null, then: WindowSample | null) =>
    now === null && then === null ? null : compareWindows(now, then, lengths);
  const rows = current.map((row) => {
    const match = before.get(keyOf(row));
    return { row, comparison: compare(sampleOf(row), match === undefined ? null : sampleOf(match)) };
  });
  const seen = new Set(current.map(keyOf));
  const gone = baseline
    .filter((row) => !seen.has(keyOf(row)) && sampleOf(row) !== null)
    .map((row) => ({ row, comparison: compare(null, sampleOf(row)) }));
  return { rows, gone };
}
