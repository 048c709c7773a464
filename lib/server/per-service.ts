import type { Coverage } from '../jaeger/source.ts';

/**
 * Services searched at once when one answer covers every service (the services home, the service map,
 * `spanlens report` without --service): each search is itself split into sub-windows and bounded by
 * JAEGER_MAX_CONCURRENCY, so this only keeps a 50-service fan-out from queueing all at once.
 */
export const SERVICE_CONCURRENCY = 4;

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

/** Coverage over several searches (one per service): counts add up, complete only when each is. */
export function sumCoverage(coverages: readonly Coverage[], emptyApi: Coverage['api']): Coverage {
  return {
    api: coverages[0]?.api ?? emptyApi,
    tracesFetched: coverages.reduce((n, c) => n + c.tracesFetched, 0),
    spansReceived: coverages.reduce((n, c) => n + c.spansReceived, 0),
    subWindows: coverages.reduce((n, c) => n + c.subWindows, 0),
    subWindowsAtLimit: coverages.reduce((n, c) => n + c.subWindowsAtLimit, 0),
    failedSubWindows: coverages.flatMap((c) => c.failedSubWindows),
    upstreamRequests: coverages.reduce((n, c) => n + c.upstreamRequests, 0),
    complete: coverages.every((c) => c.complete),
    partial: coverages.some((c) => c.partial),
  };
}
