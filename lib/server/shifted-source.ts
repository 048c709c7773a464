import type { Coverage, SearchOptions, TraceSearch, TraceSource } from '../jaeger/source.ts';
import type { Span, Trace } from '../jaeger/span.ts';

/**
 * A source whose traces look recent: every answer is moved `offsetUs()` later, and a search window
 * is moved back by the same amount before it reaches the inner source. The demo data set thus always
 * ends about now, however long the server has been running, without copying the whole set.
 */
export function createShiftedSource(inner: TraceSource, offsetUs: () => number): TraceSource {
  return {
    kind: inner.kind,
    listServices: (options) => inner.listServices(options),
    listOperations: (service, options) => inner.listOperations(service, options),
    async searchTraces(search: TraceSearch, onBatch: (traces: readonly Trace[]) => void, options?: SearchOptions): Promise<Coverage> {
      const offset = offsetUs();
      const shifted = { ...search, startUs: search.startUs - offset, endUs: search.endUs - offset };
      return inner.searchTraces(shifted, (traces) => onBatch(traces.map((trace) => shiftTrace(trace, offset))), options);
    },
    async getTrace(traceId, options) {
      const trace = await inner.getTrace(traceId, options);
      return trace === null ? null : shiftTrace(trace, offsetUs());
    },
  };
}

function shiftSpan(span: Span, offset: number): Span {
  return {
    ...span,
    startUs: span.startUs + offset,
    logs: span.logs.map((log) => ({ ...log, timestampUs: log.timestampUs + offset })),
  };
}

export function shiftTrace(trace: Trace, offset: number): Trace {
  return { ...trace, spans: trace.spans.map((span) => shiftSpan(span, offset)) };
}

/** End of the newest span in µs, or null for no spans. */
export function latestSpanEndUs(traces: readonly Trace[]): number | null {
  let latest: number | null = null;
  for (const trace of traces) {
    for (const span of trace.spans) {
      const end = span.startUs + span.durationUs;
      if (latest === null || end > latest) latest = end;
    }
  }
  return latest;
}
