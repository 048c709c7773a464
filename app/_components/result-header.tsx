'use client';

import { CoverageBadge, FailedSubWindows } from '@/components/coverage-badge';
import { formatCount, formatInstantUs } from '@/components/ui/format';
import type { MetricsResponse } from '@/lib/http/api-types';
import { testIds } from '@/lib/test-ids';

/** Where the numbers came from and how complete they are; shown above every result. */
export function ResultHeader({ result, fetching }: { result: MetricsResponse; fetching: boolean }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
        <CoverageBadge coverage={result.coverage} testId={testIds.coverageBadge} />
        <span>
          {formatCount(result.spansCounted ?? 0)} spans, {formatInstantUs(result.windowStartUs)} – {formatInstantUs(result.windowEndUs)}
        </span>
        {fetching ? (
          <span role="status" className="text-xs text-slate-500">
            refreshing…
          </span>
        ) : null}
      </div>
      <FailedSubWindows coverage={result.coverage} />
    </div>
  );
}
