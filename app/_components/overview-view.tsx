'use client';

import { ComparisonDefinitions } from '@/components/tables/comparison-definitions';
import type { OperationRow } from '@/components/tables/operations-table';
import { DownloadButton } from '@/components/ui/download-button';
import { EmptyPanel } from '@/components/ui/state-panel';
import { metricsRequestParams, useMetrics } from '@/lib/api-client';
import { drillDownPatch, groupedTagKey, groupLabel, type DashboardQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { DashboardControls } from './dashboard-controls';
import { FoldedNames } from './folded-names';
import { MetricsStates } from './metrics-states';
import { QueryOperationsTable } from './query-operations-table';
import { SpmPanel } from './spm-panel';
import { useQueryNavigation } from './use-query-navigation';

const OVERVIEW_METRICS = ['groups'] as const;

/** Overview: one row per operation (or per tag value) of the chosen service, over the chosen window. */
export function OverviewView({ query }: { query: DashboardQuery }) {
  const { hrefFor } = useQueryNavigation(query);
  const metrics = useMetrics(query, OVERVIEW_METRICS);
  const tagKey = groupedTagKey(query);

  const rows: OperationRow[] =
    metrics.data?.groups.map((group) => ({
      group,
      label: groupLabel(group),
      href: hrefFor(drillDownPatch(query, group), '/operation'),
      comparison: group.comparison,
    })) ?? [];

  return (
    <div className="space-y-4">
      <h1 className="truncate text-xl font-semibold" title={query.service}>
        Overview{query.service ? `: ${query.service}` : ''}
      </h1>
      <DashboardControls query={query} showGroupBy shownWindowEndUs={metrics.data?.windowEndUs} />
      <FoldedNames query={query} groups={metrics.data?.groups} />
      <MetricsStates metrics={metrics} service={query.service} chooseServiceHint="Pick a service above to see its operations.">
        {(result) =>
          rows.length === 0 ? (
            <EmptyPanel title="No spans in this window" testId={testIds.emptyState}>
              Nothing from {query.service} matched. Widen the window, or check the service is sending traces.
            </EmptyPanel>
          ) : (
            <div className="space-y-1">
              <div className="flex justify-end">
                <DownloadButton api="/api/metrics" params={metricsRequestParams(query, OVERVIEW_METRICS)} table="groups" label="operations" />
              </div>
              <QueryOperationsTable
                query={query}
                rows={rows}
                nameHeader={tagKey ?? 'Operation'}
                estimated={!result.coverage.complete}
                compared={result.baseline !== undefined}
              />
              {result.baseline ? <ComparisonDefinitions baseline={result.baseline} gone={result.baseline.goneGroups.map(groupLabel)} /> : null}
            </div>
          )
        }
      </MetricsStates>
      {query.service !== undefined ? <SpmPanel query={query} groups={metrics.data?.groups} /> : null}
    </div>
  );
}
