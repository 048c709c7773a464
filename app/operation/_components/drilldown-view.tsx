'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { LatencyHeatmap, type HeatmapSelection } from '@/components/charts/latency-heatmap';
import { TimelineCharts } from '@/components/charts/timeline-charts';
import { GroupByPicker } from '@/components/query-bar/group-by-picker';
import { ComparisonDefinitions } from '@/components/tables/comparison-definitions';
import { SlowestSpansTable } from '@/components/tables/slowest-spans-table';
import { Button } from '@/components/ui/button';
import { DownloadButton } from '@/components/ui/download-button';
import { formatCount, formatDurationUs, formatInstantUs } from '@/components/ui/format';
import { EmptyPanel, LoadingPanel } from '@/components/ui/state-panel';
import { metricsQueryOptions, metricsRequestParams, useMetrics, useTagKeys } from '@/lib/api-client';
import { drillDownPatch, groupedTagKey, groupLabel, updateDashboardQuery, type DashboardQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { DashboardControls } from '../../_components/dashboard-controls';
import { MetricsStates } from '../../_components/metrics-states';
import { QueryError } from '../../_components/query-error';
import { QueryOperationsTable } from '../../_components/query-operations-table';
import { useQueryNavigation } from '../../_components/use-query-navigation';
import { BubbleUpPanel } from './bubbleup-panel';
import { TimePanel } from './time-panel';

const SLOWEST_SHOWN = 15;
const DRILLDOWN_METRICS = ['groups', 'heatmap', 'slowest'] as const;
const CELL_METRICS = ['slowest'] as const;

/**
 * The query narrowed to one heatmap cell: its time bucket and its duration range. Edges are
 * half-open [lo, hi) and times and durations whole µs, so the inclusive bounds are ⌈lo⌉ and ⌈hi⌉ − 1.
 */
export function cellQuery(query: DashboardQuery, cell: HeatmapSelection): DashboardQuery {
  return updateDashboardQuery(query, {
    // The bucket is half-open [start, end); a window's end is inclusive, as Jaeger's startTimeMax.
    window: { kind: 'absolute', startUs: Math.floor(cell.startUs), endUs: Math.ceil(cell.endUs) - 1 },
    minDurationUs: Math.ceil(cell.minDurationUs),
    maxDurationUs: Math.max(Math.ceil(cell.minDurationUs), Math.ceil(cell.maxDurationUs) - 1),
    refresh: 'off',
  });
}

/** One operation (or group): timelines, latency heatmap, slowest spans, breakdown by a tag key. */
export function DrilldownView({ query }: { query: DashboardQuery }) {
  const { update, hrefFor } = useQueryNavigation(query);
  const metrics = useMetrics(query, DRILLDOWN_METRICS);
  const tagKeys = useTagKeys({ service: query.service, source: query.source });
  const [selected, setSelected] = useState<HeatmapSelection | null>(null);
  const [showAllSlowest, setShowAllSlowest] = useState(false);
  const narrowed = selected ? cellQuery(query, selected) : null;
  const cellSpans = useQuery({ ...metricsQueryOptions(narrowed ?? query, CELL_METRICS), enabled: narrowed !== null });
  const breakdownKey = groupedTagKey(query);
  const filters = Object.entries(query.tags);
  const title = [query.service, query.operation, ...filters.map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(' · ');

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link
          href={hrefFor({ operation: undefined, tags: {}, group: undefined }, '/')}
          className="text-sm text-sky-800 hover:underline dark:text-sky-300"
        >
          ← Overview
        </Link>
        <h1 className="max-w-full min-w-0 truncate text-xl font-semibold" title={title || undefined}>
          {title || 'Drill-down'}
        </h1>
        {metrics.data?.jaegerSearchUrl ? (
          <a
            href={metrics.data.jaegerSearchUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="text-sm text-sky-800 hover:underline dark:text-sky-300"
            data-testid={testIds.jaegerSearchLink}
          >
            Search in Jaeger ↗
          </a>
        ) : null}
      </div>
      <DashboardControls query={query} shownWindowEndUs={metrics.data?.windowEndUs} />
      <MetricsStates metrics={metrics} service={query.service} chooseServiceHint="Pick a service above, or start from the overview.">
        {(result) =>
          result.spansCounted === 0 ? (
            <EmptyPanel title="No spans in this window" testId={testIds.emptyState}>
              Widen the window, or remove a filter.
            </EmptyPanel>
          ) : (
            <>
              <TimelineCharts
                timeline={result.timeline}
                estimated={!result.coverage.complete}
                windowStartUs={result.windowStartUs}
                windowEndUs={result.windowEndUs}
              />

              <section aria-labelledby="heatmap-heading" className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
                <h2 id="heatmap-heading" className="mb-2 text-sm font-medium">
                  Latency heatmap
                </h2>
                <LatencyHeatmap
                  heatmap={result.heatmap}
                  windowStartUs={result.windowStartUs}
                  windowEndUs={result.windowEndUs}
                  selected={selected}
                  onSelect={setSelected}
                />
                {selected && narrowed ? (
                  <div className="mt-3 space-y-2" data-testid={testIds.heatmapSelection}>
                    <div className="flex flex-wrap items-center gap-2 text-sm">
                      <span className="font-medium">
                        Spans in the cell: {formatCount(selected.count)} between {formatDurationUs(Math.ceil(selected.minDurationUs))} and{' '}
                        {formatDurationUs(Math.ceil(selected.maxDurationUs))}, from {formatInstantUs(selected.startUs)}
                      </span>
                      <Link href={hrefFor(narrowed)} className="text-sky-800 hover:underline dark:text-sky-300">
                        Open as its own view
                      </Link>
                      <Button variant="ghost" onClick={() => setSelected(null)}>
                        Clear
                      </Button>
                    </div>
                    {cellSpans.isError ? (
                      <QueryError error={cellSpans.error} onRetry={() => void cellSpans.refetch()} retrying={cellSpans.isFetching} />
                    ) : cellSpans.data === undefined ? (
                      <LoadingPanel label="Fetching the spans behind this cell…" />
                    ) : (
                      <SlowestSpansTable
                        caption="Slowest spans in the selected cell"
                        rows={cellSpans.data.slowest.map((span) => ({ span, jaegerUrl: span.jaegerUrl }))}
                      />
                    )}
                  </div>
                ) : null}
              </section>

              <BubbleUpPanel query={query} selection={selected} />

              <section aria-labelledby="slowest-heading" className="space-y-2">
                <div className="flex items-center justify-between gap-3">
                  <h2 id="slowest-heading" className="text-sm font-medium">
                    Slowest spans
                  </h2>
                  <DownloadButton api="/api/metrics" params={metricsRequestParams(query, DRILLDOWN_METRICS)} table="slowest" label="slowest spans" />
                </div>
                <SlowestSpansTable
                  rows={result.slowest.slice(0, showAllSlowest ? undefined : SLOWEST_SHOWN).map((span) => ({ span, jaegerUrl: span.jaegerUrl }))}
                />
                {result.slowest.length > SLOWEST_SHOWN ? (
                  <Button variant="ghost" onClick={() => setShowAllSlowest(!showAllSlowest)}>
                    {showAllSlowest ? `Show the slowest ${SLOWEST_SHOWN}` : `Show all ${result.slowest.length}`}
                  </Button>
                ) : null}
              </section>

              <TimePanel query={query} />

              <section aria-labelledby="breakdown-heading" className="space-y-2">
                <div className="flex flex-wrap items-end gap-3">
                  <h2 id="breakdown-heading" className="text-sm font-medium">
                    Breakdown
                  </h2>
                  <GroupByPicker
                    tagKeys={tagKeys.data?.keys.map((k) => k.key) ?? []}
                    value={breakdownKey}
                    onChange={(key) => update({ groupBy: key === undefined ? ['service', 'operation'] : [`tag:${key}`] }, 'replace')}
                  />
                  <span className="ml-auto">
                    <DownloadButton api="/api/metrics" params={metricsRequestParams(query, DRILLDOWN_METRICS)} table="groups" label="breakdown" />
                  </span>
                </div>
                <div data-testid={testIds.breakdownTable}>
                  <QueryOperationsTable
                    query={query}
                    rows={result.groups.map((group) => ({
                      group,
                      label: groupLabel(group),
                      href: hrefFor(drillDownPatch(query, group)),
                      comparison: group.comparison,
                    }))}
                    nameHeader={breakdownKey ?? 'Operation'}
                    estimated={!result.coverage.complete}
                    compared={result.baseline !== undefined}
                  />
                </div>
                {result.baseline ? <ComparisonDefinitions baseline={result.baseline} gone={result.baseline.goneGroups.map(groupLabel)} /> : null}
              </section>
            </>
          )
        }
      </MetricsStates>
    </div>
  );
}
