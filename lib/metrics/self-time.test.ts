import { describe, expect, it } from 'vitest';
import { aSpan, aTrace } from '../testing/span-builder.ts';
import { spanSelfTimeUs } from './self-time.ts';
import { indexTrace } from './trace-index.ts';

function selfTimes(spans: ReturnType<ReturnType<typeof aSpan>['build']>[]): number[] {
  const index = indexTrace(aTrace(spans));
  return spans.map((_, i) => spanSelfTimeUs(index, i));
}

describe('spanSelfTimeUs', () => {
  it('is the whole duration for a leaf, including a zero-length one', () => {
    expect(selfTimes([aSpan().withDuration(0).build()])).toEqual([0]);
    expect(selfTimes([aSpan().withDuration(77).build()])).toEqual([77]);
  });

  it('subtracts the union of overlapping children once', () => {
    const root = aSpan().withStart(0).withDuration(100).build();
    const a = aSpan().childOf(root).withStart(10).withDuration(30).build(); // 10..40
    const b = aSpan().childOf(root).withStart(20).withDuration(40).build(); // 20..60
    const c = aSpan().childOf(root).withStart(70).withDuration(10).build(); // 70..80
    expect(selfTimes([root, a, b, c])).toEqual([100 - 50 - 10, 30, 40, 10]);
  });

  it('clips children that start before or end after the span, and floors at zero', () => {
    const root = aSpan().withStart(100).withDuration(50).build();
    const early = aSpan().childOf(root).withStart(90).withDuration(20).build(); // covers 100..110
    const late = aSpan().childOf(root).withStart(140).withDuration(100).build(); // covers 140..150
    expect(selfTimes([root, early, late])[0]).toBe(30);
    const covering = aSpan().childOf(root).withStart(0).withDuration(1000).build();
    expect(selfTimes([root, covering])[0]).toBe(0);
  });

  it('ignores a child that starts after the span ended', () => {
    const root = aSpan().withStart(0).withDuration(10).build();
    const after = aSpan().childOf(root).withStart(11).withDuration(5).build();
    expect(selfTimes([root, after])[0]).toBe(10);
  });

  it('hangs a span under its first reference that resolves in the trace (FOLLOWS_FROM too)', () => {
    const root = aSpan().withStart(0).withDuration(100).build();
    const other = aSpan().withStart(0).withDuration(100).build();
    const child = aSpan()
      .withReference('CHILD_OF', 'ffffffffffffffff') // parent not in this trace
      .followsFrom(other)
      .childOf(root)
      .withStart(0)
      .withDuration(40)
      .build();
    const [rootSelf, otherSelf] = selfTimes([root, other, child]);
    expect(rootSelf).toBe(100);
    expect(otherSelf).toBe(60);
  });

  it('treats a reference into another trace as unresolved', () => {
    const root = aSpan().withStart(0).withDuration(100).build();
    const child = aSpan().childOf('0000000000000abc', 'another-trace').withStart(0).withDuration(40).build();
    expect(selfTimes([root, child])).toEqual([100, 40]);
  });

  it('terminates on reference cycles and on a span referencing itself', () => {
    const a = aSpan().withSpanId('a').withStart(0).withDuration(100).childOf('b').build();
    const b = aSpan().withSpanId('b').withStart(10).withDuration(20).childOf('a').build();
    const self = aSpan().withSpanId('s').withStart(0).withDuration(5).childOf('s').build();
    expect(selfTimes([a, b, self])).toEqual([80, 0, 5]);
  });
});
