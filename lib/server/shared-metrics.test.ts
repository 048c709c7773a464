import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import type { SearchProgress, TraceSource } from '../jaeger/source.ts';
import { parseMetricsQuery } from '../query/dashboard-query.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import type { ResolvedSource } from './sources.ts';
import { computeSharedMetrics } from './shared-metrics.ts';

const traces = [1, 2, 3].map((n) =>
  aTrace([
    aSpan()
      .withTraceId(hexId(n, 32))
      .withService('api')
      .withStart(n * 1_000_000)
      .withDuration(500)
      .build(),
  ]),
);

/** A file source whose searches are counted and take a moment, so concurrent requests overlap. */
function countingSource(): { resolved: ResolvedSource; searches: () => number } {
  const inner = createFileSource(traces);
  let searches = 0;
  const source: TraceSource = {
    ...inner,
    searchTraces: async (search, onBatch, options) => {
      searches += 1;
      await sleep(20);
      return inner.searchTraces(search, onBatch, options);
    },
  };
  return { resolved: { source, info: { mode: 'upload', label: 'test' }, jaegerUiUrl: null }, searches: () => searches };
}

const query = parseMetricsQuery('service=api&start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:10Z&include=groups');
const context = { nowMs: 60_000, maxTraces: 100 };

describe('computeSharedMetrics', () => {
  it('answers identical concurrent requests from one search, each with the same numbers and the progress', async () => {
    const { resolved, searches } = countingSource();
    const progress: SearchProgress[][] = [[], [], [], [], []];
    const answers = await Promise.all(progress.map((seen) => computeSharedMetrics(query, resolved, { ...context, onProgress: (p) => seen.push(p) })));
    expect(searches()).toBe(1);
    expect(answers.map((answer) => answer.groups?.[0]?.count)).toEqual([3, 3, 3, 3, 3]);
    // The file source reports its one "sub-window" once; every caller hears it.
    expect(progress).toEqual(progress.map(() => [{ subWindowsDone: 1, subWindowsPlanned: 1 }]));
  });

  it('runs a different query, or the same one later, on its own', async () => {
    const { resolved, searches } = countingSource();
    const narrower = parseMetricsQuery('service=api&start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:02Z&include=groups');
    const [wide, narrow] = await Promise.all([computeSharedMetrics(query, resolved, context), computeSharedMetrics(narrower, resolved, context)]);
    expect([wide.groups?.[0]?.count, narrow.groups?.[0]?.count]).toEqual([3, 2]);
    await computeSharedMetrics(query, resolved, context);
    expect(searches()).toBe(3);
  });

  it('keeps the shared run going for the others when one caller gives up', async () => {
    const { resolved, searches } = countingSource();
    const leaving = new AbortController();
    const gone = computeSharedMetrics(query, resolved, { ...context, signal: leaving.signal });
    const staying = computeSharedMetrics(query, resolved, context);
    leaving.abort(new Error('tab closed'));
    await expect(gone).rejects.toThrow('tab closed');
    expect((await staying).groups?.[0]?.count).toBe(3);
    expect(searches()).toBe(1);
  });
});
