import { describe, expect, it } from 'vitest';
import { parseDashboardQuery, serializeDashboardQuery } from './dashboard-query.ts';
import { pinWindow, resolveWindow } from './window.ts';

const NOW_MS = Date.parse('2026-11-23T10:00:00.000Z');

describe('resolveWindow', () => {
  it('ends a relative window now and starts it one lookback earlier', () => {
    expect(resolveWindow(parseDashboardQuery('lookback=15m'), NOW_MS)).toEqual({
      startUs: (NOW_MS - 15 * 60_000) * 1_000,
      endUs: NOW_MS * 1_000,
    });
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

  it('leaves an absolute window alone', () => {
    const query = parseDashboardQuery('start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z&refresh=15s');
    expect(pinWindow(query, NOW_MS)).toBe(query);
  });
});
