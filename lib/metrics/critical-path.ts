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
 * reference (sanitize deletes it, its parent being absent), or a FOLLOWS_FROM span whose target is
 * absent — such a span sits at the top level, so the UI lists it (getChildOfSpans.tsx:19-20).
 */

export interface CriticalPathSection {
  /** Position of the span in the trace's `spans`. */
  readonly spanIndex: number;
  readonly startUs: number;
  readonly endUs: number;
}

const TOP_LEVEL = -1;
const NOT_IN_TRACE = -2;
/** Below this many spans a linear scan finds an ID faster than building a Map (most traces are small). */
const LINEAR_LOOKUP_MAX = 24;

/** Index of the first span with a start time holding the ID, or TOP_LEVEL. */
function idLookup(spans: readonly Span[]): (spanId: string) => number {
  if (spans.length <= LINEAR_LOOKUP_MAX) {
    return (spanId) => {
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i] as Span;
        if (span.spanId === spanId && span.startUs !== 0) return i;
      }
      return TOP_LEVEL;
    };
  }
  const firstById = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    if (span.startUs !== 0 && !firstById.has(span.spanId)) firstById.set(span.spanId, i);
  }
  return (spanId) => firstById.get(spanId) ?? TOP_LEVEL;
}

/**
 * Scratch arrays shared by every call (JavaScript runs one call at a time): most traces are a few spans,
 * and allocating eight typed arrays per trace cost more than the walk itself.
 */
let intScratch = new Int32Array(1024);
let floatScratch = new Float64Array(512);

function scratch(n: number) {
  if (intScratch.length < 4 * n + 1) intScratch = new Int32Array(2 * (4 * n + 1));
  if (floatScratch.length < 2 * n) floatScratch = new Float64Array(4 * n);
  const ints = intScratch;
  return {
    treeParent: ints.subarray(0, n),
    /** Children per span, then reused as the next free slot while filling `children`, then as the walk's cursor. */
    perSpan: ints.subarray(n, 2 * n).fill(0),
    offsets: ints.subarray(2 * n, 3 * n + 1),
    children: ints.subarray(3 * n + 1, 4 * n + 1),
    /** Clipped [start, end] of the spans kept under the root; −1 for a span not kept. */
    clipped: floatScratch.subarray(0, 2 * n).fill(-1),
  };
}

/** The sections, latest first (the order jaeger-ui builds them in). */
export function traceCriticalPath(spans: readonly Span[]): CriticalPathSection[] {
  const n = spans.length;
  const indexOf = idLookup(spans);
  const { treeParent, perSpan, offsets, children, clipped } = scratch(n);
  let root = -1;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    if (span.startUs === 0) {
      treeParent[i] = NOT_IN_TRACE;
      continue;
    }
    const first = span.references[0];
    const target = first === undefined ? TOP_LEVEL : indexOf(first.spanId);
    treeParent[i] = target;
    if (target !== TOP_LEVEL) {
      perSpan[target] = (perSpan[target] as number) + 1;
      continue;
    }
    // A top-level FOLLOWS_FROM span points at no span: upstream's getChildOfSpans throws on it.
    if (first?.refType === 'FOLLOWS_FROM') return [];
    if (root < 0 || span.startUs < (spans[root] as Span).startUs) root = i;
  }
  if (root < 0 || (spans[root] as Span).references.length > 0) return [];

  // Children of span p, in order: children[offsets[p] .. offsets[p + 1]).
  offsets[0] = 0;
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] as number) + (perSpan[i] as number);
  perSpan.set(offsets.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const parent = treeParent[i] as number;
    if (parent >= 0) children[(perSpan[parent] as number)++] = i;
  }
  const startOf = (i: number) => (spans[i] as Span).startUs;
  const endOf = (i: number) => (spans[i] as Span).startUs + (spans[i] as Span).durationUs;
  // Latest original end first; equal ends by start, then array order (both upstream sorts are stable).
  const before = (a: number, b: number) => endOf(b) - endOf(a) || startOf(a) - startOf(b) || a - b;

  const kept = (i: number) => (clipped[2 * i] as number) >= 0;
  clipped[2 * root] = startOf(root);
  clipped[2 * root + 1] = endOf(root);
  const pending = [root];
  while (pending.length > 0) {
    const parent = pending.pop() as number;
    const [from, to] = [offsets[parent] as number, offsets[parent + 1] as number];
    if (to - from > 1) children.subarray(from, to).sort(before);
    const parentStart = clipped[2 * parent] as number;
    const parentEnd = clipped[2 * parent + 1] as number;
    for (let j = from; j < to; j++) {
      const child = children[j] as number;
      if (((spans[child] as Span).references[0] as SpanReference).refType === 'FOLLOWS_FROM') continue;
      const [childStart, childEnd] = [startOf(child), endOf(child)];
      const outside = childStart >= parentStart ? childStart >= parentEnd : childEnd <= parentStart;
      if (outside) continue;
      clipped[2 * child] = Math.max(childStart, parentStart);
      clipped[2 * child + 1] = Math.min(childEnd, parentEnd);
      pending.push(child);
    }
  }

  // Kept children's clipped ends never increase along a span's sorted children (original ends descending,
  // then capped at the parent's end), and the time a span is re-entered with only decreases: so one
  // cursor per span, moving forward only, finds each next child.
  const cursor = perSpan;
  cursor.set(offsets.subarray(0, n));
  const sections: CriticalPathSection[] = [];
  const add = (spanIndex: number, startUs: number, endUs: number) => {
    if (startUs !== endUs) sections.push({ spanIndex, startUs, endUs });
  };
  let current = root;
  let returningFrom: number | null = null;
  for (;;) {
    const to = offsets[current + 1] as number;
    let j = returningFrom === null ? (offsets[current] as number) : (cursor[current] as number);
    while (
      j < to &&
      (!kept(children[j] as number) || (returningFrom !== null && (clipped[2 * (children[j] as number) + 1] as number) >= returningFrom))
    )
      j++;
    if (returningFrom !== null) cursor[current] = j;
    const sectionEnd = returningFrom ?? (clipped[2 * current + 1] as number);
    if (j < to) {
      const next = children[j] as number;
      add(current, clipped[2 * next + 1] as number, sectionEnd);
      current = next;
      returningFrom = null;
      continue;
    }
    add(current, clipped[2 * current] as number, sectionEnd);
    if (current === root) break;
    returningFrom = clipped[2 * current] as number;
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
