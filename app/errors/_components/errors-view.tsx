'use client';

import Link from 'next/link';
import { ErrorGroupsTable } from '@/components/tables/error-groups-table';
import { DownloadButton } from '@/components/ui/download-button';
import { formatCount, formatPercent } from '@/components/ui/format';
import { EmptyPanel } from '@/components/ui/state-panel';
import { errorRateClass } from '@/components/ui/status';
import { metricsRequestParams, useMetrics } from '@/lib/api-client';
import { drillDownPatch, groupLabel, type DashboardQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { DashboardControls } from '../../_components/dashboard-controls';
import { MetricsStates } from '../../_components/metrics-states';
import { useQueryNavigation } from '../../_components/use-query-navigation';

/** Error spans of the service: which operations fail, and with which error, with example traces. */
const ERRORS_METRICS = ['groups', 'errors'] as const;

export function ErrorsView({ query }: { query: DashboardQuery }) {
  const { hrefFor } = useQueryNavigation(query);
  const metrics = useMetrics(query, ERRORS_METRICS);
  const failing = metrics.data?.groups.filter((g) => g.errorCount > 0).toSorted((a, b) => b.errorCount - a.errorCount) ?? [];
  return (
    <div className="space-y-4">
      <h1 className="truncate text-xl font-semibold" title={query.service}>
        Errors{query.service ? `: ${query.service}` : ''}
      </h1>
      <DashboardControls query={query} shownWindowEndUs={metrics.data?.windowEndUs} />
      <MetricsStates metrics={metrics} service={query.service} chooseServiceHint="Pick a service above to see its errors.">
        {(result) => (
          <>
            <p className="text-xs text-slate-500" title={result.definitions.errorRule}>
              What counts as an error: {result.definitions.errorRule}
            </p>
            {result.errors.length === 0 ? (
              <EmptyPanel title="No error spans in this window" testId={testIds.emptyState}>
                Nothing from {query.service} failed. Widen the window to look further back.
              </EmptyPanel>
            ) : (
              <>
                <section aria-labelledby="by-operation" className="space-y-2">
                  <h2 id="by-operation" className="text-sm font-medium">
                    By operation
                  </h2>
                  <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                    {failing.map((group) => (
                      <li key={group.key} className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
                        <Link
                          href={hrefFor(drillDownPatch(query, group), '/operation')}
                          className="block truncate font-medium text-sky-800 hover:underline dark:text-sky-300"
                          title={groupLabel(group)}
                        >
                          {groupLabel(group)}
                        </Link>
                        <p className="text-sm">
                          <span className={errorRateClass(group.errorRate)}>{formatPercent(group.errorRate)}</span> · {formatCount(group.errorCount)}{' '}
                          of {formatCount(group.count)} spans failed
                        </p>
                      </li>
                    ))}
                  </ul>
                </section>
                <section aria-labelledby="by-type" className="space-y-2">
                  <div className="flex items-center justify-between gap-3">
                    <h2 id="by-type" className="text-sm font-medium">
                      By error type or message
                    </h2>
                    <DownloadButton api="/api/metrics" params={metricsRequestParams(query, ERRORS_METRICS)} table="errors" label="error groups" />
                  </div>
                  <ErrorGroupsTable
                    rows={result.errors.map((group) => ({
                      group: { ...group, examples: group.examples },
                      examples: group.examples.map((e) => ({ traceId: e.traceId, spanId: e.spanId, href: e.jaegerUrl })),
                    }))}
                  />
                </section>
              </>
            )}
          </>
        )}
      </MetricsStates>
    </div>
  );
}
