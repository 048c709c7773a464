'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Timeline } from '@/lib/metrics/types';
import { formatClockUs, formatDurationUs, formatInstantUs, formatPercent, formatRate } from '../ui/format';
import { seriesColors } from '../ui/status';

/**
 * One time axis for the drill-down: the timeline charts and the latency heatmap draw the window
 * between the same left and right pixel margins (chart margin + y-axis width on the left), so an
 * instant sits at the same x in each when they are the same width.
 */
export const TIME_PLOT_MARGIN = { top: 5, right: 16, bottom: 5, left: 5 } as const;
export const TIME_Y_AXIS_WIDTH = 64;

/** The time axis of a chart over the view's window (µs), clock-time ticks; a plain element, as recharts reads its children's types. */
export function timeXAxis(windowStartUs: number, windowEndUs: number) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={[windowStartUs, windowEndUs]}
      allowDataOverflow
      scale="time"
      tickFormatter={(v: number) => formatClockUs(v)}
      fontSize={11}
    />
  );
}
/** A series with this few drawn points gets dots, since a line through one point draws nothing. */
const DOTTED_UP_TO = 2;

interface Row {
  t: number;
  rate: number;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Small dots for a series of at most DOTTED_UP_TO non-null points, none otherwise. */
function dotFor(rows: readonly Row[], key: keyof Row, color: string) {
  const points = rows.filter((row) => row[key] !== null).length;
  return points <= DOTTED_UP_TO ? { r: 3, fill: color, stroke: color } : false;
}

/** Throughput, error rate and latency percentiles per time bucket (design §4 "timeline"), over the window. */
export function TimelineCharts({
  timeline,
  estimated,
  windowStartUs,
  windowEndUs,
}: {
  timeline: Timeline;
  estimated: boolean;
  windowStartUs: number;
  windowEndUs: number;
}) {
  const bucketSeconds = timeline.bucketWidthUs / 1_000_000;
  const rows: Row[] = timeline.points.map((p) => ({
    t: p.startUs,
    rate: p.count / bucketSeconds,
    errorRate: p.count === 0 ? null : p.errorCount / p.count,
    p50: p.p50Us,
    p95: p.p95Us,
    p99: p.p99Us,
  }));
  const xAxis = timeXAxis(windowStartUs, windowEndUs);
  const label = (v: unknown) => formatInstantUs(Number(v));
  const line = (key: keyof Row, name: string, color: string) => (
    <Line dataKey={key} name={name} stroke={color} dot={dotFor(rows, key, color)} isAnimationActive={false} />
  );
  return (
    <div className="grid gap-4">
      <ChartCard title={`Throughput${estimated ? ' (estimate: sampled)' : ''}`}>
        <LineChart data={rows} margin={TIME_PLOT_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatRate(v)} width={TIME_Y_AXIS_WIDTH} />
          <Tooltip labelFormatter={label} formatter={(v) => formatRate(Number(v))} />
          {line('rate', 'spans/s', seriesColors.count)}
        </LineChart>
      </ChartCard>
      <ChartCard title="Error rate">
        <LineChart data={rows} margin={TIME_PLOT_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatPercent(v)} width={TIME_Y_AXIS_WIDTH} />
          <Tooltip labelFormatter={label} formatter={(v) => formatPercent(Number(v))} />
          {line('errorRate', 'error rate', seriesColors.error)}
        </LineChart>
      </ChartCard>
      <ChartCard title="Latency p50 / p95 / p99">
        <LineChart data={rows} margin={TIME_PLOT_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatDurationUs(v)} width={TIME_Y_AXIS_WIDTH} />
          <Tooltip labelFormatter={label} formatter={(v) => formatDurationUs(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {line('p50', 'p50', seriesColors.p50)}
          {line('p95', 'p95', seriesColors.p95)}
          {line('p99', 'p99', seriesColors.p99)}
        </LineChart>
      </ChartCard>
    </div>
  );
}

/** A titled chart that fills its card; `tall` for charts that stand alone (LLM usage) rather than three in a row. */
export function ChartCard({ title, tall = false, children }: { title: string; tall?: boolean; children: React.ReactElement }) {
  return (
    <figure className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className={tall ? 'h-56' : 'h-40'}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
