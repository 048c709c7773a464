import { describe, expect, it } from 'vitest';
import { parseDashboardQuery } from '@/lib/query';
import { cellQuery } from './drilldown-view';

describe('cellQuery', () => {
  const query = parseDashboardQuery('service=actor-server&operation=actor%3A%3Aexecute&refresh=15s');

  it('narrows to the cell: its time bucket and the whole-µs durations inside [lo, hi)', () => {
    const narrowed = cellQuery(query, {
      startUs: 1_795_428_000_000_000,
      endUs: 1_795_428_030_000_000,
      minDurationUs: 1_000,
      maxDurationUs: 1_259,
      count: 3,
    });
    // The bucket is half-open [start, end) and a window's end is inclusive (as Jaeger's startTimeMax): end − 1 µs.
    expect(narrowed.window).toEqual({ kind: 'absolute', startUs: 1_795_428_000_000_000, endUs: 1_795_428_029_999_999 });
    expect(narrowed.minDurationUs).toBe(1_000);
    expect(narrowed.maxDurationUs).toBe(1_258);
    expect(narrowed.refresh).toBe('off');
    expect(narrowed.operation).toBe('actor::execute');
  });

  it('keeps a bucket edge that falls inside a millisecond exact: windows are whole µs', () => {
    const narrowed = cellQuery(query, { startUs: 1_500, endUs: 2_500, minDurationUs: 7, maxDurationUs: 8, count: 1 });
    expect(narrowed.window).toEqual({ kind: 'absolute', startUs: 1_500, endUs: 2_499 });
    expect([narrowed.minDurationUs, narrowed.maxDurationUs]).toEqual([7, 7]);
  });
});
