import { queryOptions, useQuery } from '@tanstack/react-query';
import type { HealthResponse } from '../http/api-types.ts';
import { apiUrl, requestJson } from './api-error.ts';

export function fetchHealth(params: { readonly source?: string | undefined }, signal?: AbortSignal): Promise<HealthResponse> {
  return requestJson(apiUrl('/api/health', { source: params.source }), { signal });
}

export const healthQueryOptions = (params: { readonly source?: string | undefined }) =>
  queryOptions({
    queryKey: ['health', params.source ?? null],
    queryFn: ({ signal }) => fetchHealth(params, signal),
    staleTime: 30_000,
  });

export const useHealth = (params: { readonly source?: string | undefined } = {}) => useQuery(healthQueryOptions(params));
