import { describe, expect, it } from 'vitest';
import type { Span, SpanReference } from '../jaeger/span.ts';
import { aSpan } from '../testing/span-builder.ts';
import { traceCriticalPath, uiTraceDurationUs } from './critical-path.ts';

type Ref = readonly [SpanReference['refType'], string];

function span(spanId: string, startUs: number, durationUs: number, ...refs: Ref[]): Span {
  let builder = aSpan().withSpanId(spanId).withStart(startUs).withDuration(durationUs);
  for (const [type, target] of refs) builder = builder.withReference(type, target);
  return builder.build();
}

/** Sections as jaeger-ui's tests write them: { spanId, section_start, section_end }. */
function path(spans: readonly Span[]) {
  return traceCriticalPath(spans).map((s) => ({ spanId: (spans[s.spanIndex] as Span).spanId, section_start: s.startUs, section_end: s.endUs }));
}

const C = (spanId: string, section_start: number, section_end: number) => ({ spanId, section_start, section_end });

// jaeger-ui v1.76.0 packages/jaeger-ui/src/components/TracePage/CriticalPath/testCases/test1.js … test9.js:
// the same spans in the same array order, and the expected sections those files state (drawn by hand there).
describe('jaeger-ui critical path test cases (v1.76.0 CriticalPath/testCases)', () => {
  it('test1: two children, walks back from the last finishing one', () => {
    const spans = [span('span-E', 50, 10, ['CHILD_OF', 'span-C']), span('span-C', 1, 100), span('span-D', 20, 20, ['CHILD_OF', 'span-C'])];
    expect(path(spans)).toEqual([C('span-C', 60, 101), C('span-E', 50, 60), C('span-C', 40, 50), C('span-D', 20, 40), C('span-C', 1, 20)]);
  });

  it('test2: an overlapped child that ends first is off the path', () => {
    const spans = [span('span-X', 1, 100), span('span-A', 10, 40, ['CHILD_OF', 'span-X']), span('span-C', 20, 40, ['CHILD_OF', 'span-X'])];
    expect(path(spans)).toEqual([C('span-X', 60, 101), C('span-C', 20, 60), C('span-X', 1, 20)]);
  });

  it('test3: a child starting after its parent ended is dropped (TraceStatistics trace, producer → async task)', () => {
    const spans = [
      span('006c3cf93508f205', 100, 40),
      aSpan().withSpanId('2dc4b796e2127e32').withStart(200).withDuration(300).childOf('006c3cf93508f205').build(),
    ];
    expect(path(spans)).toEqual([C('006c3cf93508f205', 100, 140)]);
  });

  it('test4: a dropped child takes its descendants with it', () => {
    const spans = [span('span-A', 1, 30), span('span-B', 40, 40, ['CHILD_OF', 'span-A']), span('span-c', 50, 10, ['CHILD_OF', 'span-B'])];
    expect(path(spans)).toEqual([C('span-A', 1, 31)]);
  });

  it('test5: a FOLLOWS_FROM child and its CHILD_OF descendant are dropped', () => {
    const spans = [span('span-A', 1, 30), span('span-B', 10, 10, ['FOLLOWS_FROM', 'span-A']), span('span-C', 12, 2, ['CHILD_OF', 'span-B'])];
    expect(path(spans)).toEqual([C('span-A', 1, 31)]);
  });

  it('test6: a child overflowing its parent at the end, a grandchild at the start of the clipped child', () => {
    const spans = [span('span-A', 1, 29), span('span-B', 15, 20, ['CHILD_OF', 'span-A']), span('span-C', 10, 15, ['CHILD_OF', 'span-B'])];
    expect(path(spans)).toEqual([C('span-B', 25, 30), C('span-C', 15, 25), C('span-A', 1, 15)]);
  });

  it('test7: a grandchild clipped to its clipped parent', () => {
    const spans = [span('span-A', 1, 29), span('span-B', 15, 20, ['CHILD_OF', 'span-A']), span('span-C', 20, 20, ['CHILD_OF', 'span-B'])];
    expect(path(spans)).toEqual([C('span-C', 20, 30), C('span-B', 15, 20), C('span-A', 1, 15)]);
  });

  it('test8: a child covering its whole parent is clipped to it', () => {
    const spans = [span('span-A', 10, 20), span('span-B', 5, 30, ['CHILD_OF', 'span-A'])];
    expect(path(spans)).toEqual([C('span-B', 10, 30)]);
  });

  it('test9: a child ending before its parent starts is dropped', () => {
    const spans = [span('span-A', 10, 20), span('span-B', 1, 4, ['CHILD_OF', 'span-A'])];
    expect(path(spans)).toEqual([C('span-A', 10, 30)]);
  });
});

// Cases beyond upstream's tests, each worked out by hand from the upstream code cited in critical-path.ts.
describe('traceCriticalPath edge cases', () => {
  it('a child ending exactly where the returning child starts is not taken (strictly before)', () => {
    const spans = [span('p', 0 + 1, 100), span('a', 10, 20, ['CHILD_OF', 'p']), span('b', 30, 20, ['CHILD_OF', 'p'])];
    // b is the LFC (ends 50); back in p at 30, a ends at 30 — not < 30 — so p owns 1..30.
    expect(path(spans)).toEqual([C('p', 50, 101), C('b', 30, 50), C('p', 1, 30)]);
  });

  it('equal ends: the earlier-starting child is the last finishing one', () => {
    const spans = [span('p', 1, 100), span('late', 40, 20, ['CHILD_OF', 'p']), span('early', 20, 40, ['CHILD_OF', 'p'])];
    expect(path(spans)).toEqual([C('p', 60, 101), C('early', 20, 60), C('p', 1, 20)]);
  });

  it('starts from the earliest top-level span; other roots and their trees are not on the path', () => {
    const spans = [span('second', 50, 100), span('first', 10, 20), span('kid', 60, 10, ['CHILD_OF', 'second'])];
    expect(path(spans)).toEqual([C('first', 10, 30)]);
  });

  it('is empty when the earliest top-level span is an orphan (upstream sanitize deletes it, then throws)', () => {
    const spans = [span('orphan', 5, 10, ['CHILD_OF', 'missing']), span('root', 10, 100)];
    expect(path(spans)).toEqual([]);
  });

  it('is empty when a listed FOLLOWS_FROM span points at no span (upstream getChildOfSpans throws)', () => {
    const spans = [span('root', 1, 100), span('ff', 200, 10, ['FOLLOWS_FROM', 'missing'])];
    expect(path(spans)).toEqual([]);
  });

  it('uses only the first reference for the tree: a later CHILD_OF does not attach the span', () => {
    const spans = [span('root', 1, 100), span('other', 2, 5), span('x', 10, 50, ['FOLLOWS_FROM', 'other'], ['CHILD_OF', 'root'])];
    expect(path(spans)).toEqual([C('root', 1, 101)]);
  });

  it('leaves out spans without a start time and spans on a reference cycle', () => {
    const spans = [
      span('root', 1, 100),
      span('zero', 0, 50, ['CHILD_OF', 'root']),
      span('a', 10, 5, ['CHILD_OF', 'b']),
      span('b', 20, 5, ['CHILD_OF', 'a']),
    ];
    expect(path(spans)).toEqual([C('root', 1, 101)]);
    expect(uiTraceDurationUs(spans)).toBe(100);
  });

  it('resolves a repeated span ID to its first copy; the second copy is a span of its own', () => {
    const spans = [
      span('root', 1, 100),
      span('dup', 10, 20, ['CHILD_OF', 'root']),
      span('dup', 50, 30, ['CHILD_OF', 'root']),
      span('kid', 12, 5, ['CHILD_OF', 'dup']),
    ];
    expect(traceCriticalPath(spans)).toEqual([
      { spanIndex: 0, startUs: 80, endUs: 101 },
      { spanIndex: 2, startUs: 50, endUs: 80 },
      { spanIndex: 0, startUs: 30, endUs: 50 },
      { spanIndex: 1, startUs: 17, endUs: 30 },
      { spanIndex: 3, startUs: 12, endUs: 17 },
      { spanIndex: 1, startUs: 10, endUs: 12 },
      { spanIndex: 0, startUs: 1, endUs: 10 },
    ]);
  });

  it('drops a zero-length child at its parent end but keeps one at its parent start', () => {
    const spans = [span('root', 10, 20), span('atEnd', 30, 0, ['CHILD_OF', 'root']), span('atStart', 10, 0, ['CHILD_OF', 'root'])];
    // atStart (ends 10) is the LFC: root 10..30, then atStart has length 0 (left out), then root 10..10 (left out).
    expect(path(spans)).toEqual([C('root', 10, 30)]);
  });

  it('walks a 50 000-deep chain without exhausting the stack', () => {
    const depth = 50_000;
    const spans = [span('s0', 1, 2 * depth)];
    for (let i = 1; i < depth; i++) spans.push(span(`s${i}`, 1 + i, 2 * depth - 2 * i, ['CHILD_OF', `s${i - 1}`]));
    const sections = traceCriticalPath(spans);
    expect(sections).toHaveLength(2 * depth - 1);
    expect(sections.reduce((sum, s) => sum + s.endUs - s.startUs, 0)).toBe(2 * depth);
  });
});
