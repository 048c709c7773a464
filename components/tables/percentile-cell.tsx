import type { Percentile } from '@/lib/metrics/types';
import { formatCount, formatDurationUs } from '../ui/format';

/**
 * A percentile with its sample size; dimmed, with the reason, when n is too small for its interval.
 */
export function PercentileCell({ name, value, n }: { name: string; value: Percentile; n: number }) {
  if (n === 0) return <td className="px-2 py-1.5 text-right text-slate-400">—</td>;
  const reliable = value.interval !== null;
  const title = reliable
    ? `${name} = ${formatDurationUs(value.valueUs)} (n = ${formatCount(n)}); 95% interval ${formatDurationUs(value.interval!.lowerUs)}–${formatDurationUs(value.interval!.upperUs)}`
    : `${name} = ${formatDurationUs(value.valueUs)} from only n = ${formatCount(n)} spans: too few for a 95% interval (the order statistics around it do not exist yet), so treat it as rough`;
  return (
    <td
      className={`px-2 py-1.5 text-right tabular-nums ${reliable ? '' : 'text-slate-400 italic dark:text-slate-500'}`}
      title={title}
      data-reliable={reliable}
    >
      {formatDurationUs(value.valueUs)}
      {reliable ? null : <span className="sr-only"> (too few spans for an interval)</span>}
    </td>
  );
}
