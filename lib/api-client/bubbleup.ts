import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BubbleUpResponse } from '../http/bubbleup-types.ts';
import { dataQueryOf, serializeQuery, type DashboardQuery } from '../query/index.ts';
import { requestJson } from './api-error.ts';

/** `/api/bubbleup` takes the page's data query (its groupBy is ignored: every tag key is compared) and the cohort. */
function bubbleUpParams(query: DashboardQuery, cohort: string): string {
  const params = new URLSearchParams(serializeQuery(dataQueryOf(query)));
  params.delete('groupBy');
  params.append('cohort', cohort);
  return params.toString();
}

/** Idle until a cohort is chosen. */
export const useBubbleUp = (query: DashboardQuery, cohort: string | null) =>
  useQuery(
    queryOptions({
      queryKey: ['bubbleup', cohort === null ? null : bubbleUpParams(query, cohort)],
      queryFn: ({ signal }) => requestJson<BubbleUpResponse>(`/api/bubbleup?${bubbleUpParams(query, cohort ?? '')}`, { signal }),
      enabled: cohort !== null && query.service !== undefined,
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
  );
