'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Timeline } from '@/lib/metrics/types';
import { formatClockUs, formatDurationUs, formatInstantUs, formatPercent, formatRate } from '../ui/format';
import { seriesColors } from '../ui/status';

interface Row {
  t: number;
  rate: number;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Throughput, error rate and latency percentiles per time bucket (design §4 "timeline"). */
export function TimelineCharts({ timeline, estimated }: { timeline: Timeline; estimated: boolean }) {
  const bucketSeconds = timeline.bucketWidthUs / 1_000_000;
  const rows: Row[] = timeline.points.map((p) => ({
    t: p.startUs,
    rate: p.count / bucketSeconds,
    errorRate: p.count === 0 ? null : p.errorCount / p.count,
    p50: p.p50Us,
    p95: p.p95Us,
    p99: p.p99Us,
  }));
  const xAxis = (
    <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={(v: number) => formatClockUs(v)} fontSize={11} />
  );
  const label = (v: unknown) => formatInstantUs(Number(v));
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <ChartCard title={`Throughput${estimated ? ' (estimate: sampled)' : ''}`}>
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatRate(v)} width={56} />
          <Tooltip labelFormatter={label} formatter={(v) => formatRate(Number(v))} />
          <Line dataKey="rate" name="spans/s" stroke={seriesColors.count} dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="Error rate">
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatPercent(v)} width={56} />
          <Tooltip labelFormatter={label} formatter={(v) => formatPercent(Number(v))} />
          <Line dataKey="errorRate" name="error rate" stroke={seriesColors.error} dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="Latency p50 / p95 / p99">
        <LineChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatDurationUs(v)} width={64} />
          <Tooltip labelFormatter={label} formatter={(v) => formatDurationUs(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Line dataKey="p50" name="p50" stroke={seriesColors.p50} dot={false} isAnimationActive={false} />
          <Line dataKey="p95" name="p95" stroke={seriesColors.p95} dot={false} isAnimationActive={false} />
          <Line dataKey="p99" name="p99" stroke={seriesColors.p99} dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </div>
  );
}

function ChartCard({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
