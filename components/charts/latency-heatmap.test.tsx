// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Heatmap } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { LatencyHeatmap } from './latency-heatmap';
import { TIME_PLOT_MARGIN, TIME_Y_AXIS_WIDTH } from './timeline-charts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const START = 1_700_000_000_000_000;
const WIDTH = 1_000_000;
const heatmap: Heatmap = {
  bucketWidthUs: WIDTH,
  timeStartsUs: Array.from({ length: 10 }, (_, i) => START + i * WIDTH),
  durationEdgesUs: [1, 10, 100, 1_000],
  cells: [
    { timeIndex: 0, durationIndex: 1, count: 2 },
    { timeIndex: 5, durationIndex: 2, count: 1 },
    { timeIndex: 9, durationIndex: 1, count: 7 },
  ],
};

describe('LatencyHeatmap', () => {
  it('fills its container and lays the window between the timeline charts’ plot margins', () => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      right: 1_000,
      bottom: 0,
      width: 1_000,
      height: 0,
      toJSON: () => ({}),
    });
    render(<LatencyHeatmap heatmap={heatmap} windowStartUs={START} windowEndUs={START + 10 * WIDTH} selected={null} onSelect={() => {}} />);
    expect(screen.getByTestId(testIds.heatmap).getAttribute('width')).toBe('1000');
    const left = TIME_PLOT_MARGIN.left + TIME_Y_AXIS_WIDTH;
    const plot = 1_000 - TIME_PLOT_MARGIN.right - left;
    const xs = screen.getAllByTestId(testIds.heatmapCell).map((cell) => Number(cell.getAttribute('x')));
    expect(xs).toEqual([left, left + plot / 2, left + (plot * 9) / 10]);
    const last = screen.getAllByTestId(testIds.heatmapCell)[2]!;
    expect(Number(last.getAttribute('x')) + Number(last.getAttribute('width')) + 1).toBeCloseTo(left + plot);
  });

  it('selects one cell on a click, and the whole range of buckets and rows between two cells on a drag', () => {
    const onSelect = vi.fn();
    render(<LatencyHeatmap heatmap={heatmap} windowStartUs={START} windowEndUs={START + 10 * WIDTH} selected={null} onSelect={onSelect} />);
    const [first, middle, last] = screen.getAllByTestId(testIds.heatmapCell) as unknown as [Element, Element, Element];
    fireEvent.mouseDown(middle);
    fireEvent.mouseUp(window);
    // Cell (5, row 2): [100 µs, 1000 µs) in the sixth bucket.
    expect(onSelect).toHaveBeenLastCalledWith({
      startUs: START + 5 * WIDTH,
      endUs: START + 6 * WIDTH,
      minDurationUs: 100,
      maxDurationUs: 1_000,
      count: 1,
    });

    fireEvent.mouseDown(first);
    fireEvent.mouseEnter(last);
    fireEvent.mouseUp(window);
    // Buckets 0…9, rows 1 only (10 µs to 100 µs): the two row-1 cells, 2 + 7 spans; the row-2 cell is outside.
    expect(onSelect).toHaveBeenLastCalledWith({ startUs: START, endUs: START + 10 * WIDTH, minDurationUs: 10, maxDurationUs: 100, count: 9 });

    fireEvent.mouseDown(first);
    fireEvent.mouseEnter(middle);
    fireEvent.mouseUp(window);
    // Buckets 0…5, rows 1…2: cells (0, 1) and (5, 2).
    expect(onSelect).toHaveBeenLastCalledWith({ startUs: START, endUs: START + 6 * WIDTH, minDurationUs: 10, maxDurationUs: 1_000, count: 3 });
    expect(onSelect).toHaveBeenCalledTimes(3);
  });

  it('selects a range from the keyboard: Enter on one cell, Shift+Enter on another', () => {
    const onSelect = vi.fn();
    render(<LatencyHeatmap heatmap={heatmap} windowStartUs={START} windowEndUs={START + 10 * WIDTH} selected={null} onSelect={onSelect} />);
    const [first, middle] = screen.getAllByTestId(testIds.heatmapCell) as unknown as [Element, Element];
    fireEvent.keyDown(first, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith({ startUs: START, endUs: START + WIDTH, minDurationUs: 10, maxDurationUs: 100, count: 2 });
    fireEvent.keyDown(middle, { key: ' ', shiftKey: true });
    expect(onSelect).toHaveBeenLastCalledWith({ startUs: START, endUs: START + 6 * WIDTH, minDurationUs: 10, maxDurationUs: 1_000, count: 3 });
  });
});
