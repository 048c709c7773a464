import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { SpmResponse } from '../http/api-types.ts';
import { serializeQuery, type DashboardQuery } from '../query/index.ts';
import { requestJson } from './api-error.ts';

/** `/api/spm` takes the page's service (none on the services home), window and source. */
const spmRequestParams = (query: DashboardQuery): string => serializeQuery({ service: query.service, window: query.window, source: query.source });

function fetchSpm(query: DashboardQuery, signal?: AbortSignal): Promise<SpmResponse> {
  const params = spmRequestParams(query);
  return requestJson(`/api/spm${params === '' ? '' : `?${params}`}`, { signal });
}

/** SPM's numbers for the page; refetched with the page's own live refresh through its query key (the window). */
export const useSpm = (query: DashboardQuery) =>
  useQuery(
    queryOptions({
      queryKey: ['spm', spmRequestParams(query)],
      queryFn: ({ signal }) => fetchSpm(query, signal),
      placeholderData: keepPreviousData,
      staleTime: 15_000,
    }),
  );
