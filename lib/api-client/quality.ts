import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { QualityResponse } from '../http/api-types.ts';
import { serializeQuery, type QualityQuery } from '../query/index.ts';
import { requestJson } from './api-error.ts';

/** `/api/quality` with the page's query (window, optional service, limit, source). */
function fetchQuality(query: QualityQuery, signal?: AbortSignal): Promise<QualityResponse> {
  const params = serializeQuery(query);
  return requestJson(`/api/quality${params === '' ? '' : `?${params}`}`, { signal });
}

export const useQuality = (query: QualityQuery) =>
  useQuery(
    queryOptions({
      queryKey: ['quality', serializeQuery(query)],
      queryFn: ({ signal }) => fetchQuality(query, signal),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
  );
