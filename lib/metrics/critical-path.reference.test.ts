import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { legacyTracesFast } from '../jaeger/normalize-legacy.ts';
import type { Span } from '../jaeger/span.ts';
import { describeWithSharedFixtures, readSharedFixture, sharedFixtureNames } from '../testing/fixtures.ts';
import { referenceBreakdown, referenceCriticalPath, type RawSpan, type RawTrace } from '../testing/jaeger-ui-reference.ts';
import { createAggregator } from './aggregator.ts';
import { traceCriticalPath } from './critical-path.ts';
import { spanSelfTimeUs } from './self-time.ts';
import { indexTrace } from './trace-index.ts';

// Real HotROD traces recorded from the harness Jaeger v2.13 (lib/testing/recorded/hotrod-README.md).
const json: unknown = JSON.parse(readFileSync(new URL('../testing/recorded/hotrod-traces.json', import.meta.url), 'utf8'));
const raw = (json as { data: RawTrace[] }).data;
const traces = legacyTracesFast(json);

function raw1(id: string, startTime: number, duration: number, parent?: readonly ['CHILD_OF' | 'FOLLOWS_FROM', string]): RawSpan {
  return {
    spanID: id,
    operationName: id,
    processID: 'p1',
    startTime,
    duration,
    references: parent ? [{ refType: parent[0], spanID: parent[1] }] : [],
  };
}
const rawTrace = (...spans: RawSpan[]): RawTrace => ({ traceID: 't', spans, processes: { p1: { serviceName: 's' } } });
const C = (spanId: string, section_start: number, section_end: number) => ({ spanId, section_start, section_end });

describe('the reference transcription', () => {
  // Upstream's expected sections (CriticalPath/testCases/test1, test5, test6, test8): the reference must give them first.
  it.each([
    [
      'test1',
      rawTrace(raw1('span-E', 50, 10, ['CHILD_OF', 'span-C']), raw1('span-C', 1, 100), raw1('span-D', 20, 20, ['CHILD_OF', 'span-C'])),
      [C('span-C', 60, 101), C('span-E', 50, 60), C('span-C', 40, 50), C('span-D', 20, 40), C('span-C', 1, 20)],
    ],
    [
      'test5',
      rawTrace(raw1('span-A', 1, 30), raw1('span-B', 10, 10, ['FOLLOWS_FROM', 'span-A']), raw1('span-C', 12, 2, ['CHILD_OF', 'span-B'])),
      [C('span-A', 1, 31)],
    ],
    [
      'test6',
      rawTrace(raw1('span-A', 1, 29), raw1('span-B', 15, 20, ['CHILD_OF', 'span-A']), raw1('span-C', 10, 15, ['CHILD_OF', 'span-B'])),
      [C('span-B', 25, 30), C('span-C', 15, 25), C('span-A', 1, 15)],
    ],
    ['test8', rawTrace(raw1('span-A', 10, 20), raw1('span-B', 5, 30, ['CHILD_OF', 'span-A'])), [C('span-B', 10, 30)]],
  ])('gives upstream %s its expected sections', (_name, trace, expected) => {
    expect(referenceCriticalPath(trace)).toEqual(expected);
  });
});

describe('critical path and self time on recorded HotROD traces = jaeger-ui v1.76.0 run on the same traces', () => {
  it('holds the traces and spans in the order Jaeger sent them', () => {
    expect(raw).toHaveLength(25);
    expect(traces.map((t) => t.spans.map((s) => s.spanId))).toEqual(raw.map((t) => t.spans.map((s) => s.spanID)));
  });

  it('gives every trace the same critical path, section for section', () => {
    let sections = 0;
    traces.forEach((trace, i) => {
      const ours = traceCriticalPath(trace.spans).map((s) => ({
        spanId: (trace.spans[s.spanIndex] as Span).spanId,
        section_start: s.startUs,
        section_end: s.endUs,
      }));
      const theirs = referenceCriticalPath(raw[i] as RawTrace);
      expect(ours).toEqual(theirs);
      sections += theirs.length;
    });
    expect(sections).toBeGreaterThan(25 * 3); // real paths through several services, not just roots
  });

  it('gives every span the self time of Trace Statistics', () => {
    traces.forEach((trace, t) => {
      const index = indexTrace(trace);
      const expected = referenceBreakdown([raw[t] as RawTrace], () => true).selfTime;
      const ours = new Map<string, number>();
      trace.spans.forEach((span, i) => {
        const key = `${span.service}\t${span.operation}`;
        ours.set(key, (ours.get(key) ?? 0) + spanSelfTimeUs(index, i));
      });
      expect(ours).toEqual(new Map([...expected].map(([key, row]) => [key, row.totalSelfUs])));
    });
  });

  const windowOf = () => {
    const spans = traces.flatMap((t) => t.spans);
    return { windowStartUs: Math.min(...spans.map((s) => s.startUs)), windowEndUs: Math.max(...spans.map((s) => s.startUs)) };
  };

  it.each([
    ['every span counted', {}, () => true],
    ['frontend /dispatch counted', { service: 'frontend', operation: '/dispatch' }, (s: string, o: string) => s === 'frontend' && o === '/dispatch'],
  ])('sums to the reference over the traces, %s', (_name, filter, counted) => {
    const aggregator = createAggregator({ ...windowOf(), ...filter }, ['criticalPath', 'selfTime']);
    for (const trace of traces) aggregator.addTrace(trace);
    const { criticalPath, selfTime } = aggregator.finish();
    const expected = referenceBreakdown(raw, counted);

    expect(criticalPath.traces).toBe(expected.traces);
    expect(criticalPath.tracesWithoutPath).toBe(0);
    expect(new Map(criticalPath.operations.map((r) => [`${r.service}\t${r.operation}`, { ...r, averageShare: r.averageShare.toFixed(12) }]))).toEqual(
      new Map(
        [...expected.criticalPath].map(([key, r]) => {
          const [service, operation] = key.split('\t');
          return [key, { service, operation, ...r, averageShare: r.averageShare.toFixed(12) }];
        }),
      ),
    );
    expect(
      new Map(selfTime.map((r) => [`${r.service}\t${r.operation}`, [r.count, r.totalSelfUs, r.p95SelfUs, r.shareOfTraceTime.toFixed(12)]])),
    ).toEqual(new Map([...expected.selfTime].map(([key, r]) => [key, [r.spans, r.totalSelfUs, r.p95SelfUs, r.shareOfTraceTime.toFixed(12)]])));
    const split = criticalPath.slowVsFast;
    expect(split).toMatchObject({
      entryP50Us: expected.slowVsFast.entryP50Us,
      entryP90Us: expected.slowVsFast.entryP90Us,
      slowTraces: expected.slowVsFast.slowTraces,
      fastTraces: expected.slowVsFast.fastTraces,
    });
    expect(new Map(split?.operations.map((r) => [`${r.service}\t${r.operation}`, r.growthUs]))).toEqual(expected.slowVsFast.growthUs);
  });
});

/** The ID jaeger-ui gives each span: a repeated ID gets `_1`, `_2`… (transform-trace-data.tsx:88-98). */
function uiSpanIds(spans: readonly RawSpan[]): string[] {
  const counts = new Map<string, number>();
  return spans.map((span) => {
    const seen = counts.get(span.spanID);
    counts.set(span.spanID, (seen ?? 0) + 1);
    return seen === undefined ? span.spanID : `${span.spanID}_${seen}`;
  });
}

describeWithSharedFixtures('critical path on every shared legacy-JSON fixture = jaeger-ui v1.76.0', () => {
  const legacy = sharedFixtureNames().filter((name) => Array.isArray((readSharedFixture(name) as { data?: unknown }).data));

  it.each(legacy)('%s', (name) => {
    const fixture = readSharedFixture(name);
    const rawTraces = (fixture as { data: RawTrace[] }).data;
    const normalized = legacyTracesFast(fixture);
    expect(normalized.map((t) => t.spans.length)).toEqual(rawTraces.map((t) => t.spans.length));
    normalized.forEach((trace, t) => {
      const rawTrace = rawTraces[t] as RawTrace;
      const ids = uiSpanIds(rawTrace.spans);
      const ours = traceCriticalPath(trace.spans).map((s) => ({ spanId: ids[s.spanIndex], section_start: s.startUs, section_end: s.endUs }));
      expect(ours, `${name} trace ${rawTrace.traceID}`).toEqual(referenceCriticalPath(rawTrace));
    });
  });
});
