import { describe, expect, it } from 'vitest';
import { parseDashboardQuery, serializeDashboardQuery } from './dashboard-query.ts';
import { LOOKBACK_PRESETS, pinWindow, relativeWindowStepMs, resolveWindow } from './window.ts';

const NOW_MS = Date.parse('2026-11-23T10:00:00.000Z');
const iso = (us: number) => new Date(us / 1_000).toISOString();
const window = (search: string, nowMs: number) => {
  const { startUs, endUs } = resolveWindow(parseDashboardQuery(search), nowMs);
  return [iso(startUs), iso(endUs)];
};

function parseLookbackUs(lookback: string): number {
  const query = parseDashboardQuery(`lookback=${lookback}`);
  if (query.window.kind !== 'relative') throw new Error('expected a relative window');
  return query.window.lookbackUs;
}

describe('relativeWindowStepMs', () => {
  it('floors now to 5 s up to 6 h, then 15 s, 30 s and 60 s', () => {
    expect(Object.fromEntries(LOOKBACK_PRESETS.map((lookback) => [lookback, relativeWindowStepMs(parseLookbackUs(lookback))]))).toEqual({
      '5m': 5_000,
      '15m': 5_000,
      '30m': 5_000,
      '1h': 5_000,
      '3h': 5_000,
      '6h': 15_000,
      '12h': 30_000,
      '1d': 60_000,
      '2d': 60_000,
      '7d': 60_000,
    });
  });

  it('takes the coarser step exactly at each threshold and keeps short typed windows nearly unfloored', () => {
    expect([59_999_999, 60_000_000, 299_999_999, 300_000_000].map(relativeWindowStepMs)).toEqual([1, 1_000, 1_000, 5_000]);
    const h = 3_600_000_000;
    expect([6 * h - 1, 6 * h, 12 * h - 1, 12 * h, 24 * h - 1, 24 * h, 30 * 24 * h].map(relativeWindowStepMs)).toEqual([
      5_000, 15_000, 15_000, 30_000, 30_000, 60_000, 60_000,
    ]);
  });
});

describe('resolveWindow', () => {
  it('ends a relative window now when now is on a step, and starts it one lookback earlier', () => {
    expect(resolveWindow(parseDashboardQuery('lookback=15m'), NOW_MS)).toEqual({
      startUs: (NOW_MS - 15 * 60_000) * 1_000,
      endUs: NOW_MS * 1_000,
    });
  });

  it('floors the end of a window up to 6 h to the 5 s step it is in, keeping the length exactly the lookback', () => {
    // 10:00:04.999 and 10:00:00.000 share the 5 s step that starts at 10:00:00; 10:00:05.000 starts the next.
    expect(window('lookback=15m', NOW_MS + 4_999)).toEqual(['2026-11-23T09:45:00.000Z', '2026-11-23T10:00:00.000Z']);
    expect(window('lookback=15m', NOW_MS + 5_000)).toEqual(['2026-11-23T09:45:05.000Z', '2026-11-23T10:00:05.000Z']);
    expect(window('lookback=1h', NOW_MS + 12_345.678)).toEqual(['2026-11-23T09:00:10.000Z', '2026-11-23T10:00:10.000Z']);
    expect(window('lookback=3h', NOW_MS - 1)).toEqual(['2026-11-23T06:59:55.000Z', '2026-11-23T09:59:55.000Z']);
  });

  it('floors longer windows to 15 s, 30 s and 60 s', () => {
    const at = NOW_MS + 59_999; // 10:00:59.999
    expect(window('lookback=6h', at)).toEqual(['2026-11-23T04:00:45.000Z', '2026-11-23T10:00:45.000Z']);
    expect(window('lookback=12h', at)).toEqual(['2026-11-22T22:00:30.000Z', '2026-11-23T10:00:30.000Z']);
    expect(window('lookback=1d', at)).toEqual(['2026-11-22T10:00:00.000Z', '2026-11-23T10:00:00.000Z']);
    expect(window('lookback=7d', NOW_MS + 60_000)).toEqual(['2026-11-16T10:01:00.000Z', '2026-11-23T10:01:00.000Z']);
  });

  it('floors a typed short lookback to whole seconds, and one under a minute only to whole ms', () => {
    expect(window('lookback=2m', NOW_MS + 1_999)).toEqual(['2026-11-23T09:58:01.000Z', '2026-11-23T10:00:01.000Z']);
    expect(resolveWindow(parseDashboardQuery('lookback=30s'), NOW_MS + 1_234.9)).toEqual({
      startUs: (NOW_MS + 1_234 - 30_000) * 1_000,
      endUs: (NOW_MS + 1_234) * 1_000,
    });
  });

  it('gives every moment of one step the same window, and the end of a window resolves to that window again', () => {
    const query = parseDashboardQuery('lookback=1h');
    const first = resolveWindow(query, NOW_MS + 5_000);
    for (const offsetMs of [5_000, 5_001, 7_500, 9_999]) expect(resolveWindow(query, NOW_MS + offsetMs)).toEqual(first);
    expect(resolveWindow(query, first.endUs / 1_000)).toEqual(first);
  });

  it('uses the default lookback of one hour', () => {
    const window = resolveWindow(parseDashboardQuery(''), NOW_MS);
    expect(window.endUs - window.startUs).toBe(3_600_000_000);
  });

  it('returns an absolute window as given, whatever the time now', () => {
    const query = parseDashboardQuery('start=2026-11-01T00:00:00Z&end=2026-11-01T00:00:01.5Z');
    expect(resolveWindow(query, NOW_MS)).toEqual({ startUs: 1_793_491_200_000_000, endUs: 1_793_491_201_500_000 });
  });
});

describe('pinWindow', () => {
  it('turns a relative window into the absolute one it means now, and stops live refresh', () => {
    const pinned = pinWindow(parseDashboardQuery('service=api&lookback=30m&refresh=5s'), NOW_MS);
    expect(serializeDashboardQuery(pinned)).toBe('service=api&start=2026-11-23T09%3A30%3A00.000Z&end=2026-11-23T10%3A00%3A00.000Z');
    expect(resolveWindow(pinned, NOW_MS + 3_600_000)).toEqual(resolveWindow(parseDashboardQuery('lookback=30m'), NOW_MS));
  });

  it('pins, at the end of the window the numbers were computed for, exactly that window ("Copy link")', () => {
    for (const lookback of LOOKBACK_PRESETS) {
      const query = parseDashboardQuery(`service=api&lookback=${lookback}&refresh=5s`);
      // What the server computed at 10:00:07.123 and reported as windowStartUs/windowEndUs…
      const shown = resolveWindow(query, NOW_MS + 7_123);
      // …is what dashboard-controls pins a few seconds later, from the shown windowEndUs.
      const pinned = pinWindow(query, Math.floor(shown.endUs / 1_000));
      expect(pinned.window).toEqual({ kind: 'absolute', ...shown });
    }
  });

  it('leaves an absolute window alone', () => {
    const query = parseDashboardQuery('start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z&refresh=15s');
    expect(pinWindow(query, NOW_MS)).toBe(query);
  });
});
