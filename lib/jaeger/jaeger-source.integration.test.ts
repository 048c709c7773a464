import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, postOtlpSpans, requireTestEnv, waitForTraces, type OtlpTestSpan } from '../testing/post-otlp.ts';
import type { JaegerApi } from './client.ts';
import { createJaegerSource, type JaegerSource, type JaegerSourceConfig } from './jaeger-source.ts';
import type { Coverage, SearchProgress } from './source.ts';
import type { Trace } from './span.ts';

/**
 * Sampling honesty against the real Jaeger. One hour of a service that is quiet for 45 minutes
 * (20 traces, one every 135 s) and then busy (300 traces, one every 3 s): a single newest-first query
 * would see only the burst. Every span start sits half a second off any sub-window boundary, so the
 * count in each sub-window below is exact.
 */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
const v3OnlyUrl = requireTestEnv('SPANLENS_TEST_V3_ONLY_URL');
const otlpUrl = requireTestEnv('SPANLENS_TEST_OTLP_URL');

const runStartedMs = Date.now();
const SERVICE = `it-source-${runStartedMs.toString(36)}`;
const HOUR_US = 3_600_000_000;
const WINDOW_START_US = (Math.floor(runStartedMs / 60_000) * 60_000 - 2 * 3_600_000) * 1000;
const WINDOW_END_US = WINDOW_START_US + HOUR_US;

const QUIET = Array.from({ length: 20 }, (_, k) => 67_500_000 + k * 135_000_000);
const BURST = Array.from({ length: 300 }, (_, j) => 2_701_500_000 + j * 3_000_000);
const OFFSETS_US = [...QUIET, ...BURST];
const durationOf = (n: number): number => 1_000 + n;

const spans: OtlpTestSpan[] = OFFSETS_US.map((offsetUs, n) => ({
  traceId: `${hex(runStartedMs, 12)}50ce${hex(n + 1, 16)}`,
  spanId: hex(n + 1, 16),
  service: SERVICE,
  name: 'GET /burst',
  kind: 2,
  startUs: WINDOW_START_US + offsetUs,
  durationUs: durationOf(n),
}));

const sources: JaegerSource[] = [];
function makeSource(api: 'auto' | JaegerApi, baseUrl = jaegerUrl, overrides: Partial<JaegerSourceConfig> = {}): JaegerSource {
  const source = createJaegerSource({
    baseUrl,
    api,
    timeoutMs: 15_000,
    maxConcurrency: 4,
    maxResponseBytes: 64 * 1_048_576,
    cacheTtlMs: 0,
    ...overrides,
  });
  sources.push(source);
  return source;
}

async function searchHour(source: JaegerSource, limit: number) {
  const batches: Trace[][] = [];
  const progress: SearchProgress[] = [];
  const coverage = await source.searchTraces(
    { service: SERVICE, tags: {}, startUs: WINDOW_START_US, endUs: WINDOW_END_US, limit },
    (batch) => batches.push([...batch]),
    { onProgress: (step) => progress.push(step) },
  );
  const traces = batches.flat();
  return { coverage, traces, batches, progress };
}

beforeAll(async () => {
  await postOtlpSpans(otlpUrl, spans);
  await waitForTraces(jaegerUrl, SERVICE, WINDOW_START_US, WINDOW_END_US, OFFSETS_US.length);
});

afterAll(async () => {
  await Promise.all(sources.map((source) => source.client.close()));
});

describe.each<JaegerApi>(['legacy', 'v3'])('createJaegerSource in %s mode against the real Jaeger', (api) => {
  it('refines the full sub-windows of the burst until the whole hour is complete', async () => {
    const { coverage, traces, progress } = await searchHour(makeSource(api), 1000);
    // 8 × 125: the six quiet sub-windows hold 20 traces (spare 730); the two busy ones hold 150 each
    // and come back full, so each is split into halves of (125 + 365) / 2 = 245 that hold 75 each:
    // 8 + 4 requests.
    expect(coverage).toEqual<Coverage>({
      api,
      tracesFetched: 320,
      spansReceived: 320,
      subWindows: 10,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      upstreamRequests: 12,
      complete: true,
      partial: false,
    });
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(320);
    expect(traces.flatMap((trace) => trace.spans.map((span) => span.durationUs)).sort((a, b) => a - b)).toEqual(
      OFFSETS_US.map((_, n) => durationOf(n)),
    );
    expect(progress.at(-1)).toEqual({ subWindowsDone: 12, subWindowsPlanned: 12 });
  });

  it('says the result is sampled when the hour holds more traces than the limit', async () => {
    const { coverage, traces, progress } = await searchHour(makeSource(api), 100);
    // 5 × 20 (12-minute sub-windows): quiet ones hold 5, 6, 5 (spare 44); the two busy ones (64 and 240)
    // are full and split into halves of (20 + 22) / 2 = 21. Of those, 2160–2520 s holds 3; the other
    // three (61, 120, 120) are full again, and halving them would ask for 13 < 20 each, so they stay
    // sampled: 5 + 6 + 5 + 3 + 3 × 21 = 82 traces from 7 sub-windows, 3 of them at their limit.
    expect(coverage).toEqual<Coverage>({
      api,
      tracesFetched: 82,
      spansReceived: 82,
      subWindows: 7,
      subWindowsAtLimit: 3,
      failedSubWindows: [],
      upstreamRequests: 9,
      complete: false,
      partial: false,
    });
    // The sample covers the quiet part too (a single query for 100 would return only the burst): every
    // quiet trace before 2520 s lies in a complete sub-window. Which 21 a full one returns depends on
    // arrival order in Jaeger's ring buffer, so the quiet trace at 2632.5 s may or may not be among them.
    const starts = new Set(traces.map((trace) => (trace.spans[0]?.startUs ?? 0) - WINDOW_START_US));
    expect(QUIET.filter((offset) => offset < 2_520_000_000).every((offset) => starts.has(offset))).toBe(true);
    expect(QUIET.filter((offset) => offset < 2_520_000_000)).toHaveLength(19);
    expect(progress).toEqual(
      [1, 2, 3, 4, 5]
        .map((done) => ({ subWindowsDone: done, subWindowsPlanned: 5 }))
        .concat([6, 7, 8, 9].map((done) => ({ subWindowsDone: done, subWindowsPlanned: 9 }))),
    );
  });
});

describe('createJaegerSource behind the v3-only proxy', () => {
  it('chooses v3 by itself and reports the same complete hour, probes included', async () => {
    const { coverage } = await searchHour(makeSource('auto', v3OnlyUrl), 1000);
    expect(coverage).toEqual<Coverage>({
      api: 'v3',
      tracesFetched: 320,
      spansReceived: 320,
      subWindows: 10,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      // 2 probes (legacy answers 404, v3 answers) + 12 sub-window searches.
      upstreamRequests: 14,
      complete: true,
      partial: false,
    });
  });

  it('fails the whole search with a clear error in legacy mode', async () => {
    await expect(searchHour(makeSource('legacy', v3OnlyUrl), 1000)).rejects.toThrow(
      /^Jaeger answered 404 for .*: 404 page not found: this Jaeger has no legacy \/api search \(removed in jaeger#9260\); set JAEGER_API=v3 or auto$/,
    );
  });
});

describe('createJaegerSource lists', () => {
  it('lists the seeded service and its operation through the source', async () => {
    const source = makeSource('auto');
    expect(await source.listServices()).toContain(SERVICE);
    expect(await source.listOperations(SERVICE)).toEqual([{ name: 'GET /burst', spanKind: 'server' }]);
    expect((await source.getTrace(spans[0]?.traceId ?? ''))?.spans.map((span) => span.durationUs)).toEqual([1_000]);
  });
});
