import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ServicesResponse } from '../http/api-types.ts';
import { apiUrl, requestJson } from './api-error.ts';

export interface ServicesParams {
  /** `upload:ID`, or unset for the configured source. */
  readonly source?: string | undefined;
}

export function fetchServices(params: ServicesParams, signal?: AbortSignal): Promise<ServicesResponse> {
  return requestJson(apiUrl('/api/services', { source: params.source }), { signal });
}

export const servicesQueryOptions = (params: ServicesParams) =>
  queryOptions({
    queryKey: ['services', params.source ?? null],
    queryFn: ({ signal }) => fetchServices(params, signal),
    staleTime: 60_000,
  });

export const useServices = (params: ServicesParams) => useQuery(servicesQueryOptions(params));
