// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Timeline, TimelinePoint } from '@/lib/metrics/types';
import { TimelineCharts } from './timeline-charts';

// happy-dom lays nothing out, so ResponsiveContainer would measure 0×0 and draw no chart: give it 600×160
// (only it, or the legend would measure as tall as the chart and leave no plot).
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const [width, height] = this.classList.contains('recharts-responsive-container') ? [600, 160] : [0, 0];
    return { x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height, toJSON: () => ({}) };
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const START = 1_700_000_000_000_000;
const WIDTH = 1_000_000;
const empty = (i: number): TimelinePoint => ({ startUs: START + i * WIDTH, count: 0, errorCount: 0, p50Us: null, p95Us: null, p99Us: null });

function renderCharts(points: TimelinePoint[]) {
  const timeline: Timeline = { bucketWidthUs: WIDTH, points };
  return render(<TimelineCharts timeline={timeline} estimated={false} windowStartUs={START} windowEndUs={START + points.length * WIDTH} />);
}

const chart = (container: HTMLElement, title: string) => {
  const figure = [...container.querySelectorAll('figure')].find((f) => f.querySelector('figcaption')?.textContent?.startsWith(title));
  if (!figure) throw new Error(`no chart ${title}`);
  return figure;
};

describe('TimelineCharts', () => {
  it('draws a marker for a series with one point, where a line alone would draw nothing', () => {
    // All spans in one bucket of sixty: error rate and percentiles have a single non-null point.
    const points = Array.from({ length: 60 }, (_, i) => empty(i));
    points[30] = { startUs: START + 30 * WIDTH, count: 4, errorCount: 1, p50Us: 1_000, p95Us: 2_000, p99Us: 3_000 };
    const { container } = renderCharts(points);
    expect(chart(container, 'Error rate').querySelectorAll('.recharts-line-dot')).toHaveLength(1);
    expect(chart(container, 'Latency').querySelectorAll('.recharts-line-dot')).toHaveLength(3);
    // Throughput has sixty points (zeros included): a line, no dots.
    expect(chart(container, 'Throughput').querySelectorAll('.recharts-line-dot')).toHaveLength(0);
    expect(chart(container, 'Throughput').querySelector('.recharts-line-curve')).not.toBeNull();
  });
});
