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
    expect(narrowed.window).toEqual({ kind: 'absolute', startMs: 1_795_428_000_000, endMs: 1_795_428_030_000 });
    expect(narrowed.minDurationUs).toBe(1_000);
    expect(narrowed.maxDurationUs).toBe(1_258);
    expect(narrowed.refresh).toBe('off');
    expect(narrowed.operation).toBe('actor::execute');
  });

  it('widens a bucket edge that falls inside a millisecond to the whole millisecond', () => {
    const narrowed = cellQuery(query, { startUs: 1_500, endUs: 2_500, minDurationUs: 7, maxDurationUs: 8, count: 1 });
    expect(narrowed.window).toEqual({ kind: 'absolute', startMs: 1, endMs: 3 });
    expect([narrowed.minDurationUs, narrowed.maxDurationUs]).toEqual([7, 7]);
  });
});
