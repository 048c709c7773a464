import type { SearchProgress } from '../jaeger/source.ts';
import { RequestCoalescer } from '../jaeger/coalesce.ts';
import type { MetricsResponse } from '../http/api-types.ts';
import { serializeQuery, type MetricsQuery } from '../query/dashboard-query.ts';
import { resolveWindow } from '../query/window.ts';
import { computeMetrics, type MetricsRequestContext } from './metrics-service.ts';
import type { ResolvedSource } from './sources.ts';

const coalescer = new RequestCoalescer();
const progressListeners = new Map<string, Set<(progress: SearchProgress) => void>>();

/**
 * computeMetrics for a request, shared by every identical request in flight: N viewers of the same
 * view (same query, same resolved window, same ceiling) cost one upstream plan and one aggregation
 * (design §8). Streamed answers are not cached or coalesced below this (their traces are aggregated
 * and dropped), so this is where sharing happens. Each caller gets the progress of the shared run
 * from the moment it joins; one caller leaving does not cancel the others (RequestCoalescer).
 */
export function computeSharedMetrics(query: MetricsQuery, resolved: ResolvedSource, context: MetricsRequestContext): Promise<MetricsResponse> {
  const window = resolveWindow(query, context.nowMs);
  const key = JSON.stringify([resolved.info.mode, resolved.info.label, serializeQuery(query), window.startUs, window.endUs, context.maxTraces]);
  let listeners = progressListeners.get(key);
  if (listeners === undefined) {
    listeners = new Set();
    progressListeners.set(key, listeners);
  }
  const own = context.onProgress;
  if (own !== undefined) listeners.add(own);
  const shared = listeners;
  const broadcast = (progress: SearchProgress): void => {
    for (const listener of shared) listener(progress);
  };
  const run = coalescer.run(
    key,
    (signal) =>
      computeMetrics(query, resolved, { ...context, signal, onProgress: broadcast }).finally(() => {
        if (progressListeners.get(key) === shared) progressListeners.delete(key);
      }),
    context.signal,
  );
  return own === undefined ? run : run.finally(() => shared.delete(own));
}
