import type { Span } from '../jaeger/span.ts';
import type { SlowSpan } from './types.ts';

export const DEFAULT_SLOWEST_LIMIT = 50;

/**
 * Total order "a is slower than b": longer duration first; ties by trace then span ID, so the
 * kept set does not depend on the order spans arrive in or on how the input was split.
 */
function slower(a: SlowSpan, b: SlowSpan): boolean {
  if (a.durationUs !== b.durationUs) return a.durationUs > b.durationUs;
  if (a.traceId !== b.traceId) return a.traceId < b.traceId;
  return a.spanId < b.spanId;
}

export function toSlowSpan(span: Span, error: boolean): SlowSpan {
  const tags: Record<string, string> = {};
  for (const tag of span.tags) tags[tag.key] = String(tag.value);
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
export class SlowestAccumulator {
  /** heap[0] is the fastest kept span, the first to be evicted. */
  private readonly heap: SlowSpan[] = [];

  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Cheap pre-check so callers build the SlowSpan (tags record) only for spans that get in. */
  wouldKeep(durationUs: number): boolean {
    if (this.limit <= 0) return false;
    const fastest = this.heap[0];
    return this.heap.length < this.limit || fastest === undefined || durationUs >= fastest.durationUs;
  }

  add(span: SlowSpan): void {
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

  entries(): readonly SlowSpan[] {
    return this.heap;
  }

  /** Slowest first. */
  finish(): SlowSpan[] {
    return [...this.heap].sort((a, b) => (slower(a, b) ? -1 : slower(b, a) ? 1 : 0));
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
