import { describe, expect, it } from 'vitest';
import { durationRow, HEATMAP_EDGES_US, heatmapMetric } from './heatmap.ts';
import { createMetricContext, type SpanVisit } from './metric.ts';

describe('HEATMAP_EDGES_US', () => {
  it('starts at 0, has one row per integer below 10 µs, then 10 rows per decade', () => {
    expect(HEATMAP_EDGES_US.slice(0, 16)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 16, 20, 26, 32]);
    expect(HEATMAP_EDGES_US.indexOf(100)).toBe(20);
    expect(HEATMAP_EDGES_US.indexOf(1_000_000)).toBe(60);
  });
});

describe('durationRow', () => {
  it.each([
    { d: 0, row: 0 },
    { d: 1, row: 1 },
    { d: 12, row: 10 },
    { d: 13, row: 11 },
    { d: 99, row: 19 },
    { d: 100, row: 20 },
    { d: 1_000_000, row: 60 },
    { d: 999_999, row: 59 },
  ])('puts $d µs in row $row', ({ d, row }) => {
    expect(durationRow(d)).toBe(row);
  });

  it('agrees with the real log-spaced edges for every integer up to 100,000', () => {
    for (let d = 10; d <= 100_000; d++) {
      expect(durationRow(d)).toBe(10 + Math.floor(10 * Math.log10(d) + 1e-9) - 10);
    }
  });
});

describe('heatmapMetric', () => {
  it('trims rows to those holding spans and lists non-empty cells only', () => {
    const heatmap = heatmapMetric.create(createMetricContext({ windowStartUs: 0, windowEndUs: 60_000_000 }));
    const visit = (bucket: number, durationUs: number) => ({ bucket, span: { durationUs } }) as SpanVisit;
    heatmap.addSpan?.(visit(0, 100));
    heatmap.addSpan?.(visit(0, 120));
    heatmap.addSpan?.(visit(3, 1000));
    const result = heatmap.finish().heatmap;
    expect(result.durationEdgesUs[0]).toBe(100);
    expect(result.durationEdgesUs.at(-1)).toBe(1259);
    expect(result.cells).toEqual([
      { timeIndex: 0, durationIndex: 0, count: 2 },
      { timeIndex: 3, durationIndex: 10, count: 1 },
    ]);
    expect(result.timeStartsUs).toHaveLength(120);
  });
});
