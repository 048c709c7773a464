'use client';

import { SpmComparisonTable, type ExactRow } from '@/components/tables/spm-comparison-table';
import { useSpm } from '@/lib/api-client/spm';
import type { MetricsResponse, OverviewServiceRow } from '@/lib/http/api-types';
import type { DashboardQuery } from '@/lib/query';

/**
 * SPM (Jaeger's Monitor tab numbers) beside the exact ones: per operation on a service's overview
 * (`groups`), per service on the services home (`services`). Hidden when Jaeger has no metrics
 * backend; a backend that fails (Prometheus down behind Jaeger) shows its error.
 */
export function SpmPanel({
  query,
  groups,
  services,
}: {
  query: DashboardQuery;
  groups?: MetricsResponse['groups'] | undefined;
  services?: readonly OverviewServiceRow[] | undefined;
}) {
  const spm = useSpm(query);
  const perOperation = query.service !== undefined;
  // SPM series are per service and operation: a view grouped by a tag has nothing to meet them.
  const groupedByOperation = query.groupBy.length === 2 && query.groupBy[0] === 'service' && query.groupBy[1] === 'operation';
  if (perOperation && !groupedByOperation) return null;
  if (spm.isError) {
    return (
      <section className="space-y-1" aria-label="SPM">
        <h2 className="font-semibold">SPM (Jaeger Monitor tab)</h2>
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Jaeger’s SPM numbers could not be read: {spm.error.message}
        </p>
      </section>
    );
  }
  const data = spm.data;
  if (data === undefined || !data.available) return null;
  const exact: ExactRow[] = perOperation
    ? (groups ?? []).map((group) => ({
        name: group.operation ?? '',
        numbers: {
          ratePerSecond: group.ratePerSecond,
          errorRate: group.errorRate,
          p50Us: group.durations.p50.valueUs,
          p95Us: group.durations.p95.valueUs,
        },
      }))
    : (services ?? [])
        .filter((row) => row.error === null)
        .map((row) => ({
          name: row.service,
          numbers: { ratePerSecond: row.ratePerSecond, errorRate: row.errorRate, p50Us: row.p50Us, p95Us: row.p95Us },
        }));
  return (
    <section className="space-y-2" aria-label="SPM">
      <h2 className="font-semibold">Exact beside SPM (Jaeger Monitor tab)</h2>
      <p className="text-xs text-slate-500">
        Exact: Spanlens, every counted span of the window, nearest-rank percentiles. {data.definition} Cells more than 10% apart are highlighted.
      </p>
      <SpmComparisonTable exact={exact} spm={data.rows} level={perOperation ? 'operation' : 'service'} fold={query.fold === true} />
    </section>
  );
}
