import { describe, expect, it } from 'vitest';
import {
  overviewQuerySchema,
  parseDashboardQuery,
  parseMetricsQuery,
  parseQuery,
  safeParseDashboardQuery,
  serializeQuery,
} from './dashboard-query.ts';
import { resolveBaselineWindow, resolveWindow } from './window.ts';

const H = 3_600_000_000;
const D = 24 * H;
const NOW_MS = Date.parse('2026-11-23T10:00:00.000Z');
const iso = (us: number) => new Date(us / 1_000).toISOString();

function errorOf(search: string): { field: string; message: string } {
  const result = safeParseDashboardQuery(search);
  if (result.ok) throw new Error(`expected ${search} to be rejected`);
  return { field: result.error.field, message: result.error.message };
}

describe('the baseline piece', () => {
  it('reads previous, a shift of any duration, and a range in the instant grammar', () => {
    expect(parseDashboardQuery('baseline=previous').baseline).toEqual({ kind: 'previous' });
    expect(parseDashboardQuery('baseline=1d').baseline).toEqual({ kind: 'shift', shiftUs: D });
    expect(parseDashboardQuery('baseline=1w').baseline).toEqual({ kind: 'shift', shiftUs: 7 * D });
    expect(parseDashboardQuery('baseline=90m').baseline).toEqual({ kind: 'shift', shiftUs: 1.5 * H });
    expect(parseDashboardQuery('baselineStart=2026-11-22&baselineEnd=2026-11-22T06:00:00%2B01:00').baseline).toEqual({
      kind: 'range',
      startUs: Date.parse('2026-11-22T00:00:00Z') * 1_000,
      endUs: Date.parse('2026-11-22T05:00:00Z') * 1_000,
    });
    expect(parseDashboardQuery('').baseline).toBeUndefined();
    expect(parseDashboardQuery('baseline=').baseline).toBeUndefined();
  });

  it('is part of the metrics and overview queries too', () => {
    expect(parseMetricsQuery('service=a&baseline=previous').baseline).toEqual({ kind: 'previous' });
    expect(parseQuery(overviewQuerySchema, 'baseline=1w').baseline).toEqual({ kind: 'shift', shiftUs: 7 * D });
  });

  it('round-trips through serializeQuery in compact form, a range in UTC with ms', () => {
    for (const [search, written] of [
      ['baseline=previous', 'baseline=previous'],
      ['baseline=24h', 'baseline=1d'],
      ['baseline=168h', 'baseline=7d'],
      ['baseline=1h30m', 'baseline=1h30m'],
      [
        'baselineStart=2026-11-22T09:00:00Z&baselineEnd=2026-11-22T10:00:00.000001Z',
        'baselineStart=2026-11-22T09%3A00%3A00.000Z&baselineEnd=2026-11-22T10%3A00%3A00.000001Z',
      ],
    ] as const) {
      const query = parseDashboardQuery(search);
      expect(serializeQuery(query)).toBe(written);
      expect(parseDashboardQuery(serializeQuery(query))).toEqual(query);
    }
    expect(serializeQuery(parseQuery(overviewQuerySchema, 'lookback=15m&baseline=previous'))).toBe('lookback=15m&baseline=previous');
  });

  it('rejects what it cannot mean, naming the param', () => {
    expect(errorOf('baseline=yesterday')).toEqual({
      field: 'baseline',
      message: 'baseline must be previous or a duration such as 1d or 1w (the same window that much earlier); got "yesterday"',
    });
    expect(errorOf('baseline=0s').field).toBe('baseline');
    expect(errorOf('baseline=91d').message).toBe('baseline must be more than 0 and at most 90d earlier');
    expect(errorOf('baselineStart=2026-11-22')).toEqual({
      field: 'baselineEnd',
      message: 'baselineEnd is needed too: give both baselineStart and baselineEnd, or neither',
    });
    expect(errorOf('baselineEnd=2026-11-22').field).toBe('baselineStart');
    expect(errorOf('baselineStart=2026-11-22&baselineEnd=2026-11-21').message).toBe('baselineEnd must be after baselineStart');
    expect(errorOf('baselineStart=2026-10-01&baselineEnd=2026-11-21').message).toBe('The baseline range must be at most 30d long');
    expect(errorOf('baselineStart=tuesday&baselineEnd=2026-11-21').field).toBe('baselineStart');
    expect(errorOf('baseline=previous&baselineStart=2026-11-20&baselineEnd=2026-11-21')).toEqual({
      field: 'baseline',
      message: 'Give baseline or baselineStart and baselineEnd, not both',
    });
  });
});

describe('resolveBaselineWindow', () => {
  const current = resolveWindow(parseDashboardQuery('lookback=1h'), NOW_MS);
  const resolved = (search: string) => {
    const query = parseDashboardQuery(search);
    if (query.baseline === undefined) throw new Error('no baseline');
    const window = resolveBaselineWindow(query.baseline, resolveWindow(query, NOW_MS));
    return [iso(window.startUs), iso(window.endUs)];
  };

  it('previous: as long as the window, ending 1 µs before it starts (both include their ends, as Jaeger does)', () => {
    expect(resolveBaselineWindow({ kind: 'previous' }, current)).toEqual({ startUs: current.startUs - H, endUs: current.startUs - 1 });
    expect(resolved('lookback=1h&baseline=previous')).toEqual(['2026-11-23T08:00:00.000Z', '2026-11-23T08:59:59.999Z']);
    expect(resolved('start=2026-11-23T09:00:00Z&end=2026-11-23T09:20:00Z&baseline=previous')).toEqual([
      '2026-11-23T08:40:00.000Z',
      '2026-11-23T08:59:59.999Z',
    ]);
  });

  it('a shift: the same window that much earlier', () => {
    expect(resolved('lookback=1h&baseline=1d')).toEqual(['2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z']);
    expect(resolved('lookback=1h&baseline=1w')).toEqual(['2026-11-16T09:00:00.000Z', '2026-11-16T10:00:00.000Z']);
    // Exactly the window's length: the same as previous, stopping 1 µs before the window.
    expect(resolveBaselineWindow({ kind: 'shift', shiftUs: H }, current)).toEqual({ startUs: current.startUs - H, endUs: current.startUs - 1 });
  });

  it('a range: itself, of any length', () => {
    expect(resolved('lookback=1h&baselineStart=2026-11-20T00:00:00Z&baselineEnd=2026-11-20T06:00:00Z')).toEqual([
      '2026-11-20T00:00:00.000Z',
      '2026-11-20T06:00:00.000Z',
    ]);
  });

  it('refuses a baseline that overlaps the window', () => {
    expect(() => resolveBaselineWindow({ kind: 'shift', shiftUs: 30 * 60_000_000 }, current)).toThrow(
      "baseline=30m overlaps the 1h window: shift by at least the window's length, or use baseline=previous",
    );
    const overlapping = { kind: 'range', startUs: current.startUs - H, endUs: current.startUs + 1 } as const;
    expect(() => resolveBaselineWindow(overlapping, current)).toThrow(expect.objectContaining({ field: 'baselineStart' }));
    // Touching is no overlap: the baseline gives up the shared µs.
    expect(resolveBaselineWindow({ kind: 'range', startUs: current.startUs - H, endUs: current.startUs }, current)).toEqual({
      startUs: current.startUs - H,
      endUs: current.startUs - 1,
    });
    expect(resolveBaselineWindow({ kind: 'range', startUs: current.endUs, endUs: current.endUs + H }, current)).toEqual({
      startUs: current.endUs + 1,
      endUs: current.endUs + H,
    });
  });
});
