'use client';

import { useState } from 'react';
import type { Heatmap, HeatmapCell } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { formatClockUs, formatCount, formatDurationUs, formatInstantUs } from '../ui/format';

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

function describe(selection: HeatmapSelection): string {
  return (
    `${formatCount(selection.count)} span${selection.count === 1 ? '' : 's'}, ` +
    `${formatDurationUs(selection.minDurationUs)}–${formatDurationUs(selection.maxDurationUs)}, ` +
    `${formatInstantUs(selection.startUs)}–${formatClockUs(selection.endUs)}`
  );
}

/**
 * Time × log-duration span counts (design §4 "heatmap"). Only the duration rows between the fastest
 * and slowest non-empty cell are drawn; every cell is a keyboard-reachable button.
 */
export function LatencyHeatmap({
  heatmap,
  selected,
  onSelect,
}: {
  heatmap: Heatmap;
  selected: HeatmapSelection | null;
  onSelect: (selection: HeatmapSelection) => void;
}) {
  const [hovered, setHovered] = useState<HeatmapSelection | null>(null);
  if (heatmap.cells.length === 0) return <p className="text-sm text-slate-500">No spans to draw.</p>;
  const rows = heatmap.cells.map((c) => c.durationIndex);
  const lowRow = Math.min(...rows);
  const highRow = Math.max(...rows);
  const rowCount = highRow - lowRow + 1;
  const columns = heatmap.timeStartsUs.length;
  const maxCount = Math.max(...heatmap.cells.map((c) => c.count));
  const cellW = Math.max(4, Math.min(16, Math.floor(900 / Math.max(columns, 1))));
  const cellH = Math.max(6, Math.min(16, Math.floor(240 / rowCount)));
  const left = 64;
  const width = left + columns * cellW;
  const height = rowCount * cellH + 20;
  const intensity = (count: number) => 0.15 + 0.85 * (Math.log(count + 1) / Math.log(maxCount + 1));
  const yOf = (durationIndex: number) => (highRow - durationIndex) * cellH;
  const labelRows = [lowRow, Math.round((lowRow + highRow) / 2), highRow];
  const shown = hovered ?? selected;
  return (
    <div>
      <div className="overflow-x-auto">
        <svg
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
          {[...new Set([0, Math.floor(columns / 2), columns - 1])].map((col, i, all) => (
            <text
              key={col}
              x={left + col * cellW + (i === all.length - 1 ? cellW : 0)}
              y={height - 4}
              fontSize={10}
              textAnchor={i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle'}
              className="fill-slate-500"
            >
              {formatClockUs(heatmap.timeStartsUs[col] ?? 0)}
            </text>
          ))}
          {heatmap.cells.map((cell) => {
            const selection = cellSelection(heatmap, cell);
            const isSelected = selected !== null && selected.startUs === selection.startUs && selected.minDurationUs === selection.minDurationUs;
            return (
              <rect
                key={`${cell.timeIndex}:${cell.durationIndex}`}
                data-testid={testIds.heatmapCell}
                x={left + cell.timeIndex * cellW}
                y={yOf(cell.durationIndex)}
                width={cellW - 1}
                height={cellH - 1}
                fill="#0369a1"
                fillOpacity={intensity(cell.count)}
                stroke={isSelected ? '#f59e0b' : 'none'}
                strokeWidth={2}
                role="button"
                tabIndex={0}
                aria-label={describe(selection)}
                className="cursor-pointer focus:outline-none focus-visible:stroke-amber-500"
                onMouseEnter={() => setHovered(selection)}
                onMouseLeave={() => setHovered(null)}
                onFocus={() => setHovered(selection)}
                onBlur={() => setHovered(null)}
                onClick={() => onSelect(selection)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    onSelect(selection);
                  }
                }}
              />
            );
          })}
        </svg>
      </div>
      <p className="mt-1 h-5 text-xs text-slate-600 dark:text-slate-300" aria-live="polite" data-testid={testIds.heatmapReadout}>
        {shown ? describe(shown) : 'Hover or focus a cell to see its count and range; click it to list its spans.'}
      </p>
    </div>
  );
}
