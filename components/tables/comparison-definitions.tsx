import type { BaselineInfo } from '@/lib/http/api-types';
import { testIds } from '@/lib/test-ids';
import { CoverageBadge } from '../coverage-badge';
import { formatInstantUs } from '../ui/format';

/**
 * Under a table compared with a baseline: which window it was compared with (and its coverage), how
 * each interval is computed and when a change is flagged, the regression order, and the rows that
 * only the baseline had.
 */
export function ComparisonDefinitions({ baseline, gone }: { baseline: BaselineInfo; gone: readonly string[] }) {
  const { definitions } = baseline;
  return (
    <details className="rounded-lg p-3 text-sm ring-1 ring-slate-200 dark:ring-slate-800" data-testid={testIds.comparisonDefinitions} open>
      <summary className="cursor-pointer font-medium">
        Compared with {formatInstantUs(baseline.windowStartUs)} – {formatInstantUs(baseline.windowEndUs)}{' '}
        <CoverageBadge coverage={baseline.coverage} />
      </summary>
      <dl className="mt-2 grid gap-1 text-slate-700 dark:text-slate-300">
        <dt className="font-medium">Flags</dt>
        <dd>{definitions.level}</dd>
        <dt className="font-medium">Δp50 / Δp95 / Δp99</dt>
        <dd>{definitions.quantiles}</dd>
        <dt className="font-medium">Δerror rate</dt>
        <dd>{definitions.errorRate}</dd>
        <dt className="font-medium">Δcount</dt>
        <dd>{definitions.count}</dd>
        <dt className="font-medium">Order</dt>
        <dd>{definitions.regressionOrder}</dd>
      </dl>
      {gone.length > 0 ? <p className="mt-2">Only in the baseline (no span now): {gone.join(', ')}</p> : null}
    </details>
  );
}
