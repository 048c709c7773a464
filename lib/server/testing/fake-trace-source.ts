/**
 * An in-memory TraceSource for the exporter's unit tests, with Jaeger's search rules that matter to the
 * tail: a trace comes back whole when one of its spans of the service starts inside the inclusive start
 * bounds; only spans that have "arrived" (arrivalMs ≤ the clock) are visible; more matching traces than
 * the limit → the newest `limit` and `subWindowsAtLimit: 1`; minDurationUs is per span, as in Jaeger. Searches can be made to fail.
 */
import { singleSearchCoverage, type Coverage, type TraceSearch, type TraceSource } from '../../jaeger/source.ts';
import type { Span, Trace } from '../../jaeger/span.ts';

interface Stored {
  readonly span: Span;
  readonly arrivalMs: number;
}

export class FakeTraceSource implements TraceSource {
  readonly kind = 'jaeger' as const;
  private readonly stored: Stored[] = [];
  readonly searches: TraceSearch[] = [];
  /** Searches still to fail, from the next one. */
  failNext = 0;

  private readonly clockMs: () => number;

  constructor(clockMs: () => number) {
    this.clockMs = clockMs;
  }

  /** Spans become visible at arrivalMs (default: now). */
  add(spans: readonly Span[], arrivalMs = this.clockMs()): void {
    for (const span of spans) this.stored.push({ span, arrivalMs });
  }

  private visible(): Span[] {
    const now = this.clockMs();
    return this.stored.filter((entry) => entry.arrivalMs <= now).map((entry) => entry.span);
  }

  listServices(): Promise<string[]> {
    return Promise.resolve([...new Set(this.visible().map((span) => span.service))].sort());
  }

  listOperations(): Promise<never[]> {
    return Promise.resolve([]);
  }

  getTrace(): Promise<Trace | null> {
    return Promise.resolve(null);
  }

  searchTraces(search: TraceSearch, onBatch: (traces: readonly Trace[]) => void): Promise<Coverage> {
    this.searches.push(search);
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(new Error('Jaeger at http://fake answered 503'));
    }
    const spans = this.visible();
    const matching = new Map<string, number>();
    for (const span of spans) {
      if (span.service !== search.service || span.startUs < search.startUs || span.startUs > search.endUs) continue;
      if (search.minDurationUs !== undefined && span.durationUs < search.minDurationUs) continue;
      matching.set(span.traceId, Math.max(matching.get(span.traceId) ?? 0, span.startUs));
    }
    const kept = [...matching].sort((a, b) => b[1] - a[1]).slice(0, search.limit);
    const traces: Trace[] = kept.map(([traceId]) => ({ traceId, spans: spans.filter((span) => span.traceId === traceId), warnings: [] }));
    onBatch(traces);
    const spansReceived = traces.reduce((sum, trace) => sum + trace.spans.length, 0);
    return Promise.resolve(
      singleSearchCoverage({ api: 'v3', tracesFetched: traces.length, spansReceived, atLimit: matching.size > search.limit, upstreamRequests: 1 }),
    );
  }
}
