'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { TileChange } from '@/components/tables/change-cells';
import { ComparisonDefinitions } from '@/components/tables/comparison-definitions';
import { ServicesTable, type ServiceTableRow } from '@/components/tables/services-table';
import { ErrorGroupsTable } from '@/components/tables/error-groups-table';
import { SlowestSpansTable } from '@/components/tables/slowest-spans-table';
import { nextSortDirection } from '@/components/tables/sortable-header';
import { DownloadButton } from '@/components/ui/download-button';
import { formatCount, formatDurationUs, formatPercent, formatRate } from '@/components/ui/format';
import { EmptyPanel, LoadingPanel } from '@/components/ui/state-panel';
import { overviewRequestParams, useOverview } from '@/lib/api-client/overview';
import type { OverviewResponse, OverviewServiceRow } from '@/lib/http/api-types';
import type { DashboardQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { DashboardControls } from './dashboard-controls';
import { QueryError } from './query-error';
import { SpmPanel } from './spm-panel';
import { useQueryNavigation } from './use-query-navigation';

const DAY_US = 86_400_000_000;

function Tile({ label, value, detail, title, change }: { label: string; value: ReactNode; detail?: ReactNode; title?: string; change?: ReactNode }) {
  return (
    <div className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800" title={title}>
      <dt className="text-xs text-slate-500 uppercase">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
      {detail ? <dd className="text-xs text-slate-500">{detail}</dd> : null}
      {change ? <dd className="text-xs">{change}</dd> : null}
    </div>
  );
}

function Tiles({ data }: { data: OverviewResponse }) {
  const t = data.totals;
  // With a baseline: the whole system's change under the rate, error-rate and p95 tiles.
  const change = (metric: 'count' | 'errorRate' | 'p95') => (t.comparison ? <TileChange comparison={t.comparison} metric={metric} /> : null);
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <Tile label="Services" value={formatCount(t.services)} detail={`≤ ${formatCount(data.limitPerService)} traces sampled per service`} />
      <Tile
        label="Total rate"
        value={formatRate(t.ratePerSecond)}
        detail={`${formatCount(t.count)} spans${t.estimated ? ' (estimate: some services sampled)' : ''}`}
        change={change('count')}
      />
      <Tile label="Error rate" value={formatPercent(t.errorRate)} detail={`${formatCount(t.errorCount)} error spans`} change={change('errorRate')} />
      <Tile
        label="p95, all services"
        value={t.p95Us === null ? '—' : formatDurationUs(t.p95Us)}
        detail={`n = ${formatCount(t.n)}; exact over all services' spans`}
        title={t.percentileRule}
        change={change('p95')}
      />
    </dl>
  );
}

/** The services home (`/` without a service): every service at a glance, then the slowest spans and latest errors. */
export function ServicesHome({ query }: { query: DashboardQuery }) {
  const router = useRouter();
  const { update, hrefFor } = useQueryNavigation(query);
  const overview = useOverview(query);
  const data = overview.data;
  const streamed = overview.progress;
  // While a first answer streams in, show its rows as they arrive; a refetch keeps the last answer.
  const rows: readonly OverviewServiceRow[] = data?.services ?? streamed?.rows ?? [];
  const pendingAll = data === undefined && streamed?.services ? streamed.services.filter((s) => !rows.some((r) => r.service === s)) : [];
  const filter = query.filter?.toLowerCase() ?? '';
  const matches = (service: string) => filter === '' || service.toLowerCase().includes(filter);
  const tableRows: ServiceTableRow[] = rows
    .filter((row) => matches(row.service))
    .map((row) => ({ row, href: hrefFor({ service: row.service, order: undefined, filter: undefined, dir: 'desc' }, '/') }));
  const sortKey = query.order ?? 'impact';
  const overviewParams = overviewRequestParams(query);

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Services</h1>
      <DashboardControls query={query} shownWindowEndUs={data?.windowEndUs} />
      {overview.isError ? (
        <QueryError error={overview.error} onRetry={() => void overview.refetch()} retrying={overview.isFetching} />
      ) : data === undefined && rows.length === 0 ? (
        <LoadingPanel
          label="Searching every service…"
          detail={streamed?.services ? <span data-testid={testIds.progress}>0 of {streamed.services.length} services done</span> : null}
        />
      ) : data !== undefined && data.services.length === 0 ? (
        <EmptyPanel title="No services yet" testId={testIds.emptyState}>
          This source has no traces. Send traces to Jaeger (or run <code>npm run seed</code> against the harness), point Spanlens at your Jaeger with{' '}
          <code>JAEGER_URL</code>, or{' '}
          <Link href="/upload" className="text-sky-800 underline dark:text-sky-300">
            upload a Jaeger JSON export
          </Link>
          .
        </EmptyPanel>
      ) : (
        <>
          {data !== undefined ? <Tiles data={data} /> : null}
          {data === undefined && streamed?.services ? (
            <p role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-300" data-testid={testIds.progress}>
              {rows.length} of {streamed.services.length} services done…
            </p>
          ) : null}
          {data !== undefined && data.totals.count === 0 ? (
            <EmptyPanel title="No spans in this window" testId={testIds.emptyState}>
              {formatCount(data.services.length)} services are known, but none sent spans in this window.{' '}
              <Link href={hrefFor({ window: { kind: 'relative', lookbackUs: DAY_US } })} className="text-sky-800 underline dark:text-sky-300">
                Look at the last 24 hours
              </Link>
              .
            </EmptyPanel>
          ) : null}
          <div className="flex items-center gap-3">
            <label className="flex items-center gap-2 text-sm">
              Filter by name
              <input
                type="search"
                defaultValue={query.filter ?? ''}
                placeholder="part of a name"
                className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
                onChange={(event) => update({ filter: event.target.value === '' ? undefined : event.target.value }, 'replace')}
              />
            </label>
            <span className="text-xs text-slate-500">
              {tableRows.length} of {rows.length} shown; a row opens that service&apos;s operations
            </span>
            {data !== undefined ? (
              <span className="ml-auto">
                <DownloadButton api="/api/overview" params={overviewParams} table="services" label="services" />
              </span>
            ) : null}
          </div>
          <ServicesTable
            rows={tableRows}
            pending={pendingAll.filter(matches)}
            sortKey={sortKey}
            sortDirection={query.dir}
            onSort={(key) => update({ order: key, dir: nextSortDirection(sortKey, query.dir, key) }, 'replace')}
            onOpen={(href) => router.push(href)}
            compared={data?.baseline !== undefined}
          />
          {data?.baseline ? <ComparisonDefinitions baseline={data.baseline} gone={data.baseline.goneServices.map((gone) => gone.service)} /> : null}
          {data !== undefined ? <SpmPanel query={query} services={data.services} /> : null}
          {data !== undefined ? (
            <div className="space-y-4">
              <section className="space-y-2">
                <div className="flex items-center justify-between gap-3">
                  <h2 className="font-semibold">Slowest spans, all services</h2>
                  <DownloadButton api="/api/overview" params={overviewParams} table="slowest" label="slowest spans" />
                </div>
                <SlowestSpansTable rows={data.slowest.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))} />
              </section>
              <section className="space-y-2">
                <div className="flex items-center justify-between gap-3">
                  <h2 className="font-semibold">Latest errors, all services</h2>
                  <DownloadButton api="/api/overview" params={overviewParams} table="latestErrors" label="latest errors" />
                </div>
                {data.latestErrors.length === 0 ? (
                  <p className="text-sm text-slate-500">No error spans in this window.</p>
                ) : (
                  <SlowestSpansTable rows={data.latestErrors.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))} caption="Newest first" />
                )}
              </section>
            </div>
          ) : null}
          {data !== undefined && data.errorGroups.length > 0 ? (
            <section className="space-y-2">
              <div className="flex items-center justify-between gap-3">
                <h2 className="font-semibold">Errors by type, all services</h2>
                <DownloadButton api="/api/overview" params={overviewParams} table="errorGroups" label="error groups" />
              </div>
              <ErrorGroupsTable
                rows={data.errorGroups.map((group) => ({
                  group,
                  examples: group.examples.map((example) => ({ traceId: example.traceId, spanId: example.spanId, href: example.jaegerUrl })),
                }))}
              />
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
