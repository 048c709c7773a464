import type { MetricsResponse, OverviewResponse, OverviewServiceRow, OverviewTotals } from '../http/api-types.ts';
import type { SearchProgress } from '../jaeger/source.ts';
import { COMPARISON_DEFINITIONS, compareRows, compareWindows, type WindowSample } from '../metrics/compare.ts';
import type { GroupMetrics } from '../metrics/types.ts';
import type { BaselineSpec, QueryWindow } from '../query/pieces.ts';
import { resolveBaselineWindow, resolveWindow, type ResolvedWindow } from '../query/window.ts';
import { computeOverview, type OverviewRequestContext } from './overview-service.ts';
import { sumCoverage } from './per-service.ts';
import { computeSharedMetrics, type SharedMetricsContext } from './shared-metrics.ts';
import type { ResolvedSource } from './sources.ts';
import type { MetricsQuery, OverviewQuery } from '../query/dashboard-query.ts';

/**
 * A view with a baseline (`baseline=previous|1d|…`, `baselineStart`/`baselineEnd`): the baseline
 * window is computed by the same services as the view's own window (computeSharedMetrics, computeOverview)
 * — its query is the view's with the window replaced and the baseline kept, so both answers carry
 * the order statistics the comparison needs (`compareBounds`) — and each row gets its comparison
 * (lib/metrics/compare.ts). The two windows run side by side.
 */

interface ComparedWindows {
  readonly window: ResolvedWindow;
  readonly baselineWindow: ResolvedWindow;
}

/**
 * Both windows of a compared query at `nowMs`; call it before streaming, so a baseline that overlaps
 * the window answers a plain 400. Null without a baseline.
 * @throws InvalidQueryError when the baseline overlaps the window.
 */
export function comparedWindows(query: { readonly window: QueryWindow; readonly baseline?: BaselineSpec }, nowMs: number): ComparedWindows | null {
  if (query.baseline === undefined) return null;
  const window = resolveWindow(query, nowMs);
  return { window, baselineWindow: resolveBaselineWindow(query.baseline, window) };
}

const lengthsOf = ({ window, baselineWindow }: ComparedWindows) => ({
  currentUs: window.endUs - window.startUs,
  baselineUs: baselineWindow.endUs - baselineWindow.startUs,
});

const groupSample = (group: GroupMetrics): WindowSample => ({
  count: group.count,
  errorCount: group.errorCount,
  p50Us: group.durations.p50.valueUs,
  p95Us: group.durations.p95.valueUs,
  p99Us: group.durations.p99.valueUs,
  bounds: group.comparisonBounds ?? null,
});

/** Progress of two runs as one: their sub-windows added up. */
function combinedProgress(onProgress: ((progress: SearchProgress) => void) | undefined) {
  const runs = [
    { subWindowsDone: 0, subWindowsPlanned: 0 },
    { subWindowsDone: 0, subWindowsPlanned: 0 },
  ];
  return (run: 0 | 1) =>
    onProgress &&
    ((progress: SearchProgress) => {
      runs[run] = progress;
      onProgress({
        subWindowsDone: runs[0]!.subWindowsDone + runs[1]!.subWindowsDone,
        subWindowsPlanned: runs[0]!.subWindowsPlanned + runs[1]!.subWindowsPlanned,
      });
    });
}

/** `/api/metrics`: the view's metrics, and with a baseline and `groups` each group compared with the baseline window's. */
export async function computeComparedMetrics(query: MetricsQuery, resolved: ResolvedSource, context: SharedMetricsContext): Promise<MetricsResponse> {
  const windows = comparedWindows(query, context.nowMs);
  // Nothing to compare without groups: the baseline window is not fetched.
  if (windows === null || !query.include.includes('groups')) return computeSharedMetrics(query, resolved, context);
  const progressOf = combinedProgress(context.onProgress);
  const baselineQuery: MetricsQuery = { ...query, window: { kind: 'absolute', ...windows.baselineWindow }, include: ['groups'] };
  const [current, baseline] = await Promise.all([
    computeSharedMetrics(query, resolved, { ...context, onProgress: progressOf(0) }),
    computeSharedMetrics(baselineQuery, resolved, { ...context, onProgress: progressOf(1) }),
  ]);
  const compared = compareRows(current.groups ?? [], baseline.groups ?? [], (group) => group.key, groupSample, lengthsOf(windows));
  return {
    ...current,
    groups: compared.rows.map(({ row, comparison }) => ({ ...row, comparison })),
    baseline: {
      windowStartUs: windows.baselineWindow.startUs,
      windowEndUs: windows.baselineWindow.endUs,
      coverage: baseline.coverage,
      definitions: COMPARISON_DEFINITIONS,
      goneGroups: compared.gone.flatMap(({ row, comparison }) =>
        comparison === null ? [] : [{ key: row.key, service: row.service, operation: row.operation, tags: row.tags, comparison }],
      ),
    },
  };
}

const countsSample = (row: OverviewServiceRow | OverviewTotals): WindowSample | null =>
  row.count === 0
    ? null
    : { count: row.count, errorCount: row.errorCount, p50Us: row.p50Us, p95Us: row.p95Us, p99Us: row.p99Us, bounds: row.comparisonBounds ?? null };
const serviceSample = (row: OverviewServiceRow): WindowSample | null => (row.error !== null ? null : countsSample(row));

/** `/api/overview`: the services home, and with a baseline each service compared with the baseline window's. */
export async function computeComparedOverview(
  query: OverviewQuery,
  resolved: ResolvedSource,
  context: OverviewRequestContext,
): Promise<OverviewResponse> {
  const windows = comparedWindows(query, context.nowMs);
  if (windows === null) return computeOverview(query, resolved, context);
  const baselineQuery: OverviewQuery = { ...query, window: { kind: 'absolute', ...windows.baselineWindow } };
  const [current, baseline] = await Promise.all([
    computeOverview(query, resolved, context),
    computeOverview(baselineQuery, resolved, { nowMs: context.nowMs, maxTraces: context.maxTraces, signal: context.signal }),
  ]);
  const compared = compareRows(current.services, baseline.services, (row) => row.service, serviceSample, lengthsOf(windows));
  const coverages = baseline.services.flatMap((row) => (row.coverage === null ? [] : [row.coverage]));
  const [totalsNow, totalsBefore] = [countsSample(current.totals), countsSample(baseline.totals)];
  return {
    ...current,
    // The whole system: every service's counted spans in either window (the union percentiles).
    totals: {
      ...current.totals,
      comparison: totalsNow === null && totalsBefore === null ? null : compareWindows(totalsNow, totalsBefore, lengthsOf(windows)),
    },
    services: compared.rows.map(({ row, comparison }) => ({ ...row, comparison })),
    baseline: {
      windowStartUs: windows.baselineWindow.startUs,
      windowEndUs: windows.baselineWindow.endUs,
      coverage: sumCoverage(coverages, coverages[0]?.api ?? 'legacy'),
      definitions: COMPARISON_DEFINITIONS,
      goneServices: compared.gone.flatMap(({ row, comparison }) => (comparison === null ? [] : [{ service: row.service, comparison }])),
    },
  };
}
