'use client';

import { useEffect, useState } from 'react';
import type { Heatmap, HeatmapCell } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { formatClockUs, formatCount, formatDurationUs, formatInstantUs } from '../ui/format';
import { TIME_PLOT_MARGIN, TIME_Y_AXIS_WIDTH } from './timeline-charts';

/** Width before the first measurement (server render, no ResizeObserver) and the narrowest drawn. */
const FALLBACK_WIDTH = 900;
const MIN_WIDTH = 320;

/** The element's content width, followed with a ResizeObserver (as recharts' ResponsiveContainer). */
function useWidth<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useEffect(() => {
    if (element === null) return;
    const measure = (measured: number) => {
      if (measured > 0) setWidth(Math.max(MIN_WIDTH, Math.floor(measured)));
    };
    measure(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => measure(entries[0]?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}

export interface HeatmapSelection {
  readonly startUs: number;
  readonly endUs: number;
  readonly minDurationUs: number;
  readonly maxDurationUs: number;
  readonly count: number;
}

export function cellSelection(heatmap: Heatmap, cell: HeatmapCell): HeatmapSelection {
  const startUs = heatmap.timeStartsUs[cell.timeIndex] ?? 0;
  return {
    startUs,
    endUs: startUs + heatmap.bucketWidthUs,
    minDurationUs: heatmap.durationEdgesUs[cell.durationIndex] ?? 0,
    maxDurationUs: heatmap.durationEdgesUs[cell.durationIndex + 1] ?? 0,
    count: cell.count,
  };
}

/**
 * The cells from `anchor` to `corner` (a drag on the heatmap): every time bucket and duration row
 * between the two, inclusive, as one selection; its count is the spans of the cells inside.
 */
export function rangeSelection(heatmap: Heatmap, anchor: HeatmapCell, corner: HeatmapCell): HeatmapSelection {
  const [firstTime, lastTime] = [Math.min(anchor.timeIndex, corner.timeIndex), Math.max(anchor.timeIndex, corner.timeIndex)];
  const [lowRow, highRow] = [Math.min(anchor.durationIndex, corner.durationIndex), Math.max(anchor.durationIndex, corner.durationIndex)];
  const startUs = heatmap.timeStartsUs[firstTime] ?? 0;
  let count = 0;
  for (const cell of heatmap.cells) {
    const inside = cell.timeIndex >= firstTime && cell.timeIndex <= lastTime && cell.durationIndex >= lowRow && cell.durationIndex <= highRow;
    if (inside) count += cell.count;
  }
  return {
    startUs,
    endUs: (heatmap.timeStartsUs[lastTime] ?? startUs) + heatmap.bucketWidthUs,
    minDurationUs: heatmap.durationEdgesUs[lowRow] ?? 0,
    maxDurationUs: heatmap.durationEdgesUs[highRow + 1] ?? 0,
    count,
  };
}

const contains = (outer: HeatmapSelection, inner: HeatmapSelection): boolean =>
  inner.startUs >= outer.startUs &&
  inner.endUs <= outer.endUs &&
  inner.minDurationUs >= outer.minDurationUs &&
  inner.maxDurationUs <= outer.maxDurationUs;

function describe(selection: HeatmapSelection): string {
  return (
    `${formatCount(selection.count)} span${selection.count === 1 ? '' : 's'}, ` +
    `${formatDurationUs(selection.minDurationUs)}–${formatDurationUs(selection.maxDurationUs)}, ` +
    `${formatInstantUs(selection.startUs)}–${formatClockUs(selection.endUs)}`
  );
}

/**
 * Time × log-duration span counts (design §4 "heatmap"). Only the duration rows between the fastest
 * and slowest non-empty cell are drawn; every cell is a keyboard-reachable button, and a drag from one
 * cell to another (or Shift+Enter on a second cell) selects the whole range of time buckets and duration
 * rows between them. It fills its
 * container and lays the window over the same x range as the timeline charts (TIME_PLOT_MARGIN and
 * TIME_Y_AXIS_WIDTH), so a bucket sits under the same instant in the charts above.
 */
export function LatencyHeatmap({
  heatmap,
  windowStartUs,
  windowEndUs,
  selected,
  onSelect,
}: {
  heatmap: Heatmap;
  windowStartUs: number;
  windowEndUs: number;
  selected: HeatmapSelection | null;
  onSelect: (selection: HeatmapSelection) => void;
}) {
  const [hovered, setHovered] = useState<HeatmapSelection | null>(null);
  const [drag, setDrag] = useState<{ readonly anchor: HeatmapCell; readonly corner: HeatmapCell } | null>(null);
  // The cell a keyboard range starts from: the last one chosen with Enter or Space.
  const [keyboardAnchor, setKeyboardAnchor] = useState<HeatmapCell | null>(null);
  // A drag ends wherever the button is let go; a press and release on one cell is a click on it.
  useEffect(() => {
    if (drag === null) return;
    const end = () => {
      onSelect(drag.anchor === drag.corner ? cellSelection(heatmap, drag.anchor) : rangeSelection(heatmap, drag.anchor, drag.corner));
      setDrag(null);
    };
    window.addEventListener('mouseup', end);
    return () => window.removeEventListener('mouseup', end);
  }, [drag, heatmap, onSelect]);
  const [containerRef, width] = useWidth<HTMLDivElement>();
  if (heatmap.cells.length === 0) return <p className="text-sm text-slate-500">No spans to draw.</p>;
  const rows = heatmap.cells.map((c) => c.durationIndex);
  const lowRow = Math.min(...rows);
  const highRow = Math.max(...rows);
  const rowCount = highRow - lowRow + 1;
  const maxCount = Math.max(...heatmap.cells.map((c) => c.count));
  const cellH = Math.max(6, Math.min(16, Math.floor(240 / rowCount)));
  const left = TIME_PLOT_MARGIN.left + TIME_Y_AXIS_WIDTH;
  const right = width - TIME_PLOT_MARGIN.right;
  const spanUs = Math.max(1, windowEndUs - windowStartUs);
  const xOf = (us: number) => left + ((Math.min(windowEndUs, Math.max(windowStartUs, us)) - windowStartUs) / spanUs) * (right - left);
  const height = rowCount * cellH + 20;
  const intensity = (count: number) => 0.15 + 0.85 * (Math.log(count + 1) / Math.log(maxCount + 1));
  const yOf = (durationIndex: number) => (highRow - durationIndex) * cellH;
  const labelRows = [lowRow, Math.round((lowRow + highRow) / 2), highRow];
  const timeLabels = [
    { us: windowStartUs, anchor: 'start' },
    { us: windowStartUs + spanUs / 2, anchor: 'middle' },
    { us: windowEndUs, anchor: 'end' },
  ] as const;
  const brushed = drag === null ? null : rangeSelection(heatmap, drag.anchor, drag.corner);
  const highlighted = brushed ?? selected;
  const shown = brushed ?? hovered ?? selected;
  return (
    <div>
      <div ref={containerRef} className="w-full overflow-x-auto">
        <svg
          className="block"
          width={width}
          height={height}
          role="group"
          aria-label="Latency heatmap: time across, duration up; each cell is a button"
          data-testid={testIds.heatmap}
        >
          {[...new Set(labelRows)].map((row) => (
            <text key={row} x={left - 4} y={yOf(row) + cellH - 1} textAnchor="end" fontSize={10} className="fill-slate-500">
              {formatDurationUs(heatmap.durationEdgesUs[row] ?? 0)}
            </text>
          ))}
          {timeLabels.map(({ us, anchor }) => (
            <text key={anchor} x={xOf(us)} y={height - 4} fontSize={10} textAnchor={anchor} className="fill-slate-500">
              {formatClockUs(us)}
            </text>
          ))}
          {heatmap.cells.map((cell) => {
            const selection = cellSelection(heatmap, cell);
            const isSelected = highlighted !== null && contains(highlighted, selection);
            return (
              <rect
                key={`${cell.timeIndex}:${cell.durationIndex}`}
                data-testid={testIds.heatmapCell}
                x={xOf(selection.startUs)}
                y={yOf(cell.durationIndex)}
                width={Math.max(1, xOf(selection.endUs) - xOf(selection.startUs) - 1)}
                height={cellH - 1}
                fill="#0369a1"
                fillOpacity={intensity(cell.count)}
                stroke={isSelected ? '#f59e0b' : 'none'}
                strokeWidth={2}
                role="button"
                tabIndex={0}
                aria-label={describe(selection)}
                className="cursor-pointer focus:outline-none focus-visible:stroke-amber-500"
                onMouseEnter={() => {
                  setHovered(selection);
                  if (drag !== null) setDrag({ anchor: drag.anchor, corner: cell });
                }}
                onMouseLeave={() => setHovered(null)}
                onFocus={() => setHovered(selection)}
                onBlur={() => setHovered(null)}
                onMouseDown={(event) => {
                  if (event.button !== 0) return;
                  event.preventDefault();
                  setDrag({ anchor: cell, corner: cell });
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    // Shift extends from the last chosen cell: the drag, for the keyboard.
                    if (event.shiftKey && keyboardAnchor !== null && heatmap.cells.includes(keyboardAnchor)) {
                      onSelect(rangeSelection(heatmap, keyboardAnchor, cell));
                    } else {
                      setKeyboardAnchor(cell);
                      onSelect(selection);
                    }
                  }
                }}
              />
            );
          })}
        </svg>
      </div>
      <p className="mt-1 h-5 text-xs text-slate-600 dark:text-slate-300" aria-live="polite" data-testid={testIds.heatmapReadout}>
        {shown
          ? describe(shown)
          : 'Hover or focus a cell to see its count and range; click it, or drag across cells (Shift+Enter from the keyboard), to list their spans.'}
      </p>
    </div>
  );
}
