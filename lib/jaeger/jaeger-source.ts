import 'server-only';
import { createJaegerClient, type JaegerClient, type JaegerClientConfig, type UpstreamMeter } from './client.ts';
import type { Coverage, FailedSubWindow, SearchOptions, TraceSearch, TraceSource } from './source.ts';
import type { Trace } from './span.ts';
import { defaultRequestBudget, planSubWindows, refineFullSubWindows, type PlannerOptions, type SubWindow } from './window-planner.ts';

export interface JaegerSourceConfig extends JaegerClientConfig {
  readonly planner?: PlannerOptions | undefined;
  /** Most sub-window requests one search may make; default: four times the first round. */
  readonly maxRequestsPerSearch?: number | undefined;
}

export interface JaegerSource extends TraceSource {
  readonly kind: 'jaeger';
  readonly client: JaegerClient;
}

/**
 * A live Jaeger as a TraceSource. A search runs the window planner's rounds (see window-planner.ts for
 * why the window is split): each round's sub-windows go out together (the client bounds concurrency),
 * complete answers stream to `onBatch` as they land, full ones wait for the end of the round to learn
 * whether they are split again (their answer is then replaced by the halves') or kept as a sample.
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

  let round = planSubWindows(search.startUs, search.endUs, search.limit, config.planner);
  const budget = config.maxRequestsPerSearch ?? defaultRequestBudget(round.length);
  let requested = 0;
  let planned = round.length;
  let done = 0;
  let spareTraces = 0;

  // A trace whose matching spans straddle a boundary comes back from both sides (§2.4): keep the first.
  const seen = new Set<string>();
  let tracesFetched = 0;
  let spansReceived = 0;
  let subWindows = 0;
  let subWindowsAtLimit = 0;
  const failed: FailedSubWindow[] = [];
  let firstFailure: unknown = null;

  const emit = (traces: readonly Trace[]): void => {
    const fresh = traces.filter((trace) => !seen.has(trace.traceId));
    if (fresh.length === 0) return;
    for (const trace of fresh) {
      seen.add(trace.traceId);
      spansReceived += trace.spans.length;
    }
    tracesFetched += fresh.length;
    onBatch(fresh);
  };

  while (round.length > 0) {
    requested += round.length;
    const full: Array<{ window: SubWindow; traces: readonly Trace[] }> = [];
    await Promise.all(
      round.map(async (window) => {
        try {
          const { traces, cutAtLimit, receivedTraces } = await client.searchTraces(
            { ...search, startUs: window.startUs, endUs: window.endUs, limit: window.limit },
            { signal, meter },
          );
          if (cutAtLimit) {
            full.push({ window, traces });
          } else {
            spareTraces += window.limit - receivedTraces;
            subWindows += 1;
            emit(traces);
          }
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          firstFailure ??= error;
          subWindows += 1;
          failed.push({ startUs: window.startUs, endUs: window.endUs, reason: error instanceof Error ? error.message : String(error) });
        }
        done += 1;
        onProgress?.({ subWindowsDone: done, subWindowsPlanned: planned });
      }),
    );

    // Answers land in any order; sort so the next round's plan does not depend on network timing.
    full.sort((a, b) => a.window.startUs - b.window.startUs);
    const refinement = refineFullSubWindows(
      full.map(({ window }) => window),
      spareTraces,
      budget - requested,
      config.planner,
    );
    spareTraces -= refinement.spareUsed;
    const kept = new Set(refinement.kept);
    for (const { window, traces } of full) {
      if (!kept.has(window)) continue;
      subWindows += 1;
      subWindowsAtLimit += 1;
      emit(traces);
    }
    round = refinement.children;
    planned += round.length;
  }

  // Nothing at all came back: that is Jaeger failing, not a partial result, so say why.
  if (failed.length === subWindows && firstFailure !== null) throw firstFailure;

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
