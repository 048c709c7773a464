'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { CoverageBadge } from '@/components/coverage-badge';
import { EdgesTable } from '@/components/tables/edges-table';
import { ErrorGroupsTable } from '@/components/tables/error-groups-table';
import { OperationsTable } from '@/components/tables/operations-table';
import { ServicesTable } from '@/components/tables/services-table';
import { SlowestSpansTable } from '@/components/tables/slowest-spans-table';
import { nextSortDirection } from '@/components/tables/sortable-header';
import { formatCount, formatDurationUs, formatPercent } from '@/components/ui/format';
import type { DependenciesResponse, MetricsResponse, OverviewResponse } from '@/lib/http/api-types';
import type { Snapshot } from '@/lib/http/snapshot-types';
import {
  DEFAULT_QUERY,
  drillDownPatch,
  groupLabel,
  patchedQuerySearch,
  safeParseDashboardQuery,
  serializeQuery,
  type DashboardQuery,
  type ServiceSortKey,
  type SortKey,
} from '@/lib/query';
import { snapshotTitle, SnapshotsPanel } from '../../../_components/snapshots-panel';
import { formatUtc } from '../../../_components/utc-time';

const href = (path: string, search: string) => (search === '' ? path : `${path}?${search}`);

type ErrorGroups = NonNullable<MetricsResponse['errors']>;

function errorRows(groups: ErrorGroups) {
  return groups.map((group) => ({
    group,
    examples: group.examples.map((example) => ({ traceId: example.traceId, spanId: example.spanId, href: example.jaegerUrl })),
  }));
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="space-y-2">
      <h2 className="text-sm font-medium">{title}</h2>
      {children}
    </section>
  );
}

/** A service's overview, a drill-down or an errors page, frozen: the tables that page shows. */
function MetricsSnapshot({ data, query }: { data: MetricsResponse; query: DashboardQuery }) {
  const router = useRouter();
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: query.sort, dir: query.dir });
  return (
    <>
      {data.spansCounted !== undefined ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{formatCount(data.spansCounted)} spans counted.</p>
      ) : null}
      {data.groups ? (
        <Section title="Operations">
          <OperationsTable
            rows={data.groups.map((group) => ({
              group,
              label: groupLabel(group),
              href: href('/operation', patchedQuerySearch(query, drillDownPatch(query, group))),
            }))}
            nameHeader={query.groupBy.find((key) => key.startsWith('tag:'))?.slice('tag:'.length) ?? 'Operation'}
            sortKey={sort.key}
            sortDirection={sort.dir}
            estimated={!data.coverage.complete}
            onSort={(key) => setSort({ key, dir: nextSortDirection(sort.key, sort.dir, key) })}
            onOpen={(target) => router.push(target)}
          />
        </Section>
      ) : null}
      {data.slowest ? (
        <Section title="Slowest spans">
          <SlowestSpansTable rows={data.slowest.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))} />
        </Section>
      ) : null}
      {data.errors && data.errors.length > 0 ? (
        <Section title="By error type or message">
          <ErrorGroupsTable rows={errorRows(data.errors)} />
        </Section>
      ) : null}
    </>
  );
}

/** The services home, frozen. */
function OverviewSnapshot({ data, query }: { data: OverviewResponse; query: DashboardQuery }) {
  const router = useRouter();
  const [sort, setSort] = useState<{ key: ServiceSortKey; dir: 'asc' | 'desc' }>({ key: query.order ?? 'impact', dir: query.dir });
  const t = data.totals;
  return (
    <>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {formatCount(t.services)} services · {formatCount(t.count)} spans · {formatPercent(t.errorRate)} errors · p95{' '}
        {t.p95Us === null ? '—' : formatDurationUs(t.p95Us)} (n = {formatCount(t.n)})
      </p>
      <ServicesTable
        rows={data.services.map((row) => ({
          row,
          href: href('/', serializeQuery({ window: query.window, source: query.source, service: row.service })),
        }))}
        pending={[]}
        sortKey={sort.key}
        sortDirection={sort.dir}
        onSort={(key) => setSort({ key, dir: nextSortDirection(sort.key, sort.dir, key) })}
        onOpen={(target) => router.push(target)}
      />
      <Section title="Slowest spans, all services">
        <SlowestSpansTable rows={data.slowest.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))} />
      </Section>
      {data.latestErrors.length > 0 ? (
        <Section title="Latest errors, all services">
          <SlowestSpansTable rows={data.latestErrors.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))} caption="Newest first" />
        </Section>
      ) : null}
      {data.errorGroups.length > 0 ? (
        <Section title="Errors by type, all services">
          <ErrorGroupsTable rows={errorRows(data.errorGroups)} />
        </Section>
      ) : null}
    </>
  );
}

/** The service map's edges, frozen (the drawing is the live map's). */
function DependenciesSnapshot({ data, query }: { data: DependenciesResponse; query: DashboardQuery }) {
  const callerHref = (service: string, operation: string | undefined) =>
    href(operation === undefined ? '/' : '/operation', serializeQuery({ window: query.window, source: query.source, service, operation }));
  const rows =
    data.level === 'service'
      ? data.edges.map((edge) => ({ edge, href: callerHref(edge.parent, edge.callers[0]?.operation) }))
      : data.edges.map((edge) => ({ edge, href: callerHref(edge.parent.service, edge.parent.operation) }));
  return (
    <>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {formatCount(data.traces)} distinct traces from {data.servicesSearched} service searches; each span pair counted once.
      </p>
      {rows.length === 0 ? <p className="text-sm text-slate-500">No calls in this window.</p> : <EdgesTable rows={rows} />}
    </>
  );
}

/**
 * A frozen snapshot: says so, when and from which source its numbers were computed and with what
 * coverage, links the live view (the same query, read again), and shows the stored numbers with the
 * tables the live page uses. Links inside the tables open live pages.
 */
export function SnapshotView({ snapshot }: { snapshot: Snapshot }) {
  const parsed = safeParseDashboardQuery(snapshot.query);
  const query = parsed.ok ? parsed.query : DEFAULT_QUERY;
  const liveHref = href(snapshot.path, snapshot.query);
  const result = snapshot.result;
  return (
    <div className="space-y-4">
      <h1 className="truncate text-xl font-semibold">Frozen snapshot: {snapshotTitle(snapshot)}</h1>
      <section
        aria-label="Frozen snapshot"
        className="space-y-1 rounded-lg bg-sky-50 p-3 text-sm ring-1 ring-sky-200 dark:bg-sky-950 dark:ring-sky-800"
      >
        <p>
          <strong>Frozen snapshot</strong> — computed {formatUtc(Date.parse(snapshot.createdAt) * 1_000)} from <code>{snapshot.source.label}</code>,
          coverage <CoverageBadge coverage={snapshot.coverage} />
        </p>
        <p className="text-slate-600 dark:text-slate-300">
          Window {formatUtc(snapshot.windowStartUs)} – {formatUtc(snapshot.windowEndUs)}. These numbers were stored when the snapshot was taken and do
          not change, even once Jaeger has forgotten the traces.{' '}
          <Link href={liveHref} className="font-medium text-sky-800 underline dark:text-sky-300">
            Open the live view
          </Link>{' '}
          for the same query read again now.
        </p>
      </section>
      {result.kind === 'metrics' ? (
        <MetricsSnapshot data={result.data} query={query} />
      ) : result.kind === 'overview' ? (
        <OverviewSnapshot data={result.data} query={query} />
      ) : (
        <DependenciesSnapshot data={result.data} query={query} />
      )}
      <SnapshotsPanel current={snapshot} open />
    </div>
  );
}
