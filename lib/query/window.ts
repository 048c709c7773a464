import type { QueryWindow } from './pieces.ts';

/** The lookbacks the window picker offers; any other duration in the URL works too. */
export const LOOKBACK_PRESETS = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '7d'] as const;

export interface ResolvedWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** The query's time window in µs since the epoch; a relative window ends at `nowMs` (whole ms). */
export function resolveWindow(query: { readonly window: QueryWindow }, nowMs: number): ResolvedWindow {
  if (query.window.kind === 'absolute') return { startUs: query.window.startUs, endUs: query.window.endUs };
  const endUs = Math.floor(nowMs) * 1_000;
  return { startUs: endUs - query.window.lookbackUs, endUs };
}

/** "Copy link": a relative window becomes the absolute one it means at `nowMs`, so the link shows the same data later. */
export function pinWindow<Q extends { readonly window: QueryWindow; readonly refresh: string }>(query: Q, nowMs: number): Q {
  if (query.window.kind === 'absolute') return query;
  // A pinned window shows fixed data: live refresh would only refetch the same answer.
  return { ...query, window: { kind: 'absolute', ...resolveWindow(query, nowMs) }, refresh: 'off' };
}
