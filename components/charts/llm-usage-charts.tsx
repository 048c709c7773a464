'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, YAxis } from 'recharts';
import type { LlmTimelinePoint } from '@/lib/http/api-types';
import { formatCount, formatInstantUs, formatUsd } from '../ui/format';
import { seriesColors } from '../ui/status';
import { ChartCard, TIME_PLOT_MARGIN, TIME_Y_AXIS_WIDTH, timeXAxis } from './timeline-charts';

/** One colour per model, in the order the models table lists them (most calls first); repeats after eight. */
const MODEL_COLORS = ['#0ea5e9', '#8b5cf6', '#10b981', '#f59e0b', '#ec4899', '#14b8a6', '#6366f1', '#84cc16'] as const;

/**
 * Tokens per time bucket stacked by model, and the computed cost per bucket (priced models only)
 * beside the cost the spans carried themselves.
 */
export function LlmUsageCharts({
  points,
  models,
  windowStartUs,
  windowEndUs,
  bucketWidthUs,
}: {
  points: readonly LlmTimelinePoint[];
  /** Model names, in the order their colours are given. */
  models: readonly string[];
  windowStartUs: number;
  windowEndUs: number;
  bucketWidthUs: number;
}) {
  // Bars are centred on their x value: put each at its bucket's middle.
  const rows = points.map((p) => ({
    t: p.startUs + bucketWidthUs / 2,
    cost: p.costUsd,
    carried: p.carriedCostUsd,
    ...Object.fromEntries(models.map((model) => [`tokens:${model}`, p.tokensByModel[model] ?? 0])),
  }));
  const xAxis = timeXAxis(windowStartUs, windowEndUs);
  const label = (v: unknown) => formatInstantUs(Number(v) - bucketWidthUs / 2);
  const unpricedCalls = points.reduce((n, p) => n + p.unpricedCalls, 0);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard title="Tokens (input + output) by model" tall>
        <BarChart data={rows} margin={TIME_PLOT_MARGIN} barCategoryGap={0}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => formatCount(v)} width={TIME_Y_AXIS_WIDTH} />
          <Tooltip labelFormatter={label} formatter={(v) => formatCount(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {models.map((model, i) => (
            <Bar
              key={model}
              dataKey={`tokens:${model}`}
              name={model}
              stackId="tokens"
              fill={MODEL_COLORS[i % MODEL_COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartCard>
      <ChartCard
        tall
        title={`Cost per bucket, USD${unpricedCalls > 0 ? ` (${formatCount(unpricedCalls)} call${unpricedCalls === 1 ? '' : 's'} without a price left out)` : ''}`}
      >
        <BarChart data={rows} margin={TIME_PLOT_MARGIN} barCategoryGap={0}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {xAxis}
          <YAxis fontSize={11} tickFormatter={(v: number) => `$${Number(v.toPrecision(2))}`} width={TIME_Y_AXIS_WIDTH} />
          <Tooltip labelFormatter={label} formatter={(v) => formatUsd(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="cost" name="computed from prices" fill={seriesColors.count} isAnimationActive={false} />
          {points.some((p) => p.carriedCostUsd > 0) ? (
            <Bar dataKey="carried" name="carried by the spans" fill={seriesColors.p99} isAnimationActive={false} />
          ) : null}
        </BarChart>
      </ChartCard>
    </div>
  );
}
