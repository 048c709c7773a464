import { gammaln } from 'simple-statistics';

/**
 * Fisher's exact test on a 2×2 table and Holm's correction for many of them (BubbleUp, bubbleup.ts).
 * Pure and exact in the way R's fisher.test is: the two-sided p-value is the total probability of
 * every table with the same margins that is no more likely than the observed one.
 */

/** ln(n!) summed exactly below this (the counts most tables have), Lanczos log-gamma above. */
const TABLE_SIZE = 1_024;
const LOG_FACTORIALS = (() => {
  const table = new Float64Array(TABLE_SIZE);
  for (let n = 2; n < TABLE_SIZE; n++) table[n] = (table[n - 1] as number) + Math.log(n);
  return table;
})();

function logFactorial(n: number): number {
  return n < TABLE_SIZE ? (LOG_FACTORIALS[n] as number) : gammaln(n + 1);
}

const logChoose = (n: number, r: number): number => logFactorial(n) - logFactorial(r) - logFactorial(n - r);

/** R's fisher.test counts a table as "as extreme" when its probability is within this factor of the observed one (relErr). */
const RELATIVE_TOLERANCE = 1 + 1e-7;
/** A term this much smaller than the sum so far no longer changes it in double precision. */
const NEGLIGIBLE = 1e-20;

/**
 * Two-sided Fisher exact test p-value of the table [[a, b], [c, d]] (non-negative integers): given
 * the row totals a+b and c+d and the column total a+c, x = the top-left cell is hypergeometric; p
 * sums P(x) over every x with P(x) ≤ P(a) (R: `sum(d[d <= d[a] * relErr])`). In log space, walking
 * out from the edges of the "as likely" middle, so it is fast and does not underflow for large counts.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  const rowOne = a + b;
  const rowTwo = c + d;
  const columnOne = a + c;
  const total = rowOne + rowTwo;
  const low = Math.max(0, columnOne - rowTwo);
  const high = Math.min(columnOne, rowOne);
  const normaliser = logChoose(total, columnOne);
  const logP = (x: number) => logChoose(rowOne, x) + logChoose(rowTwo, columnOne - x) - normaliser;
  const threshold = logP(a) + Math.log(RELATIVE_TOLERANCE);
  const mode = Math.min(high, Math.max(low, Math.floor(((columnOne + 1) * (rowOne + 1)) / (total + 2))));

  // P rises from `low` to the mode and falls after it, so the tables at most as likely as the observed
  // one are a run at each end: [low, left] and [right, high]. Binary search finds where each run ends.
  let left = low - 1;
  for (let lo = low, hi = mode; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (logP(mid) <= threshold) {
      left = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let right = high + 1;
  for (let lo = mode + 1, hi = high; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (logP(mid) <= threshold) {
      right = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  const logTail = (from: number, to: number, step: 1 | -1): number => {
    if ((to - from) * step < 0) return -Infinity;
    // Terms fall geometrically away from the mode: sum relative to the first (largest) one until they stop counting.
    const first = logP(from);
    let sum = 0;
    for (let x = from; (to - x) * step >= 0; x += step) {
      const term = Math.exp(logP(x) - first);
      sum += term;
      if (term < sum * NEGLIGIBLE) break;
    }
    return first + Math.log(sum);
  };
  const leftLog = logTail(left, low, -1);
  const rightLog = logTail(right, high, 1);
  const larger = Math.max(leftLog, rightLog);
  if (larger === -Infinity) return 0;
  return Math.min(1, Math.exp(larger) * (1 + Math.exp(Math.min(leftLog, rightLog) - larger)));
}

/**
 * Holm–Bonferroni adjusted p-values (R's `p.adjust(p, "holm")`), in the input's order: the i-th
 * smallest of m becomes the running maximum of (m − j + 1)·p₍ⱼ₎ for j ≤ i, capped at 1. Rejecting
 * where the adjusted value is ≤ α keeps the chance of any false mark at most α, whatever the tests' dependence.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
