import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OperationsResponse } from '../http/api-types.ts';
import { apiUrl, requestJson } from './api-error.ts';

export interface OperationsParams {
  readonly service: string | undefined;
  readonly source?: string | undefined;
}

export function fetchOperations(params: OperationsParams, signal?: AbortSignal): Promise<OperationsResponse> {
  return requestJson(apiUrl('/api/operations', { service: params.service, source: params.source }), { signal });
}

export const operationsQueryOptions = (params: OperationsParams) =>
  queryOptions({
    queryKey: ['operations', params.service ?? null, params.source ?? null],
    queryFn: ({ signal }) => fetchOperations(params, signal),
    enabled: params.service !== undefined,
    staleTime: 60_000,
  });

/** Idle until a service is chosen. */
export const useOperations = (params: OperationsParams) => useQuery(operationsQueryOptions(params));
