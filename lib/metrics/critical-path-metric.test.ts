import { describe, expect, it } from 'vitest';
import type { Trace } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { createAggregator } from './aggregator.ts';
import type { AggregationOptions } from './types.ts';

const SECOND = 1_000_000;
const T0 = 1_700_000_000 * SECOND;
const window: AggregationOptions = { windowStartUs: T0, windowEndUs: T0 + 60 * SECOND };

/**
 * Trace k: fe GET lasts 1000k µs; its one child db q starts 100 µs in and lasts 600k µs. Critical path:
 * fe 0..100 and (100 + 600k)..1000k = 400k µs, db 600k µs; trace duration 1000k.
 */
function traceK(k: number): Trace {
  const start = T0 + k * SECOND;
  const root = aSpan()
    .withService('fe')
    .withOperation('GET')
    .withStart(start)
    .withDuration(1000 * k)
    .build();
  const db = aSpan()
    .withService('db')
    .withOperation('q')
    .childOf(root)
    .withStart(start + 100)
    .withDuration(600 * k)
    .build();
  return aTrace([root, db], hexId(k, 32));
}

function run(traces: readonly Trace[], options: AggregationOptions) {
  const aggregator = createAggregator(options, ['criticalPath', 'selfTime']);
  for (const trace of traces) aggregator.addTrace(trace);
  return aggregator.finish();
}

const tenTraces = Array.from({ length: 10 }, (_, i) => traceK(i + 1));
const sumK = 55; // 1 + … + 10

describe('criticalPath metric', () => {
  it('sums each operation over the traces, with the mean share of trace duration', () => {
    const { criticalPath } = run(tenTraces, { ...window, service: 'fe' });
    expect(criticalPath.traces).toBe(10);
    expect(criticalPath.tracesWithoutPath).toBe(0);
    expect(criticalPath.operations).toEqual([
      { service: 'db', operation: 'q', traces: 10, spans: 10, totalCriticalUs: 600 * sumK, averageShare: expect.closeTo(0.6, 12) },
      // fe holds two sections per trace but is one span each time.
      { service: 'fe', operation: 'GET', traces: 10, spans: 10, totalCriticalUs: 400 * sumK, averageShare: expect.closeTo(0.4, 12) },
    ]);
  });

  it('splits traces at the entry p90 / p50 and ranks operations by growth', () => {
    // Entry durations 1000..10000: p50 = 5th = 5000, p90 = 9th = 9000. Slow: k = 10. Fast: k = 1..4.
    const { slowVsFast } = run(tenTraces, { ...window, service: 'fe' }).criticalPath;
    expect(slowVsFast).toEqual({
      entryP50Us: 5000,
      entryP90Us: 9000,
      slowTraces: 1,
      fastTraces: 4,
      operations: [
        // db: 6000 in the slow trace; fast mean 600 · (1+2+3+4) / 4 = 1500.
        { service: 'db', operation: 'q', slowMeanUs: 6000, fastMeanUs: 1500, growthUs: 4500, slowTraces: 1, fastTraces: 4 },
        { service: 'fe', operation: 'GET', slowMeanUs: 4000, fastMeanUs: 1000, growthUs: 3000, slowTraces: 1, fastTraces: 4 },
      ],
    });
  });

  it('walks the whole trace whatever the query counts, with the entry the counted span', () => {
    const { criticalPath } = run(tenTraces, { ...window, service: 'db' });
    expect(criticalPath.operations.map((row) => [row.service, row.totalCriticalUs])).toEqual([
      ['db', 600 * sumK],
      ['fe', 400 * sumK],
    ]);
    // Entry = db's own span, 600..6000: p50 = 3000, p90 = 5400.
    expect(criticalPath.slowVsFast).toMatchObject({ entryP50Us: 3000, entryP90Us: 5400, slowTraces: 1, fastTraces: 4 });
  });

  it('counts only traces holding a counted span, and says which have no path', () => {
    const other = aTrace([aSpan().withService('other').withStart(T0).withDuration(50).build()], hexId(99, 32));
    const orphan = aTrace(
      [aSpan().withService('fe').withOperation('GET').childOf('00000000000000aa').withStart(T0).withDuration(70).build()],
      hexId(98, 32),
    );
    const { criticalPath } = run([...tenTraces, other, orphan], { ...window, service: 'fe' });
    expect(criticalPath.traces).toBe(11);
    expect(criticalPath.tracesWithoutPath).toBe(1);
    expect(criticalPath.operations.find((row) => row.service === 'db')?.averageShare).toBeCloseTo((0.6 * 10) / 11, 12);
  });

  it('leaves the cohorts empty when too few traces to split, and is null without traces', () => {
    const one = run([traceK(3)], { ...window, service: 'fe' }).criticalPath.slowVsFast;
    expect(one).toEqual({ entryP50Us: 3000, entryP90Us: 3000, slowTraces: 0, fastTraces: 0, operations: [] });
    expect(run([], { ...window, service: 'fe' }).criticalPath).toEqual({ traces: 0, tracesWithoutPath: 0, operations: [], slowVsFast: null });
  });

  it('gives self time its share of the time of the traces holding a counted span', () => {
    const { selfTime } = run(tenTraces, { ...window, service: 'fe' });
    // fe self = 1000k − 600k per trace; traces last 1000 · 55 µs in all.
    expect(selfTime).toEqual([
      { service: 'fe', operation: 'GET', count: 10, totalSelfUs: 400 * sumK, meanSelfUs: 2200, p95SelfUs: 4000, shareOfTraceTime: 0.4 },
    ]);
  });
});
