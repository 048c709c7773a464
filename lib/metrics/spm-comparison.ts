/**
 * SPM's numbers (Jaeger's Monitor tab, read from Prometheus: shared/docs/jaeger-api.md §7b) beside
 * Spanlens's exact ones, row by row, with where the two disagree. Pure: the SPM rows come from
 * lib/jaeger/spm-answer.ts through /api/spm, the exact ones from the page's own metrics.
 */
import { foldSpanName } from './name-folding.ts';

/** One SPM series' latest point; null = Prometheus had no number (no new spans in the trailing window: `"NaN"`). */
export interface SpmNumbers {
  /** Calls per second over the trailing rate() window. */
  readonly ratePerSecond: number | null;
  /** STATUS_CODE_ERROR calls / calls, 0–1. */
  readonly errorRate: number | null;
  /** histogram_quantile over the spanmetrics buckets, µs. */
  readonly p50Us: number | null;
  readonly p95Us: number | null;
}

export interface SpmRow extends SpmNumbers {
  readonly service: string;
  /** null for a per-service row. */
  readonly operation: string | null;
}

export interface ExactNumbers {
  readonly ratePerSecond: number;
  readonly errorRate: number;
  readonly p50Us: number | null;
  readonly p95Us: number | null;
}

/** Relative disagreement above which a pair of numbers is highlighted. */
export const SPM_DISAGREEMENT = 0.1;

/** (SPM − exact) / exact; null when either is missing; ±Infinity when exact is 0 and SPM is not. */
export function relativeDifference(exact: number | null, spm: number | null): number | null {
  if (exact === null || spm === null) return null;
  if (exact === 0) return spm === 0 ? 0 : spm > 0 ? Infinity : -Infinity;
  return (spm - exact) / exact;
}

export interface SpmDifferences {
  readonly ratePerSecond: number | null;
  readonly errorRate: number | null;
  readonly p50Us: number | null;
  readonly p95Us: number | null;
}

export interface SpmComparisonRow {
  /** The operation (or service) name the two sides were matched on. */
  readonly name: string;
  readonly exact: ExactNumbers | null;
  readonly spm: SpmNumbers | null;
  readonly differences: SpmDifferences;
}

const NO_DIFFERENCES: SpmDifferences = { ratePerSecond: null, errorRate: null, p50Us: null, p95Us: null };

function differencesOf(exact: ExactNumbers | null, spm: SpmNumbers | null): SpmDifferences {
  if (exact === null || spm === null) return NO_DIFFERENCES;
  return {
    ratePerSecond: relativeDifference(exact.ratePerSecond, spm.ratePerSecond),
    errorRate: relativeDifference(exact.errorRate, spm.errorRate),
    p50Us: relativeDifference(exact.p50Us, spm.p50Us),
    p95Us: relativeDifference(exact.p95Us, spm.p95Us),
  };
}

// The epsilon keeps a pair exactly 10 % apart (2 vs 2.2: 0.10000000000000009 in floating point) unhighlighted.
export const disagrees = (difference: number | null): boolean => difference !== null && Math.abs(difference) > SPM_DISAGREEMENT + 1e-9;

/**
 * Rows matched by name, in the exact rows' order, then SPM-only names (series Spanlens did not see in
 * its window or sample) sorted by name.
 */
export function compareWithSpm(
  exact: readonly { readonly name: string; readonly numbers: ExactNumbers }[],
  spm: readonly { readonly name: string; readonly numbers: SpmNumbers }[],
): SpmComparisonRow[] {
  const spmByName = new Map(spm.map((row) => [row.name, row.numbers]));
  const rows: SpmComparisonRow[] = exact.map((row) => {
    const spmNumbers = spmByName.get(row.name) ?? null;
    return { name: row.name, exact: row.numbers, spm: spmNumbers, differences: differencesOf(row.numbers, spmNumbers) };
  });
  const exactNames = new Set(exact.map((row) => row.name));
  const spmOnly = spm
    .filter((row) => !exactNames.has(row.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((row) => ({ name: row.name, exact: null, spm: row.numbers, differences: NO_DIFFERENCES }));
  return [...rows, ...spmOnly];
}

/**
 * SPM's per-operation rows with their operation names folded (lib/metrics/name-folding.ts), to sit
 * beside the dashboard's folded groups: rates add up, error rates are weighted by rate, and
 * percentiles survive only where one raw name folded alone (percentiles of separate histograms do not
 * combine).
 */
export function foldSpmRows(rows: readonly SpmRow[]): SpmRow[] {
  const folded = new Map<string, SpmRow[]>();
  for (const row of rows) {
    const operation = row.operation === null ? null : foldSpanName(row.operation);
    const key = JSON.stringify([row.service, operation]);
    const members = folded.get(key);
    if (members === undefined) folded.set(key, [{ ...row, operation }]);
    else members.push({ ...row, operation });
  }
  return [...folded.values()].map((members) => {
    const [first] = members as [SpmRow, ...SpmRow[]];
    if (members.length === 1) return first;
    const rated = members.filter((row) => row.ratePerSecond !== null);
    const ratePerSecond = rated.length === 0 ? null : rated.reduce((sum, row) => sum + (row.ratePerSecond as number), 0);
    const withErrors = rated.filter((row) => row.errorRate !== null);
    const errorWeight = withErrors.reduce((sum, row) => sum + (row.ratePerSecond as number), 0);
    const errorRate =
      withErrors.length === 0 || errorWeight === 0
        ? null
        : withErrors.reduce((sum, row) => sum + (row.errorRate as number) * (row.ratePerSecond as number), 0) / errorWeight;
    return { service: first.service, operation: first.operation, ratePerSecond, errorRate, p50Us: null, p95Us: null };
  });
}
