'use client';

import { CriticalPathTable, SelfTimeTable, SlowFastTable } from '@/components/tables/time-breakdown-table';
import { formatCount, formatDurationUs } from '@/components/ui/format';
import { LoadingPanel } from '@/components/ui/state-panel';
import { useMetrics } from '@/lib/api-client';
import type { MetricsResponseWith } from '@/lib/http/api-types';
import type { DashboardQuery } from '@/lib/query';
import { QueryError } from '../../_components/query-error';

const TIME_METRICS = ['selfTime', 'criticalPath'] as const;
const ROWS_SHOWN = 12;

/**
 * "Where the time goes" for the drill-down's query: self time of its spans, jaeger-ui's critical path
 * summed over its traces, and what grows from the fast traces to the slow ones. Its own request, so the
 * drill-down's first numbers do not wait for the per-trace walks.
 */
export function TimePanel({ query }: { query: DashboardQuery }) {
  const metrics = useMetrics(query, TIME_METRICS);
  return (
    <section aria-labelledby="time-heading" className="space-y-3 rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <h2 id="time-heading" className="text-sm font-medium">
        Where the time goes
      </h2>
      {metrics.isError ? (
        <QueryError error={metrics.error} onRetry={() => void metrics.refetch()} retrying={metrics.isFetching} />
      ) : metrics.data === undefined ? (
        <LoadingPanel label="Walking the critical path of every trace…" />
      ) : (
        <TimeBreakdown result={metrics.data} />
      )}
    </section>
  );
}

function TimeBreakdown({ result }: { result: MetricsResponseWith<(typeof TIME_METRICS)[number]> }) {
  const { criticalPath, selfTime } = result;
  const split = criticalPath.slowVsFast;
  return (
    <>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Over the {formatCount(criticalPath.traces)} traces holding a span of this query
        {criticalPath.tracesWithoutPath > 0
          ? `; ${formatCount(criticalPath.tracesWithoutPath)} of them have no critical path (their first top-level span is an orphan)`
          : ''}
        {result.coverage.complete ? '.' : ' — a sample: the search hit its limit.'}
      </p>

      <div className="space-y-1">
        <h3 className="text-sm">Critical path</h3>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          The chain of work the trace waited on, as Jaeger&apos;s trace view draws it: from the root&apos;s end back to its start, always inside the
          child that finished last, then the one that finished before that child began. FOLLOWS_FROM children are not on it; a child sticking out of
          its parent is cut to it, or left out when wholly outside. Each section goes to the operation of its span. Share = the operation&apos;s
          critical time ÷ the trace&apos;s duration, averaged over the traces.
        </p>
        <CriticalPathTable criticalPath={criticalPath} limit={ROWS_SHOWN} />
      </div>

      <div className="space-y-1">
        <h3 className="text-sm">Self time of this query&apos;s spans</h3>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          A span&apos;s duration minus the time covered by its children (as Jaeger&apos;s Trace Statistics computes it). Share = total self time ÷ the
          summed duration of the traces.
        </p>
        <SelfTimeTable selfTime={selfTime} limit={ROWS_SHOWN} />
      </div>

      {split ? (
        <div className="space-y-1">
          <h3 className="text-sm">Slow vs fast traces</h3>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Slow: the {formatCount(split.slowTraces)} traces whose entry span (the query&apos;s root-most span) took more than the p90,{' '}
            {formatDurationUs(split.entryP90Us)}. Fast: the {formatCount(split.fastTraces)} under the p50, {formatDurationUs(split.entryP50Us)}. Per
            operation, its critical-path time per trace in each group; largest growth first — why the slow ones are slow.
          </p>
          <SlowFastTable split={split} limit={ROWS_SHOWN} />
        </div>
      ) : null}
    </>
  );
}
