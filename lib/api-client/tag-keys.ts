import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TagKeysResponse } from '../http/api-types.ts';
import { apiUrl, requestJson } from './api-error.ts';

export interface TagKeysParams {
  readonly service: string | undefined;
  readonly source?: string | undefined;
}

export function fetchTagKeys(params: TagKeysParams, signal?: AbortSignal): Promise<TagKeysResponse> {
  return requestJson(apiUrl('/api/tag-keys', { service: params.service, source: params.source }), { signal });
}

export const tagKeysQueryOptions = (params: TagKeysParams) =>
  queryOptions({
    queryKey: ['tag-keys', params.service ?? null, params.source ?? null],
    queryFn: ({ signal }) => fetchTagKeys(params, signal),
    enabled: params.service !== undefined,
    staleTime: 60_000,
  });

/** Idle until a service is chosen. */
export const useTagKeys = (params: TagKeysParams) => useQuery(tagKeysQueryOptions(params));
