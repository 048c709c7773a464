import type { Coverage } from '@/lib/http/api-types';
import { Badge } from './ui/badge';
import { formatClockUs, formatCount } from './ui/format';

/**
 * Sampling honesty (design §3): "complete" only when no sub-window hit its limit and none failed;
 * otherwise how much was seen, and which sub-windows failed.
 */
export function CoverageBadge({ coverage, testId }: { coverage: Coverage; testId?: string }) {
  const traces = `${formatCount(coverage.tracesFetched)} trace${coverage.tracesFetched === 1 ? '' : 's'}`;
  const failed = coverage.failedSubWindows;
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid={testId}>
      {coverage.complete ? (
        <Badge status="ok" title={`All ${coverage.subWindows} sub-windows answered below their limit.`}>
          complete: {traces}
        </Badge>
      ) : coverage.subWindowsAtLimit > 0 ? (
        <Badge
          status="sampled"
          title={`${coverage.subWindowsAtLimit} of ${coverage.subWindows} sub-windows returned as many traces as asked for, so there are more: counts and rates are estimates; error rates and percentiles are estimates from the sample.`}
        >
          sampled: {formatCount(coverage.tracesFetched)} of ≥ {formatCount(coverage.tracesFetched + coverage.subWindowsAtLimit)} traces
        </Badge>
      ) : null}
      {coverage.partial ? (
        <Badge status="partial" title={failed.map((w) => `${formatClockUs(w.startUs)}–${formatClockUs(w.endUs)}: ${w.reason}`).join('\n')}>
          partial: {failed.length} of {coverage.subWindows} sub-windows failed
        </Badge>
      ) : null}
    </span>
  );
}

export function FailedSubWindows({ coverage }: { coverage: Coverage }) {
  if (coverage.failedSubWindows.length === 0) return null;
  return (
    <details className="text-sm text-orange-900 dark:text-orange-200">
      <summary className="cursor-pointer">Sub-windows that failed (results are partial)</summary>
      <ul className="mt-1 list-disc pl-5">
        {coverage.failedSubWindows.map((w) => (
          <li key={`${w.startUs}-${w.endUs}`}>
            {formatClockUs(w.startUs)}–{formatClockUs(w.endUs)}: {w.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
