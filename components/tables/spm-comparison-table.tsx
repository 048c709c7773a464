import { Fragment } from 'react';
import {
  compareWithSpm,
  disagrees,
  foldSpmRows,
  SPM_DISAGREEMENT,
  type ExactNumbers,
  type SpmNumbers,
  type SpmRow,
} from '@/lib/metrics/spm-comparison';
import { formatDurationUs, formatPercent, formatRate } from '../ui/format';
import { statusClasses } from '../ui/status';

export interface ExactRow {
  readonly name: string;
  readonly numbers: ExactNumbers;
}

type NumberKey = keyof SpmNumbers;

const columns: readonly { key: NumberKey; label: string; format: (value: number) => string }[] = [
  { key: 'ratePerSecond', label: 'Rate', format: formatRate },
  { key: 'errorRate', label: 'Error rate', format: formatPercent },
  { key: 'p50Us', label: 'p50', format: (us) => formatDurationUs(Math.round(us)) },
  { key: 'p95Us', label: 'p95', format: (us) => formatDurationUs(Math.round(us)) },
];

const formatDifference = (difference: number): string =>
  Number.isFinite(difference) ? `${difference > 0 ? '+' : ''}${Math.round(difference * 100)}%` : 'exact is 0';

/**
 * Spanlens's exact numbers beside SPM's (Jaeger's Monitor tab), per operation or per service; a pair
 * more than 10 % apart is highlighted with SPM's difference. With `fold`, SPM's operation names are
 * folded like the dashboard's groups so the rows meet.
 */
export function SpmComparisonTable({
  exact,
  spm,
  level,
  fold,
}: {
  exact: readonly ExactRow[];
  spm: readonly SpmRow[];
  level: 'operation' | 'service';
  fold: boolean;
}) {
  const spmRows = (fold && level === 'operation' ? foldSpmRows(spm) : spm).map((row) => ({
    name: (level === 'operation' ? row.operation : row.service) ?? row.service,
    numbers: row,
  }));
  const rows = compareWithSpm(exact, spmRows);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" aria-label="Exact numbers beside SPM">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500 dark:border-slate-800">
            <th scope="col" className="px-2 py-1.5">
              {level === 'operation' ? 'Operation' : 'Service'}
            </th>
            {columns.map((column) => (
              <Fragment key={column.key}>
                <th scope="col" className="px-2 py-1.5 text-right">
                  {column.label} exact
                </th>
                <th scope="col" className="px-2 py-1.5 text-right">
                  {column.label} SPM
                </th>
              </Fragment>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className="border-b border-slate-100 dark:border-slate-900">
              <th scope="row" className="max-w-xs truncate px-2 py-1.5 text-left font-normal" title={row.name}>
                {row.name}
              </th>
              {columns.map((column) => {
                const exactValue = row.exact?.[column.key] ?? null;
                const spmValue = row.spm?.[column.key] ?? null;
                const difference = row.differences[column.key];
                const highlighted = disagrees(difference);
                return (
                  <Fragment key={column.key}>
                    <td className="px-2 py-1.5 text-right tabular-nums">{exactValue === null ? '—' : column.format(exactValue)}</td>
                    <td
                      className={`px-2 py-1.5 text-right tabular-nums ${highlighted ? `rounded ring-1 ${statusClasses.sampled}` : 'text-slate-600 dark:text-slate-300'}`}
                      data-disagrees={highlighted}
                      title={
                        difference === null
                          ? spmValue === null
                            ? 'No SPM number: no new span in the trailing window, or no such series'
                            : undefined
                          : `SPM ${formatDifference(difference)} against exact${highlighted ? ` (more than ${SPM_DISAGREEMENT * 100}% apart)` : ''}`
                      }
                    >
                      {spmValue === null ? '—' : column.format(spmValue)}
                      {highlighted && difference !== null ? <span className="ml-1 text-xs">({formatDifference(difference)})</span> : null}
                    </td>
                  </Fragment>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
