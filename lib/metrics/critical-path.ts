import type { Span, SpanReference } from '../jaeger/span.ts';

/**
 * jaeger-ui's per-trace critical path, rule for rule, as the UI bundled with Jaeger v2.13 computes it:
 * jaeger-ui v1.76.0 (commit 1ceadb6f), `packages/jaeger-ui/src/` — cited below as UI/. Written anew
 * over span indexes and without recursion (a deep trace must not exhaust the stack); the upstream
 * steps it reproduces:
 * - the trace as the UI holds it: spans with a start time only, a repeated span ID renamed so
 *   references reach its first copy (UI/model/transform-trace-data.tsx:75, 88-98);
 * - the tree: a span hangs under the target of its first reference, CHILD_OF or FOLLOWS_FROM, else at
 *   the top (UI/selectors/trace.tsx:36-44); spans on a reference cycle are never reached by the walk
 *   that lists the trace, so they are not in it (transform-trace-data.tsx:111);
 * - the path starts at the earliest top-level span (children and top level sorted by start, stable:
 *   selectors/trace.tsx:49-61; UI/components/TracePage/CriticalPath/index.tsx:78);
 * - FOLLOWS_FROM children are dropped with their descendants (CriticalPath/utils/getChildOfSpans.tsx);
 * - a child is dropped when it starts at or after its parent's end, or starts before its parent and
 *   ends at or before its parent's start; otherwise it is clipped to the parent, whose own clipped
 *   bounds count (CriticalPath/utils/sanitizeOverFlowingChildren.tsx:30-87);
 * - children are tried latest-ending first by their original end (transform-trace-data.tsx:126-133);
 *   coming back from a child, the parent takes the first child ending strictly before that child's
 *   start (CriticalPath/utils/findLastFinishingChildSpan.tsx:17-27);
 * - sections of zero length are left out (CriticalPath/index.tsx:47, 59).
 * Where upstream throws, its catch leaves the path empty (index.tsx:85-91): a root that itself has a
 * reference (sanitize deletes it, its parent being absent), or a listed FOLLOWS_FROM span whose target
 * is absent (getChildOfSpans.tsx:19-20).
 */

export interface CriticalPathSection {
  /** Position of the span in the trace's `spans`. */
  readonly spanIndex: number;
  readonly startUs: number;
  readonly endUs: number;
}

const NOT_LISTED = -2;
const TOP_LEVEL = -1;

/** The sections, latest first (the order jaeger-ui builds them in). */
export function traceCriticalPath(spans: readonly Span[]): CriticalPathSection[] {
  const n = spans.length;
  const firstById = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    if (span.startUs !== 0 && !firstById.has(span.spanId)) firstById.set(span.spanId, i);
  }
  const treeParent = new Int32Array(n).fill(NOT_LISTED);
  const children: number[][] = Array.from({ length: n }, () => []);
  const topLevel: number[] = [];
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    if (span.startUs === 0) continue;
    const first = span.references[0];
    const target = first === undefined ? TOP_LEVEL : (firstById.get(first.spanId) ?? TOP_LEVEL);
    treeParent[i] = target;
    if (target === TOP_LEVEL) topLevel.push(i);
    else (children[target] as number[]).push(i);
  }
  if (topLevel.length === 0) return [];

  // The spans the UI lists (reachable from the top level), checking the one upstream step that throws on them.
  const listed = new Uint8Array(n);
  const stack = [...topLevel];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (listed[i] === 1) continue;
    listed[i] = 1;
    const first = (spans[i] as Span).references[0];
    if (first?.refType === 'FOLLOWS_FROM' && treeParent[i] === TOP_LEVEL) return [];
    for (const child of children[i] as number[]) stack.push(child);
  }

  let root = topLevel[0] as number;
  for (const i of topLevel) if ((spans[i] as Span).startUs < (spans[root] as Span).startUs) root = i;
  if ((spans[root] as Span).references.length > 0) return [];

  const startOf = new Float64Array(n);
  const endOf = new Float64Array(n);
  const originalEnd = (i: number) => (spans[i] as Span).startUs + (spans[i] as Span).durationUs;
  startOf[root] = (spans[root] as Span).startUs;
  endOf[root] = originalEnd(root);
  const kept: number[][] = Array.from({ length: n }, () => []);
  const byStart = (a: number, b: number) => (spans[a] as Span).startUs - (spans[b] as Span).startUs || a - b;
  const order = [root];
  while (order.length > 0) {
    const parent = order.pop() as number;
    const [parentStart, parentEnd] = [startOf[parent] as number, endOf[parent] as number];
    const candidates = (children[parent] as number[]).slice().sort(byStart);
    candidates.sort((a, b) => originalEnd(b) - originalEnd(a)); // stable: equal ends keep start order
    for (const child of candidates) {
      const span = spans[child] as Span;
      if ((span.references[0] as SpanReference).refType === 'FOLLOWS_FROM') continue;
      const childEnd = originalEnd(child);
      const outside = span.startUs >= parentStart ? span.startUs >= parentEnd : childEnd <= parentStart;
      if (outside) continue;
      startOf[child] = Math.max(span.startUs, parentStart);
      endOf[child] = Math.min(childEnd, parentEnd);
      (kept[parent] as number[]).push(child);
      order.push(child);
    }
  }

  // Kept children's clipped ends never increase along `kept` (ends sorted descending, then capped at the
  // parent's end), and the time a parent is re-entered with only decreases: one cursor per span suffices.
  const cursor = new Int32Array(n);
  const sections: CriticalPathSection[] = [];
  const add = (spanIndex: number, startUs: number, endUs: number) => {
    if (startUs !== endUs) sections.push({ spanIndex, startUs, endUs });
  };
  let current = root;
  let returningFrom: number | null = null;
  for (;;) {
    const candidates = kept[current] as number[];
    let next = -1;
    if (returningFrom === null) {
      next = candidates[0] ?? -1;
    } else {
      let c = cursor[current] as number;
      while (c < candidates.length && (endOf[candidates[c] as number] as number) >= returningFrom) c++;
      cursor[current] = c;
      next = candidates[c] ?? -1;
    }
    const sectionEnd = returningFrom ?? (endOf[current] as number);
    if (next >= 0) {
      add(current, endOf[next] as number, sectionEnd);
      current = next;
      returningFrom = null;
      continue;
    }
    add(current, startOf[current] as number, sectionEnd);
    if (current === root) break;
    returningFrom = startOf[current] as number;
    current = treeParent[current] as number;
  }
  return sections;
}

/** The trace's length as jaeger-ui shows it: last end minus first start over the spans with a start (transform-trace-data.tsx:81-87). */
export function uiTraceDurationUs(spans: readonly Span[]): number {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const span of spans) {
    if (span.startUs === 0) continue;
    if (span.startUs < first) first = span.startUs;
    if (span.startUs + span.durationUs > last) last = span.startUs + span.durationUs;
  }
  return last > first ? last - first : 0;
}
