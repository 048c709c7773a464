import { LOOKBACK_MS, type DashboardQuery } from './dashboard-query.ts';

export interface ResolvedWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** The query's time window in µs since the epoch; a relative window ends at `nowMs`. */
export function resolveWindow(query: DashboardQuery, nowMs: number): ResolvedWindow {
  if (query.window.kind === 'absolute') {
    return { startUs: query.window.startMs * 1_000, endUs: query.window.endMs * 1_000 };
  }
  const endMs = Math.floor(nowMs);
  return { startUs: (endMs - LOOKBACK_MS[query.window.lookback]) * 1_000, endUs: endMs * 1_000 };
}

/** "Copy link": a relative window becomes the absolute one it means at `nowMs`, so the link shows the same data later. */
export function pinWindow(query: DashboardQuery, nowMs: number): DashboardQuery {
  if (query.window.kind === 'absolute') return query;
  const endMs = Math.floor(nowMs);
  // A pinned window shows fixed data: live refresh would only refetch the same answer.
  return { ...query, window: { kind: 'absolute', startMs: endMs - LOOKBACK_MS[query.window.lookback], endMs }, refresh: 'off' };
}
