import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error.ts';

/**
 * One place for react-query defaults, because every answer here is an aggregation over up to
 * thousands of Jaeger traces:
 * - staleTime 10 s matches the server's upstream cache (JAEGER_CACHE_TTL_MS): refetching sooner only
 *   returns the cached answer again;
 * - no refetch on window focus: switching tabs must not fire a heavy fan-out; live mode refreshes
 *   explicitly through `refresh=` (useMetrics);
 * - retry once, and only for a 502/503 (Jaeger briefly unreachable). A 400 will not fix itself and a
 *   504 already waited the whole timeout; the page shows those with a retry button instead.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => failureCount < 1 && error instanceof ApiError && (error.status === 502 || error.status === 503),
      },
      mutations: { retry: false },
    },
  });
}
