import type { Span } from '../jaeger/span.ts';
import { defineMetric, type MetricAccumulator, type SpanVisit } from './metric.ts';
import type { SlowSpan } from './types.ts';

const DEFAULT_SLOWEST_LIMIT = 50;

/**
 * Total order "a is slower than b": longer duration first; ties by trace then span ID, so the
 * kept set does not depend on the order spans arrive in or on how the input was split.
 */
function slower(a: SlowSpan, b: SlowSpan): boolean {
  if (a.durationUs !== b.durationUs) return a.durationUs > b.durationUs;
  if (a.traceId !== b.traceId) return a.traceId < b.traceId;
  return a.spanId < b.spanId;
}

/** A span as the slowest-spans lists show it (tags as strings). */
export function toSlowSpan(span: Span, error: boolean): SlowSpan {
  // Own properties (not assignment): a span tag named __proto__ is kept like any other.
  const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, String(tag.value)]));
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    service: span.service,
    operation: span.operation,
    startUs: span.startUs,
    durationUs: span.durationUs,
    error,
    tags,
  };
}

/** Top-K by duration in a bounded min-heap: O(log K) per kept span, O(1) for the rest. */
class SlowestAccumulator implements MetricAccumulator<readonly SlowSpan[], { readonly slowest: readonly SlowSpan[] }> {
  /** heap[0] is the fastest kept span, the first to be evicted. */
  private readonly heap: SlowSpan[] = [];

  readonly limit: number;

  constructor(limit: number, state: readonly SlowSpan[] = []) {
    this.limit = limit;
    for (const span of state) this.add(span);
  }

  addSpan({ span, error }: SpanVisit): void {
    // The SlowSpan (a tags record) is built only for spans that get in.
    if (this.wouldKeep(span.durationUs)) this.add(toSlowSpan(span, error));
  }

  private wouldKeep(durationUs: number): boolean {
    if (this.limit <= 0) return false;
    const fastest = this.heap[0];
    return this.heap.length < this.limit || fastest === undefined || durationUs >= fastest.durationUs;
  }

  private add(span: SlowSpan): void {
    if (this.limit <= 0) return;
    if (this.heap.length < this.limit) {
      this.heap.push(span);
      this.siftUp(this.heap.length - 1);
    } else if (this.heap[0] !== undefined && slower(span, this.heap[0])) {
      this.heap[0] = span;
      this.siftDown(0);
    }
  }

  merge(other: SlowestAccumulator): void {
    for (const span of other.heap) this.add(span);
  }

  toState(): readonly SlowSpan[] {
    return [...this.heap];
  }

  /** Slowest first. */
  finish(): { readonly slowest: readonly SlowSpan[] } {
    return { slowest: [...this.heap].sort((a, b) => (slower(a, b) ? -1 : slower(b, a) ? 1 : 0)) };
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!slower(heap[parent] as SlowSpan, heap[i] as SlowSpan)) break;
      [heap[parent], heap[i]] = [heap[i] as SlowSpan, heap[parent] as SlowSpan];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let fastest = i;
      if (left < heap.length && slower(heap[fastest] as SlowSpan, heap[left] as SlowSpan)) fastest = left;
      if (right < heap.length && slower(heap[fastest] as SlowSpan, heap[right] as SlowSpan)) fastest = right;
      if (fastest === i) return;
      [heap[fastest], heap[i]] = [heap[i] as SlowSpan, heap[fastest] as SlowSpan];
      i = fastest;
    }
  }
}

export const slowestMetric = defineMetric({
  definition: `The slowest counted spans (${DEFAULT_SLOWEST_LIMIT} unless asked otherwise), longest first, ties by trace then span ID.`,
  create: (context, state?: readonly SlowSpan[]) => new SlowestAccumulator(context.options.slowestLimit ?? DEFAULT_SLOWEST_LIMIT, state),
  buffers: () => [],
});
