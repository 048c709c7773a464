import { formatCompactDuration } from '../units.ts';
import { InvalidQueryError } from './invalid-query-error.ts';
import type { BaselineSpec, QueryWindow } from './pieces.ts';

/** The lookbacks the window picker offers; any other duration in the URL works too. */
export const LOOKBACK_PRESETS = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '7d'] as const;

export interface ResolvedWindow {
  readonly startUs: number;
  readonly endUs: number;
}

const SECOND_US = 1_000_000;
const MINUTE_US = 60 * SECOND_US;
const HOUR_US = 60 * MINUTE_US;

/**
 * How far "now" is floored for a relative window of this lookback: its end is the last multiple of
 * the step (since the epoch) at or before now, so everyone who opens the same view within one step
 * asks the server, and so Jaeger, exactly the same window and shares one upstream plan (design §8),
 * instead of a window of their own to the millisecond.
 *
 * - 5 s up to 6 h (every preset up to 3h): 5 s is the shortest live refresh interval, so a live view
 *   of these windows gets a new window on every refresh and never refetches the same answer, and the
 *   end lags now by at most 5 s — under 2 % of the shortest preset (5m), and no more than the OTel
 *   SDKs' default batch delay (5 s) leaves the newest seconds incomplete in Jaeger anyway.
 * - 15 s from 6 h, 30 s from 12 h, 60 s from 1 d: the lag stays at most 1/1440 of the window (under one
 *   pixel of a timeline drawn 1,440 pixels wide), while these large, many-request fan-outs are planned
 *   at most once per 15–60 s per view, however many viewers and refreshes there are.
 * - Below 5 minutes (typed URLs only) the step shrinks so it is never more than 1/60 of the window:
 *   1 s from 1 minute, and no flooring (whole ms, as before) for shorter windows.
 *
 * Every step divides the next (1 s | 5 s | 15 s | 30 s | 60 s), so the ends of different lookbacks
 * line up on the coarser boundaries.
 */
export function relativeWindowStepMs(lookbackUs: number): number {
  if (lookbackUs < MINUTE_US) return 1;
  if (lookbackUs < 5 * MINUTE_US) return 1_000;
  if (lookbackUs < 6 * HOUR_US) return 5_000;
  if (lookbackUs < 12 * HOUR_US) return 15_000;
  if (lookbackUs < 24 * HOUR_US) return 30_000;
  return 60_000;
}

/**
 * The query's time window in µs since the epoch. A relative window ends at `nowMs` floored to
 * `relativeWindowStepMs(lookback)` and is exactly the lookback long; flooring is idempotent, so the
 * end of a window resolved earlier resolves to that same window ("Copy link" relies on it).
 */
export function resolveWindow(query: { readonly window: QueryWindow }, nowMs: number): ResolvedWindow {
  if (query.window.kind === 'absolute') return { startUs: query.window.startUs, endUs: query.window.endUs };
  const stepMs = relativeWindowStepMs(query.window.lookbackUs);
  const endUs = Math.floor(Math.floor(nowMs) / stepMs) * stepMs * 1_000;
  return { startUs: endUs - query.window.lookbackUs, endUs };
}

/**
 * "Copy link": a relative window becomes the absolute one it means at `nowMs`, so the link shows the
 * same data later. Pass the end of the window the numbers on screen were computed for (the server's
 * `windowEndUs`, already on a step) to pin exactly that window.
 */
export function pinWindow<Q extends { readonly window: QueryWindow; readonly refresh: string }>(query: Q, nowMs: number): Q {
  if (query.window.kind === 'absolute') return query;
  // A pinned window shows fixed data: live refresh would only refetch the same answer.
  return { ...query, window: { kind: 'absolute', ...resolveWindow(query, nowMs) }, refresh: 'off' };
}

/**
 * The baseline window of a view whose window resolved to `window`: `previous` is the window just
 * before, as long and ending where this one starts; a shift is the same window that much earlier; a
 * range is itself. Windows include both ends (as Jaeger's search does), so a baseline that ends at the
 * very µs the window starts stops 1 µs earlier (one that starts where it ends, 1 µs later): a span at
 * that instant counts in the window only. The
 * two windows must not overlap otherwise: the comparison's intervals assume two independent samples,
 * and a span in both would be compared with itself.
 * @throws InvalidQueryError (field `baseline` or `baselineStart`) when they overlap.
 */
export function resolveBaselineWindow(baseline: BaselineSpec, window: ResolvedWindow): ResolvedWindow {
  const lengthUs = window.endUs - window.startUs;
  const touching = (startUs: number, endUs: number): ResolvedWindow => ({
    startUs: startUs === window.endUs ? startUs + 1 : startUs,
    endUs: endUs === window.startUs ? endUs - 1 : endUs,
  });
  switch (baseline.kind) {
    case 'previous':
      return touching(window.startUs - lengthUs, window.startUs);
    case 'shift':
      if (baseline.shiftUs < lengthUs) {
        throw new InvalidQueryError(
          'baseline',
          `baseline=${formatCompactDuration(baseline.shiftUs)} overlaps the ${formatCompactDuration(lengthUs)} window: shift by at least the window's length, or use baseline=previous`,
        );
      }
      return touching(window.startUs - baseline.shiftUs, window.endUs - baseline.shiftUs);
    case 'range':
      if (baseline.startUs < window.endUs && window.startUs < baseline.endUs) {
        throw new InvalidQueryError(
          'baselineStart',
          'The baseline range overlaps the window: choose a range that ends before the window starts or starts after it ends',
        );
      }
      return touching(baseline.startUs, baseline.endUs);
  }
}
