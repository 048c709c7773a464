import 'server-only';
import { redactUrlsInText } from '../http/redact-url.ts';
import { createJaegerClient, type JaegerClient, type JaegerClientConfig, type UpstreamMeter } from './client.ts';
import { JaegerError, JaegerTimeoutError } from './errors.ts';
import { processInflightBudget } from './inflight-budget.ts';
import type { Coverage, FailedSubWindow, SearchOptions, TraceSearch, TraceSource } from './source.ts';
import type { Trace } from './span.ts';
import { createSpanQueryMatcher } from './span-rules.ts';
import { defaultRequestBudget, firstRequest, keepFraction, planFollowUps, traceHash, type PlannerOptions } from './window-planner.ts';

export interface JaegerSourceConfig extends JaegerClientConfig {
  readonly planner?: PlannerOptions | undefined;
  /** Most sub-window requests one search may make, the first included; default 17 (1 + 16 follow-ups). */
  readonly maxRequestsPerSearch?: number | undefined;
  /**
   * Longest one search may take, every sub-window and retry included (JAEGER_QUERY_DEADLINE_MS). Past
   * it no new request is sent, those in flight are aborted, and what arrived is the answer, the
   * unfinished sub-windows listed as failed. Unset: only the per-request timeout bounds a search.
   */
  readonly queryDeadlineMs?: number | undefined;
  /**
   * The process-wide budget of Jaeger response bytes in flight (JAEGER_MAX_INFLIGHT_MB), shared by
   * every client in the process (inflight-budget.ts); unset leaves it as it is (512 MB by default).
   */
  readonly maxInflightBytes?: number | undefined;
}

/** The first request of a search (or the API probe before it) was still unanswered at the search's deadline. */
export class JaegerDeadlineError extends JaegerTimeoutError {
  constructor(baseUrl: string, deadlineMs: number, cause?: unknown) {
    super(baseUrl, deadlineMs, cause);
    this.message = redactUrlsInText(
      `Jaeger at ${baseUrl} did not answer the search within the ${seconds(deadlineMs)} s deadline (JAEGER_QUERY_DEADLINE_MS); ` +
        'try a shorter window or a lower limit.',
    );
  }
}

const seconds = (ms: number): string => String(Math.round(ms) / 1_000);

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
  if (config.maxInflightBytes !== undefined) processInflightBudget().setLimit(config.maxInflightBytes);
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
  const { signal: callerSignal, onProgress } = options;
  // The overall deadline: one timer for the whole search, so a slow Jaeger costs at most this long
  // however many sub-windows queue behind the concurrency limit. Every request below runs under it.
  const deadlineMs = config.queryDeadlineMs;
  const deadline = deadlineMs === undefined ? undefined : AbortSignal.timeout(deadlineMs);
  const signal = deadline === undefined ? callerSignal : callerSignal === undefined ? deadline : AbortSignal.any([callerSignal, deadline]);
  /** The deadline, not the caller, ended `error`'s request (anything but a JaegerError after it fired is its abort). */
  const cutByDeadline = (error: unknown): boolean => deadline?.aborted === true && callerSignal?.aborted !== true && !(error instanceof JaegerError);
  const meter: UpstreamMeter = { requests: 0 };
  let api: Awaited<ReturnType<JaegerClient['resolveApi']>>;
  try {
    api = await client.resolveApi({ signal, meter });
  } catch (error) {
    throw cutByDeadline(error) && deadlineMs !== undefined ? new JaegerDeadlineError(client.baseUrl, deadlineMs, error) : error;
  }
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
  // The first request is the whole window: if it fails, nothing answered, so its error is the answer
  // (past the deadline too: then the search as a whole timed out, a 504).
  let first: Awaited<ReturnType<JaegerClient['streamSearch']>>;
  try {
    first = await client.streamSearch({ ...search, ...whole }, onFirst, { signal, meter });
  } catch (error) {
    throw cutByDeadline(error) && deadlineMs !== undefined ? new JaegerDeadlineError(client.baseUrl, deadlineMs, error) : error;
  }
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
          if (callerSignal?.aborted) throw callerSignal.reason;
          // Past the deadline this sub-window's request was aborted, or never sent: what the others
          // brought is the answer, and this stretch is named as not seen.
          const reason = cutByDeadline(error)
            ? `not answered within the ${seconds(deadlineMs ?? 0)} s deadline (JAEGER_QUERY_DEADLINE_MS)`
            : error instanceof Error
              ? error.message
              : String(error);
          failed.push({ startUs: window.startUs, endUs: window.endUs, reason });
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
