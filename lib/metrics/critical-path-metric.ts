import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import { traceCriticalPath, uiTraceDurationUs } from './critical-path.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type MetricContext, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import { createSpanMatcher } from './span-match.ts';
import { spanDepths } from './trace-index.ts';
import { nestedValue } from './nested-map.ts';

export interface CriticalPathRow {
  readonly service: string;
  readonly operation: string;
  /** Traces in which spans of the operation hold some of the critical path. */
  readonly traces: number;
  /** Spans of the operation holding some of it, over all those traces. */
  readonly spans: number;
  readonly totalCriticalUs: number;
  /** Mean over every counted trace of (the operation's critical µs ÷ the trace's duration); 0 where absent. */
  readonly averageShare: number;
}

export interface SlowFastRow {
  readonly service: string;
  readonly operation: string;
  /** Critical-path µs per trace, averaged over every trace of the cohort (0 where the operation is absent). */
  readonly slowMeanUs: number;
  readonly fastMeanUs: number;
  readonly growthUs: number;
  /** Traces of each cohort the operation is on the critical path of. */
  readonly slowTraces: number;
  readonly fastTraces: number;
}

export interface SlowVsFast {
  readonly entryP50Us: number;
  readonly entryP90Us: number;
  /** Traces whose entry span lasted more than entryP90Us / less than entryP50Us. */
  readonly slowTraces: number;
  readonly fastTraces: number;
  /** Largest growth first; empty while either cohort is. */
  readonly operations: readonly SlowFastRow[];
}

export interface CriticalPathSummary {
  /** Traces holding at least one span the query counts: the traces every number here is over. */
  readonly traces: number;
  /** Of those, traces jaeger-ui gives no critical path (their earliest top-level span is an orphan, …). */
  readonly tracesWithoutPath: number;
  readonly operations: readonly CriticalPathRow[];
  /** null without traces. */
  readonly slowVsFast: SlowVsFast | null;
}

interface OperationName {
  readonly service: string;
  readonly operation: string;
}

/**
 * Per trace: its duration, its entry span's duration and `entryCounts[t]` entries (operation id,
 * critical µs, spans). The cohorts need every entry duration before they split, so the per-trace
 * entries are kept until finish(): one entry per operation on a trace's path, at most one per span read.
 */
interface CriticalPathState {
  readonly operations: readonly OperationName[];
  readonly traceDurationsUs: Float64Array;
  readonly entryDurationsUs: Float64Array;
  readonly entryCounts: Float64Array;
  readonly entryOperations: Float64Array;
  readonly entryCriticalUs: Float64Array;
  readonly entrySpans: Float64Array;
}

/** Summed in ascending order, so the float result is the same however the traces were split and merged. */
function sortedSum(values: number[]): number {
  let sum = 0;
  for (const value of values.sort((a, b) => a - b)) sum += value;
  return sum;
}

const SLOW_QUANTILE = 0.9;
const FAST_QUANTILE = 0.5;

class CriticalPathAccumulator implements MetricAccumulator<CriticalPathState, { readonly criticalPath: CriticalPathSummary }> {
  private readonly matches: (span: Span) => boolean;
  private readonly operations: OperationName[] = [];
  private readonly operationIds = new Map<string, Map<string, number>>();
  private readonly traceDurationsUs = new FloatList();
  private readonly entryDurationsUs = new FloatList();
  private readonly entryCounts = new FloatList();
  private readonly entryOperations = new FloatList();
  private readonly entryCriticalUs = new FloatList();
  private readonly entrySpans = new FloatList();

  constructor(context: MetricContext, state?: CriticalPathState) {
    this.matches = createSpanMatcher(context.options);
    if (state !== undefined) this.append(state);
  }

  private operationId(service: string, operation: string): number {
    return nestedValue(this.operationIds, service, operation, () => this.operations.push({ service, operation }) - 1);
  }

  /** A trace counts when it holds a counted span; its entry is the root-most counted span (least depth, then earliest). */
  addTrace({ trace, index }: TraceVisit): void {
    const spans = trace.spans;
    const counted: number[] = [];
    for (let i = 0; i < spans.length; i++) if (this.matches(spans[i] as Span)) counted.push(i);
    if (counted.length === 0) return;
    let entry = counted[0] as number;
    if (counted.length > 1) {
      const { depths } = spanDepths(index);
      for (const i of counted) {
        const [d, e] = [depths[i] as number, depths[entry] as number];
        if (d < e || (d === e && (spans[i] as Span).startUs < (spans[entry] as Span).startUs)) entry = i;
      }
    }

    const perOperation = new Map<number, { criticalUs: number; spans: number }>();
    const seen = new Uint8Array(spans.length);
    for (const section of traceCriticalPath(spans)) {
      const span = spans[section.spanIndex] as Span;
      const id = this.operationId(span.service, span.operation);
      let cell = perOperation.get(id);
      if (cell === undefined) {
        cell = { criticalUs: 0, spans: 0 };
        perOperation.set(id, cell);
      }
      cell.criticalUs += section.endUs - section.startUs;
      if (seen[section.spanIndex] === 0) {
        seen[section.spanIndex] = 1;
        cell.spans++;
      }
    }
    this.traceDurationsUs.push(uiTraceDurationUs(spans));
    this.entryDurationsUs.push((spans[entry] as Span).durationUs);
    this.entryCounts.push(perOperation.size);
    for (const [id, cell] of perOperation) {
      this.entryOperations.push(id);
      this.entryCriticalUs.push(cell.criticalUs);
      this.entrySpans.push(cell.spans);
    }
  }

  private append(state: CriticalPathState): void {
    const remap = state.operations.map(({ service, operation }) => this.operationId(service, operation));
    this.traceDurationsUs.append(FloatList.from(state.traceDurationsUs));
    this.entryDurationsUs.append(FloatList.from(state.entryDurationsUs));
    this.entryCounts.append(FloatList.from(state.entryCounts));
    for (const id of state.entryOperations) this.entryOperations.push(remap[id] as number);
    this.entryCriticalUs.append(FloatList.from(state.entryCriticalUs));
    this.entrySpans.append(FloatList.from(state.entrySpans));
  }

  merge(other: CriticalPathAccumulator): void {
    this.append(other.toState());
  }

  toState(): CriticalPathState {
    return {
      operations: this.operations.slice(),
      traceDurationsUs: this.traceDurationsUs.toFloat64Array(),
      entryDurationsUs: this.entryDurationsUs.toFloat64Array(),
      entryCounts: this.entryCounts.toFloat64Array(),
      entryOperations: this.entryOperations.toFloat64Array(),
      entryCriticalUs: this.entryCriticalUs.toFloat64Array(),
      entrySpans: this.entrySpans.toFloat64Array(),
    };
  }

  finish(): { readonly criticalPath: CriticalPathSummary } {
    const traces = this.traceDurationsUs.length;
    const durations = this.traceDurationsUs.view();
    const entries = this.entryDurationsUs.view();
    const counts = this.entryCounts.view();
    const [ops, criticalUs, spanCounts] = [this.entryOperations.view(), this.entryCriticalUs.view(), this.entrySpans.view()];

    const sorted = this.entryDurationsUs.sorted();
    const p50 = traces > 0 ? nearestRank(sorted, FAST_QUANTILE) : 0;
    const p90 = traces > 0 ? nearestRank(sorted, SLOW_QUANTILE) : 0;
    const rows = this.operations.map(() => ({
      traces: 0,
      spans: 0,
      totalCriticalUs: 0,
      shares: [] as number[],
      slowUs: 0,
      fastUs: 0,
      slowTraces: 0,
      fastTraces: 0,
    }));
    let [slowTraces, fastTraces, tracesWithoutPath] = [0, 0, 0];
    let e = 0;
    for (let t = 0; t < traces; t++) {
      const n = counts[t] as number;
      const duration = durations[t] as number;
      const entry = entries[t] as number;
      const slow = entry > p90;
      const fast = entry < p50;
      if (slow) slowTraces++;
      if (fast) fastTraces++;
      if (n === 0) tracesWithoutPath++;
      for (const end = e + n; e < end; e++) {
        const row = rows[ops[e] as number] as (typeof rows)[number];
        const us = criticalUs[e] as number;
        row.traces++;
        row.spans += spanCounts[e] as number;
        row.totalCriticalUs += us;
        if (duration > 0) row.shares.push(us / duration);
        if (slow) {
          row.slowUs += us;
          row.slowTraces++;
        }
        if (fast) {
          row.fastUs += us;
          row.fastTraces++;
        }
      }
    }

    const byName = (a: OperationName, b: OperationName) => compareCodeUnits(a.service, b.service) || compareCodeUnits(a.operation, b.operation);
    const operations = rows
      .map((row, id) => ({
        ...(this.operations[id] as OperationName),
        traces: row.traces,
        spans: row.spans,
        totalCriticalUs: row.totalCriticalUs,
        averageShare: sortedSum(row.shares) / traces,
      }))
      .sort((a, b) => b.totalCriticalUs - a.totalCriticalUs || byName(a, b));
    const compared =
      slowTraces > 0 && fastTraces > 0
        ? rows
            .map((row, id) => ({ row, name: this.operations[id] as OperationName }))
            .filter(({ row }) => row.slowTraces > 0 || row.fastTraces > 0)
            .map(({ row, name }) => {
              const slowMean = row.slowUs / slowTraces;
              const fastMean = row.fastUs / fastTraces;
              return {
                ...name,
                slowMeanUs: Math.round(slowMean),
                fastMeanUs: Math.round(fastMean),
                growthUs: Math.round(slowMean - fastMean),
                slowTraces: row.slowTraces,
                fastTraces: row.fastTraces,
              };
            })
            .sort((a, b) => b.growthUs - a.growthUs || byName(a, b))
        : [];
    return {
      criticalPath: {
        traces,
        tracesWithoutPath,
        operations,
        slowVsFast: traces > 0 ? { entryP50Us: p50, entryP90Us: p90, slowTraces, fastTraces, operations: compared } : null,
      },
    };
  }
}

export const criticalPathMetric = defineMetric({
  definition:
    "Over the traces holding a counted span: jaeger-ui's critical path of each trace (v1.76.0 rules: FOLLOWS_FROM children dropped, " +
    'children clipped to their parent or dropped when wholly outside it, walked back from the last-finishing child), summed per service ' +
    'and operation, with the mean share of trace duration. Slow vs fast: traces whose entry span (the root-most counted span) lasts more ' +
    "than the entry p90 against those under the p50, each operation's critical-path µs per trace in both.",
  create: (context, state?: CriticalPathState) => new CriticalPathAccumulator(context, state),
  buffers: (state) => [
    state.traceDurationsUs.buffer,
    state.entryDurationsUs.buffer,
    state.entryCounts.buffer,
    state.entryOperations.buffer,
    state.entryCriticalUs.buffer,
    state.entrySpans.buffer,
  ],
});
