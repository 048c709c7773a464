import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OverviewResponse, OverviewServiceRow, OverviewStreamLine } from '../http/api-types.ts';
import { REFRESH_MS, relativeWindowStepMs, serializeQuery, type DashboardQuery } from '../query/index.ts';
import { ApiError } from './api-error.ts';
import { streamNdjson } from './ndjson.ts';

/**
 * /api/overview (the services home) takes the page's source, window and `limit` only; it streams
 * (`stream=1`): the service list, a `service` line per service as its sample completes, then the
 * result. The hook shows the rows that have arrived while the rest are still being searched.
 */

/** What has arrived of a streaming answer. */
export interface OverviewProgress {
  readonly services: readonly string[] | null;
  readonly rows: readonly OverviewServiceRow[];
}

export function overviewRequestParams(query: DashboardQuery): string {
  return serializeQuery({ window: query.window, limit: query.limit, source: query.source, baseline: query.baseline });
}

export async function fetchOverview(
  query: DashboardQuery,
  options: { readonly signal?: AbortSignal | undefined; readonly onProgress?: ((progress: OverviewProgress) => void) | undefined } = {},
): Promise<OverviewResponse> {
  const params = overviewRequestParams(query);
  let services: readonly string[] | null = null;
  const rows: OverviewServiceRow[] = [];
  for await (const parsed of streamNdjson<OverviewStreamLine>('/api/overview', params, options.signal)) {
    if (parsed.type === 'services') services = parsed.services;
    else if (parsed.type === 'service') rows.push(parsed.row);
    else if (parsed.type === 'result') return parsed.data;
    else throw new ApiError(parsed.status, parsed.error);
    options.onProgress?.({ services, rows: [...rows] });
  }
  throw new ApiError(502, { code: 'incomplete_response', message: 'The overview answer ended before its result; try again.' });
}

export const overviewQueryOptions = (query: DashboardQuery, onProgress?: (progress: OverviewProgress) => void) =>
  queryOptions({
    queryKey: ['overview', overviewRequestParams(query)],
    queryFn: ({ signal }) => fetchOverview(query, { signal, onProgress }),
  });

/**
 * The services home's data, with the rows streamed so far. Live mode refetches like useMetrics (no
 * faster than the window's alignment step); the previous answer stays on screen meanwhile.
 */
export function useOverview(query: DashboardQuery) {
  const [progress, setProgress] = useState<OverviewProgress | null>(null);
  const refreshMs = REFRESH_MS[query.refresh];
  const interval =
    query.window.kind === 'relative' && refreshMs !== false ? Math.max(refreshMs, relativeWindowStepMs(query.window.lookbackUs)) : false;
  const result = useQuery({
    ...overviewQueryOptions(query, setProgress),
    queryFn: ({ signal }) => {
      setProgress(null);
      return fetchOverview(query, { signal, onProgress: setProgress });
    },
    refetchInterval: interval,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
  return { ...result, progress: result.isFetching ? progress : null };
}
