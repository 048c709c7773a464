'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../ui/format';
import { seriesColors } from '../ui/status';

export interface HistogramBar {
  /** The bucket's range as people read it: `3`, `6–10`, `1001+`. */
  readonly label: string;
  readonly count: number;
}

/** Counts per bucket as bars, every bucket drawn (an empty one too), so the shape shows at a glance. */
export function BucketHistogram({ bars, title, unit }: { bars: readonly HistogramBar[]; title: string; unit: string }) {
  return (
    <figure aria-label={title} className="h-56">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...bars]} margin={{ top: 5, right: 16, bottom: 5, left: 5 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 12 }} tickFormatter={(n: number) => formatCount(n)} />
          <Tooltip formatter={(value) => [formatCount(Number(value)), unit]} labelFormatter={(label) => `${title}: ${String(label)}`} />
          <Bar dataKey="count" fill={seriesColors.count} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
