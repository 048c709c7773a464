import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, postOtlpSpans, requireTestEnv, waitForTraces, type OtlpTestSpan } from '../testing/post-otlp.ts';
import type { JaegerApi } from './client.ts';
import { createJaegerSource, type JaegerSource, type JaegerSourceConfig } from './jaeger-source.ts';
import type { Coverage, SearchProgress } from './source.ts';
import type { Trace } from './span.ts';

/**
 * Sampling honesty against the real Jaeger. One hour of a service that is quiet for 45 minutes
 * (20 traces, one every 135 s) and then busy (300 traces, one every 3 s): a single newest-first query
 * would see only the burst.
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
  // Jaeger's memory store answers the most recently stored traces first, not the newest by start time:
  // the quiet stretch is stored (and searchable) before the burst is sent, so a full first answer holds
  // the burst, as a real service's history would, whatever order one OTLP batch is ingested in.
  await postOtlpSpans(otlpUrl, spans.slice(0, QUIET.length));
  await waitForTraces(jaegerUrl, SERVICE, WINDOW_START_US, WINDOW_END_US, QUIET.length);
  await postOtlpSpans(otlpUrl, spans.slice(QUIET.length));
  await waitForTraces(jaegerUrl, SERVICE, WINDOW_START_US, WINDOW_END_US, OFFSETS_US.length);
});

afterAll(async () => {
  await Promise.all(sources.map((source) => source.client.close()));
});

describe.each<JaegerApi>(['legacy', 'v3'])('createJaegerSource in %s mode against the real Jaeger', (api) => {
  it.each([1000, 321])('asks Jaeger once when the hour holds fewer traces than the limit (%i), and counts each exactly once', async (limit) => {
    const { coverage, traces, progress } = await searchHour(makeSource(api), limit);
    expect(coverage).toEqual<Coverage>({
      api,
      tracesFetched: 320,
      spansReceived: 320,
      subWindows: 1,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      upstreamRequests: 1,
      complete: true,
      partial: false,
    });
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(320);
    expect(traces.flatMap((trace) => trace.spans.map((span) => span.durationUs)).sort((a, b) => a - b)).toEqual(
      OFFSETS_US.map((_, n) => durationOf(n)),
    );
    expect(progress.at(-1)).toEqual({ subWindowsDone: 1, subWindowsPlanned: 1 });
  });

  it('says the result is sampled when the hour holds more traces than the limit, and spreads it over the hour', async () => {
    const { coverage, traces } = await searchHour(makeSource(api), 100);
    // The first answer (100 newest of the burst) reaches back to about 3301.5 s: f ≈ 0.083, so only its
    // traces with hash < f stay; the rest of the hour is asked for in follow-ups sharing what is left.
    expect(coverage.complete).toBe(false);
    expect(coverage.partial).toBe(false);
    expect(coverage.subWindowsAtLimit).toBeGreaterThanOrEqual(1);
    expect(coverage.upstreamRequests).toBe(coverage.subWindows);
    expect(coverage.subWindows).toBeGreaterThan(1);
    expect(coverage.tracesFetched).toBeLessThanOrEqual(100);
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(traces.length);
    const offsets = traces.map((trace) => (trace.spans[0]?.startUs ?? 0) - WINDOW_START_US);
    // Traces from the first and the last quarter of the hour, not only the newest minutes.
    expect(offsets.some((offset) => offset < HOUR_US / 4)).toBe(true);
    expect(offsets.some((offset) => offset >= (3 * HOUR_US) / 4)).toBe(true);
    // Not over-represented: the last 5 minutes hold 100 of the hour's 320 traces (31 %) and all of a
    // single query's 100; in the sample they stay well under half.
    expect(offsets.filter((offset) => offset >= HOUR_US - 300_000_000).length).toBeLessThan(traces.length / 2);
  });
});

describe('createJaegerSource behind the v3-only proxy', () => {
  it('chooses v3 by itself and reports the same complete hour, probes included', async () => {
    const { coverage } = await searchHour(makeSource('auto', v3OnlyUrl), 1000);
    expect(coverage).toEqual<Coverage>({
      api: 'v3',
      tracesFetched: 320,
      spansReceived: 320,
      subWindows: 1,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      // 2 probes (legacy answers 404, v3 answers) + the one search.
      upstreamRequests: 3,
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
