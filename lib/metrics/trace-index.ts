import type { Span, Trace } from '../jaeger/span.ts';

/**
 * The parent/child structure of one trace, built once and shared by self time, dependencies and
 * trace quality. Spans are addressed by their index in `trace.spans`; -1 means "none".
 */
export interface TraceIndex {
  readonly spans: readonly Span[];
  /** First span holding each span ID (a duplicate ID resolves to its first copy). */
  readonly indexById: ReadonlyMap<string, number>;
  /** Parent by design §2 (`parentSpanId`: first CHILD_OF, else first reference) when it is in the trace. */
  readonly parent: Int32Array;
  /**
   * Children by jaeger-ui's rule (model/transform-trace-data.ts since jaeger-ui#4113): a span hangs
   * under the target of its first reference, in array order, that resolves to a span of this trace.
   */
  readonly uiChildren: readonly (readonly number[] | undefined)[];
}

export function indexTrace(trace: Trace): TraceIndex {
  const spans = trace.spans;
  const indexById = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const id = (spans[i] as Span).spanId;
    if (!indexById.has(id)) indexById.set(id, i);
  }
  const parent = new Int32Array(spans.length).fill(-1);
  const uiChildren: (number[] | undefined)[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (span.parentSpanId !== null) {
      const p = indexById.get(span.parentSpanId);
      // A span naming itself as parent is a reference cycle of length one, not a parent.
      if (p !== undefined && p !== i) parent[i] = p;
    }
    for (const ref of span.references) {
      const target = indexById.get(ref.spanId);
      if (target === undefined || target === i) continue;
      (uiChildren[target] ??= []).push(i);
      break;
    }
  }
  return { spans, indexById, parent, uiChildren };
}

/**
 * Depth of every span (a root is 1) following `parent`. Walks are iterative and a span met twice on
 * one walk marks a reference cycle: the cycle is cut there, so the walk ends for any input.
 * Returns the depths and how many spans sit on a cycle.
 */
export function spanDepths(index: TraceIndex): { depths: Int32Array; cyclicSpans: number } {
  const n = index.spans.length;
  const depths = new Int32Array(n); // 0 = not yet known
  const onPath = new Int32Array(n); // walk number that visited the span, to detect cycles
  let cyclicSpans = 0;
  const path: number[] = [];
  for (let start = 0; start < n; start++) {
    if (depths[start] !== 0) continue;
    path.length = 0;
    let current = start;
    let base = 0;
    for (;;) {
      if (depths[current] !== 0) {
        base = depths[current] as number;
        break;
      }
      if (onPath[current] === start + 1) {
        // Cycle: the spans from `current` onwards on this walk form it; treat `current` as a root.
        const cycleStart = path.indexOf(current);
        cyclicSpans += path.length - cycleStart;
        base = 0;
        path.length = cycleStart + 1;
        break;
      }
      onPath[current] = start + 1;
      path.push(current);
      const p = index.parent[current] as number;
      if (p < 0) break;
      current = p;
    }
    for (let i = path.length - 1; i >= 0; i--) depths[path[i] as number] = ++base;
  }
  return { depths, cyclicSpans };
}
