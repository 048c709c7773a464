import { LRUCache } from 'lru-cache';
import type { SearchProgress } from '../jaeger/source.ts';
import { RequestCoalescer } from '../jaeger/coalesce.ts';
import type { MetricsResponse } from '../http/api-types.ts';
import { serializeQuery, type MetricsQuery, type SerializableQuery } from '../query/dashboard-query.ts';
import { relativeWindowStepMs, resolveWindow, type ResolvedWindow } from '../query/window.ts';
import { computeMetrics, type MetricsRequestContext } from './metrics-service.ts';
import type { ResolvedSource } from './sources.ts';

export interface SharedMetricsContext extends MetricsRequestContext {
  /**
   * How long a finished answer may be reused (the route passes JAEGER_CACHE_TTL_MS, the bound an
   * operator sets on reusing Jaeger answers; 0 or absent: never, only in-flight runs are shared).
   * It is further capped at the window's alignment step.
   */
  readonly resultCacheTtlMs?: number | undefined;
}

const coalescer = new RequestCoalescer();
const progressListeners = new Map<string, Set<(progress: SearchProgress) => void>>();

/**
 * The last finished answer per key, for viewers who arrive just after a shared run ends: within one
 * alignment step they ask for the very same window (lib/query/window.ts), so the answer they would
 * compute is this one, give or take spans Jaeger ingests meanwhile. An entry lives one step at most
 * — after that no relative view resolves to its window any more — and never longer than the
 * operator's JAEGER_CACHE_TTL_MS. Bounded by count and by serialised size, the oldest going first.
 */
const finished = new LRUCache<string, MetricsResponse>({
  max: 64,
  maxSize: 64 * 1_048_576,
  // The wall clock, read on every check (tests move it with fake timers).
  perf: { now: () => Date.now() },
  ttlResolution: 0,
});

/**
 * Requests with one key get one shared answer: same source, canonical query, resolved window and trace
 * ceiling, plus whatever else changes the answer (`extra`, e.g. the price file).
 */
export function sharedRequestKey(
  resolved: ResolvedSource,
  query: SerializableQuery,
  window: ResolvedWindow,
  maxTraces: number,
  ...extra: readonly (string | null)[]
): string {
  return JSON.stringify([resolved.info.mode, resolved.info.label, serializeQuery(query), window.startUs, window.endUs, maxTraces, ...extra]);
}

/** The reuse time of a finished answer for this window: its alignment step, capped by the operator's TTL. */
function finishedTtlMs(query: MetricsQuery, window: { startUs: number; endUs: number }, ttlMs: number): number {
  // An absolute window is treated like a relative one of its length (a pinned link: same window for all).
  const lengthUs = query.window.kind === 'relative' ? query.window.lookbackUs : window.endUs - window.startUs;
  return Math.min(relativeWindowStepMs(lengthUs), ttlMs);
}

/**
 * computeMetrics for a request, shared by every identical request in flight: N viewers of the same
 * view (same query, same resolved window, same ceiling) cost one upstream plan and one aggregation
 * (design §8). Relative windows end on an alignment step (resolveWindow), so viewers of one default
 * view share too, and those arriving just after a run ends get its answer from `finished`. Streamed
 * answers are not cached or coalesced below this (their traces are aggregated and dropped), so this
 * is where sharing happens. Each caller gets the progress of the shared run from the moment it joins
 * (a kept answer, its final progress); one caller leaving does not cancel the others (RequestCoalescer).
 */
export function computeSharedMetrics(query: MetricsQuery, resolved: ResolvedSource, context: SharedMetricsContext): Promise<MetricsResponse> {
  const { resultCacheTtlMs = 0, ...metricsContext } = context;
  const window = resolveWindow(query, metricsContext.nowMs);
  const key = sharedRequestKey(resolved, query, window, metricsContext.maxTraces);
  const ttlMs = finishedTtlMs(query, window, resultCacheTtlMs);
  // lru-cache keeps an entry until its age exceeds the TTL; it is reused only while younger than that.
  if (ttlMs > 0 && finished.getRemainingTTL(key) > 0) {
    const answer = finished.get(key);
    if (answer !== undefined) {
      // A late joiner hears where the shared run ended: all its sub-windows done.
      const { subWindows } = answer.coverage;
      metricsContext.onProgress?.({ subWindowsDone: subWindows, subWindowsPlanned: subWindows });
      return Promise.resolve(answer);
    }
  }

  let listeners = progressListeners.get(key);
  if (listeners === undefined) {
    listeners = new Set();
    progressListeners.set(key, listeners);
  }
  const own = metricsContext.onProgress;
  if (own !== undefined) listeners.add(own);
  const shared = listeners;
  const broadcast = (progress: SearchProgress): void => {
    for (const listener of shared) listener(progress);
  };
  const run = coalescer.run(
    key,
    (signal) =>
      computeMetrics(query, resolved, { ...metricsContext, signal, onProgress: broadcast })
        .then((answer) => {
          // Kept before the run leaves the coalescer, so no arrival falls between the two. An answer
          // with failed sub-windows is not kept: the next viewer should try those again.
          if (ttlMs > 0 && !answer.coverage.partial) finished.set(key, answer, { ttl: ttlMs, size: JSON.stringify(answer).length });
          return answer;
        })
        .finally(() => {
          if (progressListeners.get(key) === shared) progressListeners.delete(key);
        }),
    metricsContext.signal,
  );
  return own === undefined ? run : run.finally(() => shared.delete(own));
}
