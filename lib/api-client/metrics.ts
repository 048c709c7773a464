import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MetricsResponse, MetricsResponseWith, MetricsStreamLine } from '../http/api-types.ts';
import type { MetricName } from '../metrics/registry.ts';
import { dataQueryOf, REFRESH_MS, relativeWindowStepMs, serializeQuery, type DashboardQuery } from '../query/index.ts';
import { ApiError } from './api-error.ts';
import { streamNdjson } from './ndjson.ts';

/**
 * /api/metrics takes the page's data query (never its page state) and the metric sets the view
 * shows (`include=`). Progress over a long fan-out comes from
 * `stream=1`: the answer is NDJSON, `{"type":"progress","subWindowsDone":3,"subWindowsPlanned":8}`
 * lines while Jaeger is queried, then one `{"type":"result","data":…}` or `{"type":"error",…}` line
 * (a 400 for a bad query still comes before any streaming, as a plain error envelope).
 */

export interface MetricsProgress {
  readonly subWindowsDone: number;
  readonly subWindowsPlanned: number;
}

export interface FetchMetricsOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: MetricsProgress) => void) | undefined;
}

/** Only what changes the server's answer: sorting, the selected group or refresh never refetch. */
export function metricsRequestParams(query: DashboardQuery, include: readonly MetricName[]): string {
  return serializeQuery({ ...dataQueryOf(query), include });
}

export async function fetchMetrics<N extends MetricName>(
  query: DashboardQuery,
  include: readonly N[],
  options: FetchMetricsOptions = {},
): Promise<MetricsResponseWith<N>> {
  const params = metricsRequestParams(query, include);

  for await (const parsed of streamNdjson<MetricsStreamLine>('/api/metrics', params, options.signal)) {
    if (parsed.type === 'progress') options.onProgress?.({ subWindowsDone: parsed.subWindowsDone, subWindowsPlanned: parsed.subWindowsPlanned });
    else if (parsed.type === 'result') return withMetrics(parsed.data, include);
    else throw new ApiError(parsed.status, parsed.error);
  }
  throw new ApiError(502, { code: 'incomplete_response', message: 'The metrics answer ended before its result; try again.' });
}

/** An answer without a metric set it was asked for is not the answer to this request. */
function withMetrics<N extends MetricName>(data: MetricsResponse, include: readonly N[]): MetricsResponseWith<N> {
  const missing = include.filter((name) => !data.include.includes(name));
  if (missing.length > 0) {
    throw new ApiError(502, { code: 'incomplete_response', message: `The metrics answer lacks ${missing.join(', ')}; try again.` });
  }
  return data as MetricsResponseWith<N>;
}

export const metricsQueryOptions = <N extends MetricName>(
  query: DashboardQuery,
  include: readonly N[],
  onProgress?: (progress: MetricsProgress) => void,
) =>
  queryOptions({
    queryKey: ['metrics', metricsRequestParams(query, include)],
    queryFn: ({ signal }) => fetchMetrics(query, include, { signal, onProgress }),
    enabled: query.service !== undefined,
  });

/** What a metrics page needs of the hook (MetricsStates takes it). */
export type MetricsHookResult<R> = {
  readonly data: R | undefined;
  readonly isFetching: boolean;
  readonly progress: MetricsProgress | null;
  refetch(): Promise<unknown>;
} & ({ readonly isError: true; readonly error: Error } | { readonly isError: false; readonly error: null });

/**
 * Metrics for the page's query, with fan-out progress. Live mode (`refresh=` on a relative window)
 * refetches on that interval, paused while the tab is hidden; the previous answer stays on screen
 * while the next one loads so charts do not blank on every refresh.
 */
export function useMetrics<N extends MetricName>(query: DashboardQuery, include: readonly N[], options: { readonly enabled?: boolean } = {}) {
  const [progress, setProgress] = useState<MetricsProgress | null>(null);
  const refreshMs = REFRESH_MS[query.refresh];
  // A relative window only moves once per alignment step (lib/query/window.ts): refetching faster gets the same answer.
  const interval =
    query.window.kind === 'relative' && refreshMs !== false ? Math.max(refreshMs, relativeWindowStepMs(query.window.lookbackUs)) : false;
  // A new fetch starts from "no progress yet", not from the previous query's last count.
  const base = metricsQueryOptions(query, include, setProgress);
  const result = useQuery({
    ...base,
    queryFn: ({ signal }) => {
      setProgress(null);
      return fetchMetrics(query, include, { signal, onProgress: setProgress });
    },
    enabled: base.enabled && options.enabled !== false,
    refetchInterval: interval,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
  return { ...result, progress: result.isFetching ? progress : null };
}
