'use client';

import Link from 'next/link';
import type { RowComparison } from '@/lib/metrics/compare';
import type { GroupMetrics } from '@/lib/metrics/types';
import type { SortKey } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { Sparkline } from '../charts/sparkline';
import { formatCount, formatPercent, formatRate } from '../ui/format';
import { errorRateClass, seriesColors } from '../ui/status';
import { ChangeCells, ChangeHeaders, regressionSortValue } from './change-cells';
import { PercentileCell } from './percentile-cell';
import { SortableHeader } from './sortable-header';

export type SortDirection = 'asc' | 'desc';

export interface OperationRow {
  readonly group: GroupMetrics;
  /** What the first column shows: the operation, or the grouped tag values. */
  readonly label: string;
  /** Drill-down URL for the row (built by the page from lib/query). */
  readonly href: string;
  /** Against the baseline, when the view has one (`baseline=`). */
  readonly comparison?: RowComparison | null | undefined;
}

const columns: readonly { key: SortKey; label: string; title?: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'count', label: 'Count (n)', title: 'Spans in the group; also the sample size n behind its percentiles' },
  { key: 'rate', label: 'Rate' },
  { key: 'errorRate', label: 'Error rate' },
  { key: 'p50', label: 'p50' },
  { key: 'p95', label: 'p95' },
  { key: 'p99', label: 'p99' },
];

function sortValue(row: OperationRow, key: SortKey): number | string {
  const g = row.group;
  switch (key) {
    case 'name':
      return row.label;
    case 'count':
      return g.count;
    case 'rate':
      return g.ratePerSecond;
    case 'errors':
      return g.errorCount;
    case 'errorRate':
      return g.errorRate;
    case 'p50':
      return g.durations.p50.valueUs;
    case 'p90':
      return g.durations.p90.valueUs;
    case 'p95':
      return g.durations.p95.valueUs;
    case 'p99':
      return g.durations.p99.valueUs;
    case 'max':
      return g.durations.maxUs;
    case 'mean':
      return g.durations.meanUs;
    case 'regression':
      return regressionSortValue(row.comparison);
  }
}

export function sortRows(rows: readonly OperationRow[], key: SortKey, direction: SortDirection): OperationRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return order !== 0 ? sign * order : a.label.localeCompare(b.label);
  });
}

/** One row per operation (or per group): RED metrics, exact percentiles with n, p95 and error sparklines. */
export function OperationsTable({
  rows,
  sortKey,
  sortDirection,
  onSort,
  estimated,
  nameHeader,
  onOpen,
  compared = false,
}: {
  rows: readonly OperationRow[];
  sortKey: SortKey;
  sortDirection: SortDirection;
  onSort: (key: SortKey) => void;
  /** Rates are estimates when the window was sampled (design §3). */
  estimated: boolean;
  nameHeader: string;
  onOpen: (href: string) => void;
  /** The view has a baseline: show the Δ columns. */
  compared?: boolean;
}) {
  const sorted = sortRows(rows, sortKey, sortDirection);
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full text-sm" data-testid={testIds.operationsTable}>
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400">
          <tr>
            {columns.map((column) => (
              <SortableHeader
                key={column.key}
                active={sortKey === column.key}
                direction={sortDirection}
                title={column.title}
                alignLeft={column.key === 'name'}
                onSort={() => onSort(column.key)}
              >
                {column.key === 'name' ? nameHeader : column.label}
                {column.key === 'rate' && estimated ? ' (est.)' : ''}
              </SortableHeader>
            ))}
            <th scope="col" className="px-2 py-2">
              p95 trend
            </th>
            <th scope="col" className="px-2 py-2">
              Errors trend
            </th>
            {compared ? <ChangeHeaders active={sortKey === 'regression'} direction={sortDirection} onSort={() => onSort('regression')} /> : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const g = row.group;
            return (
              <tr
                key={g.key}
                data-testid={testIds.operationRow}
                data-group-key={g.key}
                className="cursor-pointer border-t border-slate-100 hover:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-900"
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('a')) return;
                  onOpen(row.href);
                }}
              >
                <th scope="row" className="max-w-md truncate px-2 py-1.5 text-left font-medium">
                  <Link
                    href={row.href}
                    className="block truncate text-sky-800 hover:underline dark:text-sky-300"
                    title={row.label}
                    data-testid={testIds.operationName}
                  >
                    {row.label}
                  </Link>
                </th>
                <td className="px-2 py-1.5 text-right tabular-nums" data-testid={testIds.operationCount}>
                  {formatCount(g.count)}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">{formatRate(g.ratePerSecond)}</td>
                <td
                  className={`px-2 py-1.5 text-right tabular-nums ${errorRateClass(g.errorRate)}`}
                  title={`${formatCount(g.errorCount)} error spans of ${formatCount(g.count)}`}
                  data-testid={testIds.operationErrorRate}
                  data-error-count={g.errorCount}
                >
                  {formatPercent(g.errorRate)}
                </td>
                <PercentileCell name="p50" value={g.durations.p50} n={g.durations.count} />
                <PercentileCell name="p95" value={g.durations.p95} n={g.durations.count} />
                <PercentileCell name="p99" value={g.durations.p99} n={g.durations.count} />
                <td className="px-2 py-1.5">
                  <Sparkline values={g.timeline.map((p) => p.p95Us)} color={seriesColors.p95} label={`p95 over time for ${row.label}`} />
                </td>
                <td className="px-2 py-1.5">
                  <Sparkline values={g.timeline.map((p) => p.errorCount)} color={seriesColors.error} label={`errors over time for ${row.label}`} />
                </td>
                {compared ? (
                  <ChangeCells
                    comparison={row.comparison}
                    current={{
                      count: g.count,
                      errorRate: g.errorRate,
                      p50Us: g.durations.p50.valueUs,
                      p95Us: g.durations.p95.valueUs,
                      p99Us: g.durations.p99.valueUs,
                    }}
                  />
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
