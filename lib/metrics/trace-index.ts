import type { Span, SpanReference, Trace } from '../jaeger/span.ts';

/**
 * The parent/child structure of one trace, built once and shared by self time, dependencies and
 * trace quality. Spans are addressed by their index in `trace.spans`; -1 means "none".
 */
export interface TraceIndex {
  readonly spans: readonly Span[];
  /** Index of the first span holding the ID (a duplicate ID resolves to its first copy), or -1. */
  readonly firstIndexOf: (spanId: string) => number;
  /** Parent by design §2 (`parentSpanId`: first CHILD_OF, else first reference) when it is in the trace. */
  readonly parent: Int32Array;
  /**
   * Children by jaeger-ui's rule (model/transform-trace-data.ts since jaeger-ui#4113): a span hangs
   * under the target of its first reference, in array order, that resolves to a span of this trace.
   */
  readonly uiChildren: readonly (readonly number[] | undefined)[];
}

/** Below this many spans a linear scan beats building a Map (most traces are small). */
const LINEAR_LOOKUP_MAX = 24;

function idLookup(spans: readonly Span[]): (spanId: string) => number {
  if (spans.length <= LINEAR_LOOKUP_MAX) {
    return (spanId) => {
      for (let i = 0; i < spans.length; i++) if ((spans[i] as Span).spanId === spanId) return i;
      return -1;
    };
  }
  const indexById = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const id = (spans[i] as Span).spanId;
    if (!indexById.has(id)) indexById.set(id, i);
  }
  return (spanId) => indexById.get(spanId) ?? -1;
}

export function indexTrace(trace: Trace): TraceIndex {
  const spans = trace.spans;
  const firstIndexOf = idLookup(spans);
  const parent = new Int32Array(spans.length).fill(-1);
  const uiChildren: (number[] | undefined)[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    const refs = span.references;
    if (refs.length === 0) continue;
    let resolvedParent = -2; // -2: parentSpanId not looked up yet
    for (let r = 0; r < refs.length; r++) {
      const refId = (refs[r] as SpanReference).spanId;
      const target = firstIndexOf(refId);
      if (refId === span.parentSpanId) resolvedParent = target;
      if (target < 0 || target === i) continue;
      (uiChildren[target] ??= []).push(i);
      break;
    }
    if (span.parentSpanId !== null) {
      const p = resolvedParent === -2 ? firstIndexOf(span.parentSpanId) : resolvedParent;
      // A span naming itself as parent is a reference cycle of length one, not a parent.
      if (p >= 0 && p !== i) parent[i] = p;
    }
  }
  return { spans, firstIndexOf, parent, uiChildren };
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
