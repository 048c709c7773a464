'use client';

import type { ReactNode } from 'react';
import { EmptyPanel } from '@/components/ui/state-panel';
import type { MetricsHookResult } from '@/lib/api-client';
import type { MetricsResponse } from '@/lib/http/api-types';
import { testIds } from '@/lib/test-ids';
import { MetricsLoading } from './metrics-loading';
import { QueryError } from './query-error';
import { ResultHeader } from './result-header';

/**
 * What every metrics page shows before it has numbers (no service chosen, an error with Retry,
 * progress while loading), then the result header and the page's own content.
 */
export function MetricsStates<R extends MetricsResponse>({
  metrics,
  service,
  chooseServiceHint,
  children,
}: {
  metrics: MetricsHookResult<R>;
  service: string | undefined;
  chooseServiceHint: string;
  children: (result: R) => ReactNode;
}) {
  if (service === undefined) {
    return (
      <EmptyPanel title="Choose a service" testId={testIds.emptyState}>
        {chooseServiceHint}
      </EmptyPanel>
    );
  }
  if (metrics.isError) {
    return <QueryError error={metrics.error} onRetry={() => void metrics.refetch()} retrying={metrics.isFetching} />;
  }
  if (metrics.data === undefined) return <MetricsLoading progress={metrics.progress} />;
  return (
    <>
      <ResultHeader result={metrics.data} fetching={metrics.isFetching} />
      {children(metrics.data)}
    </>
  );
}
