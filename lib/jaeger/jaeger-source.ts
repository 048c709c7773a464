import 'server-only';
import { createJaegerClient, type JaegerClient, type JaegerClientConfig, type UpstreamMeter } from './client.ts';
import type { Coverage, FailedSubWindow, SearchOptions, TraceSearch, TraceSource } from './source.ts';
import type { Trace } from './span.ts';
import { createSpanQueryMatcher } from './span-rules.ts';
import { defaultRequestBudget, firstRequest, keepFraction, planFollowUps, traceHash, type PlannerOptions } from './window-planner.ts';

export interface JaegerSourceConfig extends JaegerClientConfig {
  readonly planner?: PlannerOptions | undefined;
  /** Most sub-window requests one search may make, the first included; default 17 (1 + 16 follow-ups). */
  readonly maxRequestsPerSearch?: number | undefined;
}

export interface JaegerSource extends TraceSource {
  readonly kind: 'jaeger';
  readonly client: JaegerClient;
}

/**
 * A live Jaeger as a TraceSource. A search is one request for the whole window, then, only if that
 * came back full, follow-up sub-windows for the stretch it did not reach (window-planner.ts says why).
 * Every answer is streamed: its traces reach `onBatch` run by run while Jaeger's body arrives.
 */
export function createJaegerSource(config: JaegerSourceConfig, client: JaegerClient = createJaegerClient(config)): JaegerSource {
  return {
    kind: 'jaeger',
    client,
    listServices: (options) => client.listServices({ signal: options?.signal }),
    listOperations: (service, options) => client.listOperations(service, { signal: options?.signal }),
    getTrace: (traceId, options) => client.getTrace(traceId, { signal: options?.signal }),
    searchTraces: (search, onBatch, options) => searchInSubWindows(client, config, search, onBatch, options),
  };
}

async function searchInSubWindows(
  client: JaegerClient,
  config: JaegerSourceConfig,
  search: TraceSearch,
  onBatch: (traces: readonly Trace[]) => void,
  options: SearchOptions = {},
): Promise<Coverage> {
  const { signal, onProgress } = options;
  const meter: UpstreamMeter = { requests: 0 };
  const api = await client.resolveApi({ signal, meter });
  const budget = Math.max(1, config.maxRequestsPerSearch ?? defaultRequestBudget());
  const whole = firstRequest(search.startUs, search.endUs, search.limit);
  const matches = createSpanQueryMatcher(search);

  // A trace whose matching spans straddle a boundary comes back from both sides (§2.4), and a retried
  // answer repeats what the failed attempt streamed: keep the first copy.
  const seen = new Set<string>();
  let tracesFetched = 0;
  let spansReceived = 0;
  const emit = (traces: readonly Trace[]): void => {
    if (traces.length === 0) return;
    for (const trace of traces) spansReceived += trace.spans.length;
    tracesFetched += traces.length;
    onBatch(traces);
  };
  const fresh = (traces: readonly Trace[]): Trace[] => {
    const out: Trace[] = [];
    for (const trace of traces) {
      if (seen.has(trace.traceId)) continue;
      seen.add(trace.traceId);
      out.push(trace);
    }
    return out;
  };

  // The first answer is kept at rate f = (end − t0) / W if it turns out full, and whole if not. t0 only
  // falls as older traces arrive, so f only rises: a trace whose hash is below the f seen so far is kept
  // either way and goes on at once; the others wait for the end (about a quarter of the answer at most
  // on even traffic, so memory stays below the response).
  let oldestUs = Number.POSITIVE_INFINITY;
  let held: Array<{ trace: Trace; hash: number }> = [];
  let heldFlushedAt = 0;
  const onFirst = (traces: readonly Trace[]): void => {
    const batch = fresh(traces);
    for (const trace of batch) {
      for (const span of trace.spans) if (span.startUs < oldestUs && matches(span)) oldestUs = span.startUs;
    }
    const soFar = keepFraction(whole, oldestUs);
    const now: Trace[] = [];
    for (const trace of batch) {
      const hash = traceHash(trace.traceId);
      if (hash < soFar) now.push(trace);
      else held.push({ trace, hash });
    }
    if (soFar - heldFlushedAt >= 1 / 64) {
      heldFlushedAt = soFar;
      held = held.filter((entry) => (entry.hash < soFar ? (now.push(entry.trace), false) : true));
    }
    emit(now);
  };

  let subWindows = 1;
  let subWindowsAtLimit = 0;
  const failed: FailedSubWindow[] = [];
  onProgress?.({ subWindowsDone: 0, subWindowsPlanned: 1 });
  // The first request is the whole window: if it fails, nothing answered, so its error is the answer.
  const first = await client.streamSearch({ ...search, ...whole }, onFirst, { signal, meter });
  onProgress?.({ subWindowsDone: 1, subWindowsPlanned: 1 });
  if (!first.cutAtLimit) {
    emit(held.map((entry) => entry.trace));
  } else {
    subWindowsAtLimit += 1;
    const rate = keepFraction(whole, oldestUs);
    emit(held.filter((entry) => entry.hash < rate).map((entry) => entry.trace));
    held = [];
    const followUps = planFollowUps(whole, oldestUs, tracesFetched, budget - 1, config.planner);
    subWindows += followUps.length;
    let done = 1;
    await Promise.all(
      followUps.map(async (window) => {
        try {
          const answer = await client.streamSearch({ ...search, ...window }, (traces) => emit(fresh(traces)), { signal, meter });
          if (answer.cutAtLimit) subWindowsAtLimit += 1;
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          failed.push({ startUs: window.startUs, endUs: window.endUs, reason: error instanceof Error ? error.message : String(error) });
        }
        done += 1;
        onProgress?.({ subWindowsDone: done, subWindowsPlanned: subWindows });
      }),
    );
  }
  held = [];

  failed.sort((a, b) => a.startUs - b.startUs);
  return {
    api,
    tracesFetched,
    spansReceived,
    subWindows,
    subWindowsAtLimit,
    failedSubWindows: failed,
    upstreamRequests: meter.requests,
    complete: subWindowsAtLimit === 0 && failed.length === 0,
    partial: failed.length > 0,
  };
}
