import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { LlmResponse } from '../http/api-types.ts';
import { REFRESH_MS, relativeWindowStepMs, serializeQuery, type DashboardQuery } from '../query/index.ts';
import { requestJson } from './api-error.ts';

/** What /api/llm reads of the page's query: the window, service, span filters, groupBy, limit and source. */
export function llmRequestParams(query: DashboardQuery): string {
  const { service, operation, tags, window, minDurationUs, maxDurationUs, clientErrors, groupBy, limit, source } = query;
  return serializeQuery({ service, operation, tags, window, minDurationUs, maxDurationUs, clientErrors, groupBy, limit, source });
}

function fetchLlm(query: DashboardQuery, signal?: AbortSignal): Promise<LlmResponse> {
  const params = llmRequestParams(query);
  return requestJson(`/api/llm${params === '' ? '' : `?${params}`}`, { signal });
}

/** LLM usage for the page's query; live mode refetches like the metrics pages (never faster than the window moves). */
export function useLlm(query: DashboardQuery) {
  const refreshMs = REFRESH_MS[query.refresh];
  const interval =
    query.window.kind === 'relative' && refreshMs !== false ? Math.max(refreshMs, relativeWindowStepMs(query.window.lookbackUs)) : false;
  return useQuery(
    queryOptions({
      queryKey: ['llm', llmRequestParams(query)],
      queryFn: ({ signal }) => fetchLlm(query, signal),
      placeholderData: keepPreviousData,
      refetchInterval: interval,
      refetchIntervalInBackground: false,
    }),
  );
}
