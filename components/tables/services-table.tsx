'use client';

import Link from 'next/link';
import type { OverviewServiceRow } from '@/lib/http/api-types';
import type { ServiceSortKey } from '@/lib/query';
import { Sparkline } from '../charts/sparkline';
import { CoverageBadge } from '../coverage-badge';
import { formatCount, formatPercent, formatRate } from '../ui/format';
import { errorRateClass, seriesColors, statusClasses } from '../ui/status';
import { CHANGE_COLUMNS, ChangeCells, ChangeHeaders, regressionSortValue } from './change-cells';
import { PercentileCell } from './percentile-cell';
import { SortableHeader } from './sortable-header';

export interface ServiceTableRow {
  readonly row: OverviewServiceRow;
  /** The service's own overview (`/?service=X`, same window), built by the page. */
  readonly href: string;
}

const columns: readonly { key: ServiceSortKey; label: string; title?: string }[] = [
  { key: 'service', label: 'Service' },
  { key: 'impact', label: 'Impact', title: 'Rate × p95: where users wait longest in total (Jaeger Monitor’s default order)' },
  { key: 'count', label: 'Count (n)', title: 'Spans of the service in the window; also the sample size n behind its percentiles' },
  { key: 'rate', label: 'Rate' },
  { key: 'errorRate', label: 'Error rate' },
  { key: 'p50', label: 'p50' },
  { key: 'p95', label: 'p95' },
  { key: 'p99', label: 'p99' },
];

/** Rate × p95 (µs per second): the default order; a service with no span has none. */
export const impactOf = (row: OverviewServiceRow): number => row.ratePerSecond * (row.p95Us ?? 0);

function sortValue(row: OverviewServiceRow, key: ServiceSortKey): number | string {
  switch (key) {
    case 'impact':
      return impactOf(row);
    case 'service':
      return row.service;
    case 'count':
      return row.count;
    case 'rate':
      return row.ratePerSecond;
    case 'errorRate':
      return row.errorRate;
    case 'p50':
      return row.p50Us ?? -1;
    case 'p95':
      return row.p95Us ?? -1;
    case 'p99':
      return row.p99Us ?? -1;
    case 'regression':
      return regressionSortValue(row.comparison);
  }
}

export function sortServiceRows(rows: readonly ServiceTableRow[], key: ServiceSortKey, direction: 'asc' | 'desc'): ServiceTableRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a.row, key);
    const y = sortValue(b.row, key);
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return order !== 0 ? sign * order : a.row.service.localeCompare(b.row.service);
  });
}

/** One row per service: RED metrics, exact percentiles with n, p95 and error-rate sparklines, its coverage. */
export function ServicesTable({
  rows,
  pending,
  sortKey,
  sortDirection,
  onSort,
  onOpen,
  compared = false,
}: {
  rows: readonly ServiceTableRow[];
  /** Services still being searched: shown as placeholder rows. */
  pending: readonly string[];
  sortKey: ServiceSortKey;
  sortDirection: 'asc' | 'desc';
  onSort: (key: ServiceSortKey) => void;
  onOpen: (href: string) => void;
  /** The view has a baseline: show the Δ columns. */
  compared?: boolean;
}) {
  const sorted = sortServiceRows(rows, sortKey, sortDirection);
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full text-sm">
        <caption className="sr-only">Services</caption>
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400">
          <tr>
            {columns.map((column) => (
              <SortableHeader
                key={column.key}
                active={sortKey === column.key}
                direction={sortDirection}
                title={column.title}
                alignLeft={column.key === 'service'}
                onSort={() => onSort(column.key)}
              >
                {column.label}
              </SortableHeader>
            ))}
            <th scope="col" className="px-2 py-2">
              p95 trend
            </th>
            <th scope="col" className="px-2 py-2">
              Error-rate trend
            </th>
            <th scope="col" className="px-2 py-2">
              Coverage
            </th>
            {compared ? <ChangeHeaders active={sortKey === 'regression'} direction={sortDirection} onSort={() => onSort('regression')} /> : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map(({ row, href }) => (
            <tr
              key={row.service}
              data-service={row.service}
              data-count={row.count}
              data-error-count={row.errorCount}
              className="cursor-pointer border-t border-slate-100 hover:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-900"
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a')) return;
                onOpen(href);
              }}
            >
              <th scope="row" className="max-w-xs truncate px-2 py-1.5 text-left font-medium">
                <Link href={href} className="block truncate text-sky-800 hover:underline dark:text-sky-300" title={row.service}>
                  {row.service}
                </Link>
              </th>
              <td className="px-2 py-1.5 text-right text-slate-500 tabular-nums" title="rate × p95, in µs of waiting per second">
                {row.p95Us === null ? '—' : formatCount(Math.round(impactOf(row)))}
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{formatCount(row.count)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">
                {formatRate(row.ratePerSecond)}
                {row.coverage !== null && !row.coverage.complete ? <span title="estimate: the service was sampled"> (est.)</span> : null}
              </td>
              <td
                className={`px-2 py-1.5 text-right tabular-nums ${errorRateClass(row.errorRate)}`}
                title={`${formatCount(row.errorCount)} error spans of ${formatCount(row.count)}`}
              >
                {formatPercent(row.errorRate)}
              </td>
              {row.durations === null ? (
                <>
                  <td className="px-2 py-1.5 text-right text-slate-400">—</td>
                  <td className="px-2 py-1.5 text-right text-slate-400">—</td>
                  <td className="px-2 py-1.5 text-right text-slate-400">—</td>
                </>
              ) : (
                <>
                  <PercentileCell name="p50" value={row.durations.p50} n={row.n} />
                  <PercentileCell name="p95" value={row.durations.p95} n={row.n} />
                  <PercentileCell name="p99" value={row.durations.p99} n={row.n} />
                </>
              )}
              <td className="px-2 py-1.5">
                <Sparkline values={row.timeline.map((p) => p.p95Us)} color={seriesColors.p95} label={`p95 over time for ${row.service}`} />
              </td>
              <td className="px-2 py-1.5">
                <Sparkline
                  values={row.timeline.map((p) => p.errorRate)}
                  color={seriesColors.error}
                  label={`error rate over time for ${row.service}`}
                />
              </td>
              <td className="px-2 py-1.5">
                {row.error !== null ? (
                  <span className={`rounded px-1 text-xs ring-1 ring-inset ${statusClasses.error}`} title={row.error.message}>
                    failed: {row.error.message}
                  </span>
                ) : row.coverage !== null ? (
                  <CoverageBadge coverage={row.coverage} />
                ) : null}
              </td>
              {compared ? <ChangeCells comparison={row.comparison} current={row} /> : null}
            </tr>
          ))}
          {pending.map((service) => (
            <tr key={`pending:${service}`} className="border-t border-slate-100 text-slate-400 dark:border-slate-800" aria-busy="true">
              <th scope="row" className="max-w-xs truncate px-2 py-1.5 text-left font-normal" title={service}>
                {service}
              </th>
              <td colSpan={columns.length + 2 + (compared ? 1 + CHANGE_COLUMNS.length : 0)} className="px-2 py-1.5 italic">
                searching…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
