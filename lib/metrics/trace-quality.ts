import type { Span } from '../jaeger/span.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import { spanDepths } from './trace-index.ts';
import type { TraceQuality } from './types.ts';

/** Jaeger's own clock-skew adjuster warnings (adjuster/clockskew.go) and the legacy "adjusted by" one. */
const CLOCK_SKEW_WARNING = /clock skew|timestamps were adjusted/i;

interface TraceQualityState {
  readonly counts: Readonly<Record<TraceQualityCounter, number>>;
  readonly spansPerTrace: Float64Array;
  readonly depths: Float64Array;
}

type TraceQualityCounter = 'traces' | 'tracesWithoutRoot' | 'orphanSpans' | 'duplicateSpanIds' | 'clockSkewWarnings' | 'warnings' | 'cyclicSpans';

const COUNTERS: readonly TraceQualityCounter[] = [
  'traces',
  'tracesWithoutRoot',
  'orphanSpans',
  'duplicateSpanIds',
  'clockSkewWarnings',
  'warnings',
  'cyclicSpans',
];

class TraceQualityAccumulator implements MetricAccumulator<TraceQualityState, { readonly traceQuality: TraceQuality }> {
  traces = 0;
  tracesWithoutRoot = 0;
  orphanSpans = 0;
  duplicateSpanIds = 0;
  clockSkewWarnings = 0;
  warnings = 0;
  cyclicSpans = 0;
  spansPerTrace = new FloatList();
  depths = new FloatList();

  toState(): TraceQualityState {
    const counts = Object.fromEntries(COUNTERS.map((name) => [name, this[name]])) as Record<TraceQualityCounter, number>;
    return { counts, spansPerTrace: this.spansPerTrace.toFloat64Array(), depths: this.depths.toFloat64Array() };
  }

  constructor(state?: TraceQualityState) {
    if (state === undefined) return;
    for (const name of COUNTERS) this[name] = state.counts[name];
    this.spansPerTrace = FloatList.from(state.spansPerTrace);
    this.depths = FloatList.from(state.depths);
  }

  /**
   * Root: a span with no parent reference. Orphan: a span whose parent ID is not in the trace (also
   * when the reference names another trace). Duplicates: copies beyond the first of a span ID.
   * Clock skew: spans carrying a Jaeger clock-skew warning, plus children that start before their
   * parent (impossible on one clock). Depth: spans on the longest parent chain; cycles are cut.
   */
  addTrace({ trace, index }: TraceVisit): void {
    this.traces++;
    this.warnings += trace.warnings.length;
    let roots = 0;
    for (let i = 0; i < trace.spans.length; i++) {
      const span = trace.spans[i] as Span;
      this.warnings += span.warnings.length;
      if (span.parentSpanId === null) roots++;
      else if (index.firstIndexOf(span.parentSpanId) < 0) this.orphanSpans++;
      if (index.firstIndexOf(span.spanId) !== i) this.duplicateSpanIds++;
      const p = index.parent[i] as number;
      const startsBeforeParent = p >= 0 && span.startUs < (index.spans[p] as Span).startUs;
      if (startsBeforeParent || span.warnings.some((w) => CLOCK_SKEW_WARNING.test(w))) this.clockSkewWarnings++;
    }
    if (roots === 0) this.tracesWithoutRoot++;
    this.spansPerTrace.push(trace.spans.length);
    const { depths, cyclicSpans } = spanDepths(index);
    this.cyclicSpans += cyclicSpans;
    let maxDepth = 0;
    for (const d of depths) maxDepth = Math.max(maxDepth, d);
    this.depths.push(maxDepth);
  }

  merge(other: TraceQualityAccumulator): void {
    for (const name of COUNTERS) this[name] += other[name];
    this.spansPerTrace.append(other.spansPerTrace);
    this.depths.append(other.depths);
  }

  finish(): { readonly traceQuality: TraceQuality } {
    const traceQuality: TraceQuality = {
      traces: this.traces,
      tracesWithoutRoot: this.tracesWithoutRoot,
      orphanSpans: this.orphanSpans,
      duplicateSpanIds: this.duplicateSpanIds,
      spansPerTrace: summary(this.spansPerTrace),
      depth: summary(this.depths),
      clockSkewWarnings: this.clockSkewWarnings,
      warnings: this.warnings,
      spansOnReferenceCycles: this.cyclicSpans,
    };
    return { traceQuality };
  }
}

export const traceQualityMetric = defineMetric({
  definition:
    'Over every fetched trace: traces without a root, orphan spans (parent not in the trace), duplicate span IDs, spans per trace, ' +
    'depth, clock-skew warnings (Jaeger adjuster warnings and children that start before their parent) and all span warnings.',
  create: (_context, state?: TraceQualityState) => new TraceQualityAccumulator(state),
  buffers: (state) => [state.spansPerTrace.buffer, state.depths.buffer],
});

function summary(values: FloatList): { p50: number; p95: number; max: number } {
  if (values.length === 0) return { p50: 0, p95: 0, max: 0 };
  const sorted = values.sorted();
  return { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), max: sorted[sorted.length - 1] as number };
}
