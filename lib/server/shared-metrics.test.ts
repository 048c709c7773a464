import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

let sources = 0;

/**
 * A file source whose searches are counted and take a moment, so concurrent requests overlap. Each has
 * its own label, so answers kept by one test are not another's. `failing` makes every answer partial.
 */
function countingSource({ failing = false } = {}): { resolved: ResolvedSource; searches: () => number } {
  const inner = createFileSource(traces);
  let searches = 0;
  sources += 1;
  const source: TraceSource = {
    ...inner,
    searchTraces: async (search, onBatch, options) => {
      searches += 1;
      await sleep(20);
      const coverage = await inner.searchTraces(search, onBatch, options);
      return failing
        ? {
            ...coverage,
            partial: true,
            complete: false,
            failedSubWindows: [{ startUs: search.startUs, endUs: search.endUs, reason: 'Jaeger timed out' }],
          }
        : coverage;
    },
  };
  return { resolved: { source, info: { mode: 'upload', label: `test-${sources}` }, jaegerUiUrl: null }, searches: () => searches };
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

describe('computeSharedMetrics after a run has finished', () => {
  const NOW_MS = Date.parse('2026-11-23T10:00:00.000Z');
  const live = parseMetricsQuery('service=api&lookback=15m&include=groups');
  const at = (nowMs: number) => ({ nowMs, maxTraces: 100, resultCacheTtlMs: 10_000 });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a viewer who arrives within the same 5 s step from the finished answer, without a search', async () => {
    vi.useFakeTimers({ now: NOW_MS + 1_000, toFake: ['Date'] });
    const { resolved, searches } = countingSource();
    const first = await computeSharedMetrics(live, resolved, at(Date.now()));
    vi.setSystemTime(NOW_MS + 4_999); // 10:00:04.999: same step as 10:00:01, so the same window
    const progress: SearchProgress[] = [];
    const later = await computeSharedMetrics(live, resolved, { ...at(Date.now()), onProgress: (p) => progress.push(p) });
    expect(later).toBe(first);
    expect(searches()).toBe(1);
    // A stream still says how far the run it shares got: all of it.
    expect(progress).toEqual([{ subWindowsDone: 1, subWindowsPlanned: 1 }]);

    vi.setSystemTime(NOW_MS + 5_000); // the next step: a new window, so a new run
    const next = await computeSharedMetrics(live, resolved, at(Date.now()));
    expect(next.windowEndUs).toBe((NOW_MS + 5_000) * 1_000);
    expect(searches()).toBe(2);
  });

  it('keeps a finished answer one step at most, and no longer than the TTL it is given', async () => {
    vi.useFakeTimers({ now: NOW_MS, toFake: ['Date'] });
    const { resolved, searches } = countingSource();
    // A pinned 15-minute window (a copied link): its step, and so the reuse time, is 5 s.
    const pinned = parseMetricsQuery('service=api&start=2026-11-23T09:45:00Z&end=2026-11-23T10:00:00Z&include=groups');
    await computeSharedMetrics(pinned, resolved, at(Date.now()));
    vi.setSystemTime(NOW_MS + 4_999);
    await computeSharedMetrics(pinned, resolved, at(Date.now()));
    expect(searches()).toBe(1);
    vi.setSystemTime(NOW_MS + 5_000);
    await computeSharedMetrics(pinned, resolved, at(Date.now()));
    expect(searches()).toBe(2);

    // A pinned hour (step 5 s) under a 1 s TTL: reused for 1 s only. A pinned 10 s window (step 1 ms): not at all.
    const short = { ...at(Date.now()), resultCacheTtlMs: 1_000 };
    const other = parseMetricsQuery('service=api&start=2026-11-23T09:00:00Z&end=2026-11-23T10:00:00Z&include=groups');
    await computeSharedMetrics(other, resolved, short);
    vi.setSystemTime(NOW_MS + 5_999);
    await computeSharedMetrics(other, resolved, short);
    expect(searches()).toBe(3);
    vi.setSystemTime(NOW_MS + 6_000);
    await computeSharedMetrics(other, resolved, short);
    expect(searches()).toBe(4);
    await computeSharedMetrics(query, resolved, at(Date.now()));
    vi.setSystemTime(NOW_MS + 6_001);
    await computeSharedMetrics(query, resolved, at(Date.now()));
    expect(searches()).toBe(6);
  });

  it('keeps nothing when the TTL is 0 (JAEGER_CACHE_TTL_MS=0) or the answer is partial', async () => {
    vi.useFakeTimers({ now: NOW_MS, toFake: ['Date'] });
    const off = countingSource();
    await computeSharedMetrics(live, off.resolved, { ...at(Date.now()), resultCacheTtlMs: 0 });
    await computeSharedMetrics(live, off.resolved, { ...at(Date.now()), resultCacheTtlMs: 0 });
    expect(off.searches()).toBe(2);

    const failing = countingSource({ failing: true });
    const partial = await computeSharedMetrics(live, failing.resolved, at(Date.now()));
    expect(partial.coverage.partial).toBe(true);
    await computeSharedMetrics(live, failing.resolved, at(Date.now()));
    expect(failing.searches()).toBe(2);
  });

  it('does not keep a run that failed', async () => {
    vi.useFakeTimers({ now: NOW_MS, toFake: ['Date'] });
    const { resolved, searches } = countingSource();
    let fail = true;
    const flaky: ResolvedSource = {
      ...resolved,
      source: {
        ...resolved.source,
        searchTraces: async (search, onBatch, options) => {
          const coverage = await resolved.source.searchTraces(search, onBatch, options);
          if (fail) throw new Error('Jaeger answered 503');
          return coverage;
        },
      },
    };
    await expect(computeSharedMetrics(live, flaky, at(Date.now()))).rejects.toThrow('503');
    fail = false;
    expect((await computeSharedMetrics(live, flaky, at(Date.now()))).groups).toEqual([]);
    expect(searches()).toBe(2);
  });
});
