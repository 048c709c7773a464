import type { Span } from '../jaeger/span.ts';
import { FloatList } from './float-list.ts';
import { nearestRank } from './percentiles.ts';
import type { TraceIndex } from './trace-index.ts';
import type { SelfTimeRow } from './types.ts';

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

export type SelfTimeState = readonly { readonly service: string; readonly operation: string; readonly values: Float64Array }[];

interface SelfTimeCell {
  readonly service: string;
  readonly operation: string;
  readonly values: FloatList;
}

/** Self time per service + operation of the counted spans; exact p95 keeps every value. */
export class SelfTimeAccumulator {
  readonly cells = new Map<string, SelfTimeCell>();
  /** service → operation → cell: the per-span lookup without building a key string. */
  private readonly byService = new Map<string, Map<string, SelfTimeCell>>();

  add(span: Span, selfUs: number): void {
    this.cellFor(span.service, span.operation).values.push(selfUs);
  }

  private cellFor(service: string, operation: string): SelfTimeCell {
    let operations = this.byService.get(service);
    if (operations === undefined) {
      operations = new Map();
      this.byService.set(service, operations);
    }
    let cell = operations.get(operation);
    if (cell === undefined) {
      cell = { service, operation, values: new FloatList() };
      operations.set(operation, cell);
      this.cells.set(`${service}\u0000${operation}`, cell);
    }
    return cell;
  }

  toState(): SelfTimeState {
    return [...this.cells.values()].map(({ service, operation, values }) => ({ service, operation, values: values.toFloat64Array() }));
  }

  static fromState(state: SelfTimeState): SelfTimeAccumulator {
    const acc = new SelfTimeAccumulator();
    for (const { service, operation, values } of state) acc.cellFor(service, operation).values.append(FloatList.from(values));
    return acc;
  }

  merge(other: SelfTimeAccumulator): void {
    for (const cell of other.cells.values()) this.cellFor(cell.service, cell.operation).values.append(cell.values);
  }

  /** Largest total self time first (where the time goes), ties by service then operation. */
  finish(): SelfTimeRow[] {
    return [...this.cells.values()]
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
        };
      })
      .sort((a, b) => b.totalSelfUs - a.totalSelfUs || cmp(a.service, b.service) || cmp(a.operation, b.operation));
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
