import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { DependenciesResponse } from '../http/api-types.ts';
import { serializeDependenciesQuery, type DependenciesQuery } from '../query/index.ts';
import { requestJson } from './api-error.ts';

/** `/api/dependencies` with the map's query (window, focus service, level, source). */
function fetchDependencies(query: DependenciesQuery, signal?: AbortSignal): Promise<DependenciesResponse> {
  const params = serializeDependenciesQuery(query);
  return requestJson(`/api/dependencies${params === '' ? '' : `?${params}`}`, { signal });
}

export const useDependencies = (query: DependenciesQuery) =>
  useQuery(
    queryOptions({
      queryKey: ['dependencies', serializeDependenciesQuery(query)],
      queryFn: ({ signal }) => fetchDependencies(query, signal),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
  );
