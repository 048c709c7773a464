import type { Change, RowComparison } from '@/lib/metrics/compare';
import { testIds } from '@/lib/test-ids';
import { SortableHeader } from './sortable-header';
import { Badge } from '../ui/badge';
import { formatCount, formatDurationUs, formatPercent } from '../ui/format';

/**
 * The Δ columns of a table compared with a baseline (lib/metrics/compare.ts): a verdict, then Δcount,
 * Δerror rate and Δp50/p95/p99 — red for a regression, green for an improvement, each only when its
 * 95% interval excludes zero; the interval and both windows' numbers are in the cell's title.
 */

/** Header labels of the Δ columns after the verdict ("Change", which sorts by most significant regression). */
export const CHANGE_COLUMNS = ['Δ count', 'Δ error rate', 'Δ p50', 'Δ p95', 'Δ p99'] as const;
const CHANGE_TITLE =
  'Against the baseline window: Regression / Improvement only where a 95% interval for the difference excludes 0 (definitions below the table). Sorts by most significant regression.';

/** The header cells above ChangeCells: "Change" (sorts by most significant regression), then the Δ labels. */
export function ChangeHeaders({ active, direction, onSort }: { active: boolean; direction: 'asc' | 'desc'; onSort: () => void }) {
  return (
    <>
      <SortableHeader active={active} direction={direction} title={CHANGE_TITLE} alignLeft={false} onSort={onSort}>
        Change
      </SortableHeader>
      {CHANGE_COLUMNS.map((label) => (
        <th key={label} scope="col" className="px-2 py-2 text-right whitespace-nowrap">
          {label}
        </th>
      ))}
    </>
  );
}

/** Sort value for "most significant regression": the score, rows without one last. */
export const regressionSortValue = (comparison: RowComparison | null | undefined): number => comparison?.regressionScore ?? -Infinity;

const LATENCY = ['p50', 'p95', 'p99'] as const;

function verdictOf(comparison: RowComparison): { label: string; status: 'error' | 'ok' | 'info'; flagged: string[] } | null {
  if (comparison.presence === 'new') return { label: 'New', status: 'info', flagged: [] };
  if (comparison.presence === 'gone') return { label: 'Gone', status: 'info', flagged: [] };
  const changes = [['error rate', comparison.errorRate] as const, ...LATENCY.map((key) => [key, comparison[key]] as const)];
  const regressions = changes.filter(([, change]) => change?.flag === 'regression').map(([name]) => name);
  if (regressions.length > 0) return { label: 'Regression', status: 'error', flagged: regressions };
  const improvements = changes.filter(([, change]) => change?.flag === 'improvement').map(([name]) => name);
  if (improvements.length > 0) return { label: 'Improvement', status: 'ok', flagged: improvements };
  return null;
}

const signed = (text: string, value: number) => (value > 0 ? `+${text}` : value < 0 ? `−${text}` : text);
const signedDuration = (us: number) => signed(formatDurationUs(Math.abs(us)), us);
const signedPoints = (ratio: number) =>
  ratio === 0 ? '0 pp' : signed(`${(Math.abs(ratio) * 100).toFixed(Math.abs(ratio) >= 0.1 ? 1 : 2)} pp`, ratio);

const flagClass = (flag: Change['flag']) =>
  flag === 'regression'
    ? 'font-semibold text-red-700 dark:text-red-300'
    : flag === 'improvement'
      ? 'font-semibold text-emerald-700 dark:text-emerald-300'
      : 'text-slate-500 dark:text-slate-400';

function intervalText(change: Change, format: (value: number) => string): string {
  if (change.interval === null) return 'too few spans in a window for its 95% interval, so not tested';
  const verdict = change.flag === null ? 'includes 0: no significant change' : `excludes 0: ${change.flag}`;
  return `95% interval for the difference ${format(change.interval.lower)} to ${format(change.interval.upper)} (${verdict})`;
}

function DeltaCell({
  name,
  change,
  format,
  now,
  before,
}: {
  name: string;
  change: Change | null;
  format: (value: number) => string;
  now: string;
  before: string;
}) {
  if (change === null) return <td className="px-2 py-1.5 text-right text-slate-400">—</td>;
  return (
    <td
      className={`px-2 py-1.5 text-right whitespace-nowrap tabular-nums ${flagClass(change.flag)}`}
      title={`Δ${name} = ${format(change.delta)} (now ${now}, baseline ${before}); ${intervalText(change, format)}`}
      data-testid={testIds.changeDelta}
      data-metric={name}
      data-flag={change.flag ?? 'none'}
    >
      {change.flag === 'regression' ? '▲ ' : change.flag === 'improvement' ? '▼ ' : ''}
      {format(change.delta)}
    </td>
  );
}

/** The verdict and Δ cells of one row; `current` holds the row's own numbers in the view's window. */
export function ChangeCells({
  comparison,
  current,
}: {
  comparison: RowComparison | null | undefined;
  current: {
    readonly count: number;
    readonly errorRate: number;
    readonly p50Us: number | null;
    readonly p95Us: number | null;
    readonly p99Us: number | null;
  };
}) {
  if (comparison == null) {
    return (
      <>
        {['verdict', ...CHANGE_COLUMNS].map((column) => (
          <td key={column} className="px-2 py-1.5 text-right text-slate-400" title="No span in either window">
            —
          </td>
        ))}
      </>
    );
  }
  const verdict = verdictOf(comparison);
  const { baseline, count } = comparison;
  const ratio =
    count.rateRatio === null
      ? 'no span in the baseline'
      : `rate ×${count.rateRatio.toFixed(2)}, 95% interval ×${count.interval.lower.toFixed(2)} to ${count.interval.upper === null ? '∞' : `×${count.interval.upper.toFixed(2)}`}`;
  const duration = (us: number | null) => (us === null ? 'none' : formatDurationUs(us));
  return (
    <>
      <td className="px-2 py-1.5 text-right" data-testid={testIds.changeVerdict} data-verdict={verdict?.label.toLowerCase() ?? 'none'}>
        {verdict ? (
          <Badge status={verdict.status} title={verdict.flagged.length > 0 ? `Significant: ${verdict.flagged.join(', ')}` : 'Only in one window'}>
            {verdict.label}
          </Badge>
        ) : (
          <span className="text-slate-400" title="No interval excludes 0">
            —
          </span>
        )}
      </td>
      <td
        className={`px-2 py-1.5 text-right whitespace-nowrap tabular-nums ${count.flag === null ? 'text-slate-500 dark:text-slate-400' : 'text-sky-800 dark:text-sky-300'}`}
        title={`Δcount = ${signed(formatCount(Math.abs(count.delta)), count.delta)} (now ${formatCount(current.count)}, baseline ${formatCount(baseline.count)}); ${ratio}${count.flag ? ` (the rate ${count.flag === 'increase' ? 'rose' : 'fell'} significantly)` : ''}`}
        data-testid={testIds.changeDelta}
        data-metric="count"
        data-flag={count.flag ?? 'none'}
      >
        {signed(formatCount(Math.abs(count.delta)), count.delta)}
      </td>
      <DeltaCell
        name="error rate"
        change={comparison.errorRate}
        format={signedPoints}
        now={formatPercent(current.errorRate)}
        before={baseline.errorRate === null ? 'none' : formatPercent(baseline.errorRate)}
      />
      {LATENCY.map((key) => (
        <DeltaCell
          key={key}
          name={key}
          change={comparison[key]}
          format={signedDuration}
          now={duration(current[`${key}Us`])}
          before={duration(baseline[`${key}Us`])}
        />
      ))}
    </>
  );
}

/** One whole-system change under a tile of the services home: "vs baseline +12 ms", coloured and titled like a Δ cell. */
export function TileChange({ comparison, metric }: { comparison: RowComparison; metric: 'count' | 'errorRate' | 'p95' }) {
  if (metric === 'count') {
    const { count } = comparison;
    const ratio = count.rateRatio === null ? 'no span in the baseline' : `rate ×${count.rateRatio.toFixed(2)}`;
    return (
      <span
        className={count.flag === null ? '' : 'text-sky-800 dark:text-sky-300'}
        title={`baseline ${formatCount(comparison.baseline.count)} spans`}
      >
        vs baseline {signed(formatCount(Math.abs(count.delta)), count.delta)} spans ({ratio}
        {count.flag ? `, ${count.flag === 'increase' ? 'rose' : 'fell'} significantly` : ''})
      </span>
    );
  }
  const change = comparison[metric];
  if (change === null) return <span>vs baseline: not comparable (no span in one window)</span>;
  const format = metric === 'p95' ? signedDuration : signedPoints;
  return (
    <span
      className={flagClass(change.flag)}
      title={intervalText(change, format)}
      data-testid={testIds.changeDelta}
      data-metric={metric}
      data-flag={change.flag ?? 'none'}
    >
      vs baseline {format(change.delta)}
      {change.flag ? ` (${change.flag})` : ''}
    </span>
  );
}
