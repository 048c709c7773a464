import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import { uiTraceDurationUs } from './critical-path.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type SpanVisit, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import type { TraceIndex } from './trace-index.ts';
import type { SelfTimeRow } from './types.ts';
import { nestedValue } from './nested-map.ts';

/**
 * Self time = duration minus the union of its direct children's intervals, each clipped to the span,
 * floored at 0. Written as jaeger-ui's sweep (utils/compute-span-self-time.ts): children by start,
 * skip those starting after the span ends or ending before the covered prefix, stop once the span's
 * end is covered — so the value equals Jaeger's Trace Statistics for the same span.
 */
export function spanSelfTimeUs(index: TraceIndex, spanIndex: number): number {
  const span = index.spans[spanIndex] as Span;
  const childIndexes = index.uiChildren[spanIndex];
  if (childIndexes === undefined) return span.durationUs;
  const children = childIndexes.map((i) => index.spans[i] as Span).sort((a, b) => a.startUs - b.startUs);
  const spanEnd = span.startUs + span.durationUs;
  let self = span.durationUs;
  let coveredUntil = span.startUs;
  for (const child of children) {
    const childEnd = child.startUs + child.durationUs;
    if (child.startUs > spanEnd || childEnd < coveredUntil) continue;
    const clippedEnd = Math.min(spanEnd, childEnd);
    self -= clippedEnd - Math.max(coveredUntil, child.startUs);
    if (clippedEnd === spanEnd) break;
    coveredUntil = childEnd;
  }
  return Math.max(0, self);
}

interface SelfTimeState {
  readonly cells: readonly { readonly service: string; readonly operation: string; readonly values: Float64Array }[];
  /** Summed duration of the traces holding a counted span: the denominator of every row's share. */
  readonly tracedUs: number;
}

interface SelfTimeShareRow extends SelfTimeRow {
  /**
   * Total self time ÷ the summed duration of the traces holding a counted span (duration as jaeger-ui
   * shows it). For one trace this is Trace Statistics' "% of trace" column (tableValues.tsx selfTotal · 100 / trace.duration).
   */
  readonly shareOfTraceTime: number;
}

interface SelfTimeCell {
  readonly service: string;
  readonly operation: string;
  readonly values: FloatList;
}

/** Self time per service + operation of the counted spans; exact p95 keeps every value. */
class SelfTimeAccumulator implements MetricAccumulator<SelfTimeState, { readonly selfTime: readonly SelfTimeShareRow[] }> {
  readonly cells = new Map<string, SelfTimeCell>();
  /** service → operation → cell: the per-span lookup without building a key string. */
  private readonly byService = new Map<string, Map<string, SelfTimeCell>>();
  tracedUs = 0;
  /** The trace whose duration was last added: a trace's counted spans arrive together. */
  private lastTrace: TraceVisit | null = null;

  constructor(state: SelfTimeState = { cells: [], tracedUs: 0 }) {
    for (const { service, operation, values } of state.cells) this.cellFor(service, operation).values.append(FloatList.from(values));
    this.tracedUs = state.tracedUs;
  }

  addSpan({ span, spanIndex, trace }: SpanVisit): void {
    if (trace !== this.lastTrace) {
      this.lastTrace = trace;
      this.tracedUs += uiTraceDurationUs(trace.trace.spans);
    }
    this.cellFor(span.service, span.operation).values.push(spanSelfTimeUs(trace.index, spanIndex));
  }

  private cellFor(service: string, operation: string): SelfTimeCell {
    return nestedValue(this.byService, service, operation, () => {
      const cell = { service, operation, values: new FloatList() };
      this.cells.set(`${service}\u0000${operation}`, cell);
      return cell;
    });
  }

  toState(): SelfTimeState {
    const cells = [...this.cells.values()].map(({ service, operation, values }) => ({ service, operation, values: values.toFloat64Array() }));
    return { cells, tracedUs: this.tracedUs };
  }

  merge(other: SelfTimeAccumulator): void {
    for (const cell of other.cells.values()) this.cellFor(cell.service, cell.operation).values.append(cell.values);
    this.tracedUs += other.tracedUs;
  }

  /** Largest total self time first (where the time goes), ties by service then operation. */
  finish(): { readonly selfTime: readonly SelfTimeShareRow[] } {
    const selfTime = [...this.cells.values()]
      .map(({ service, operation, values }) => {
        const sorted = values.sorted();
        let total = 0;
        for (const v of sorted) total += v;
        return {
          service,
          operation,
          count: sorted.length,
          totalSelfUs: total,
          meanSelfUs: Math.round(total / sorted.length),
          p95SelfUs: nearestRank(sorted, 0.95),
          shareOfTraceTime: this.tracedUs > 0 ? total / this.tracedUs : 0,
        };
      })
      .sort((a, b) => b.totalSelfUs - a.totalSelfUs || compareCodeUnits(a.service, b.service) || compareCodeUnits(a.operation, b.operation));
    return { selfTime };
  }
}

export const selfTimeMetric = defineMetric({
  definition:
    "Per service and operation of the counted spans: total, mean and exact p95 self time, where a span's self time is its duration " +
    "minus the union of its direct children's intervals, clipped to it, floored at 0 (jaeger-ui's Trace Statistics rule); " +
    'share = total self time ÷ the summed duration of the traces holding a counted span.',
  create: (_context, state?: SelfTimeState) => new SelfTimeAccumulator(state),
  buffers: (state) => state.cells.map((cell) => cell.values.buffer),
});
