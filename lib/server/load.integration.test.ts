import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MetricsResponse, MetricsStreamLine } from '@/lib/http/api-types';
import { dataQueryOf, parseDashboardQuery, serializeQuery } from '@/lib/query';
import { requireTestEnv } from '@/lib/testing/post-otlp';
import { buildSeedWorkload, summarizeSeedWorkload } from '@/lib/testing/seed/workload';

/**
 * The load pass (issue 15): 50 concurrent viewers of a few default views with RELATIVE windows, as the
 * pages ask for them (stream=1, the page's include set), against /api/metrics in-process on the real
 * seeded Jaeger. Upstream requests are counted on Jaeger's side of the wire, by a counting proxy in
 * front of it: aligned windows (lib/query/window.ts), in-flight sharing and the finished-answer cache
 * (lib/server/shared-metrics.ts) must keep them to one plan per view per alignment step (design §8).
 */

const VIEWERS = 50;
const DURATION_MS = 15_000;
/** Each viewer asks again this long after an answer (a busy dashboard), and at most this many times. */
const THINK_MS = 100;
const MAX_REQUESTS_PER_VIEWER = 200;

interface Manifest {
  readonly runId: string;
  readonly anchorMs: number;
}

function readManifest(): Manifest {
  const path = process.env.SPANLENS_TEST_SEED_MANIFEST;
  if (!path) throw new Error('SPANLENS_TEST_SEED_MANIFEST is not set: run through the integration project (its global setup seeds Jaeger).');
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** A pass-through to the real Jaeger that counts every request it forwards, by path. */
async function countingProxy(target: string) {
  const byPath = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    byPath.set(url.pathname, (byPath.get(url.pathname) ?? 0) + 1);
    const forward = http.request(url, { method: req.method, headers: req.headers }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Trace searches (legacy /api/traces or v3 /api/v3/traces), not by-ID fetches or service lists. */
    searches: () => (byPath.get('/api/traces') ?? 0) + (byPath.get('/api/v3/traces') ?? 0),
    total: () => [...byPath.values()].reduce((sum, n) => sum + n, 0),
    byPath: () => Object.fromEntries(byPath),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request a page sends for its URL: the data query and its include set (lib/api-client/metrics.ts), streamed. */
function pageRequest(search: string, include: readonly ('groups' | 'heatmap' | 'slowest')[]): string {
  return `${serializeQuery({ ...dataQueryOf(parseDashboardQuery(search)), include })}&stream=1`;
}

/** The answer of one streamed request: the result line, or the error line / status as an Error. */
async function readStreamed(response: Response): Promise<MetricsResponse> {
  if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
  const lines = (await response.text()).split('\n').filter((line) => line.trim() !== '');
  for (const line of lines) {
    const parsed = JSON.parse(line) as MetricsStreamLine;
    if (parsed.type === 'result') return parsed.data;
    if (parsed.type === 'error') throw new Error(`stream error ${parsed.status}: ${parsed.error.message}`);
  }
  throw new Error('stream ended without a result');
}

const percentile = (sorted: readonly number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

describe('/api/metrics under 50 concurrent viewers of relative default views (real Jaeger)', () => {
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let metrics: typeof import('@/app/api/metrics/route');

  beforeAll(async () => {
    proxy = await countingProxy(requireTestEnv('SPANLENS_TEST_JAEGER_URL'));
    vi.resetModules();
    process.env.JAEGER_URL = proxy.url;
    // The defaults a deployment runs with: JAEGER_CACHE_TTL_MS 10 s, auto API.
    for (const name of ['JAEGER_UI_URL', 'JAEGER_API', 'JAEGER_CACHE_TTL_MS', 'JAEGER_MAX_TRACES']) delete process.env[name];
    metrics = await import('@/app/api/metrics/route');
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('answers every request, with at most 1.1 upstream requests per view per alignment step', async () => {
    const manifest = readManifest();
    const summary = summarizeSeedWorkload(buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId }));
    const operationOf = (service: string) => {
      const busiest = summary.operations.filter((op) => op.service === service).sort((a, b) => b.count - a.count)[0];
      if (busiest?.operation === undefined) throw new Error(`the seeded workload has no operation of ${service}`);
      return busiest.operation;
    };
    const drilldown = (service: string, lookback: string) =>
      pageRequest(`service=${service}&operation=${encodeURIComponent(operationOf(service))}&lookback=${lookback}`, ['groups', 'heatmap', 'slowest']);
    // The overview and drill-down pages of two seeded services, 15 minutes and the default hour.
    const views = [
      { request: pageRequest('service=api-gateway&lookback=15m', ['groups']), lookbackUs: 15 * 60_000_000 },
      { request: pageRequest('service=llm-gateway&lookback=1h', ['groups']), lookbackUs: 60 * 60_000_000 },
      { request: drilldown('api-gateway', '1h'), lookbackUs: 60 * 60_000_000 },
      { request: drilldown('llm-gateway', '15m'), lookbackUs: 15 * 60_000_000 },
    ];

    const latenciesMs: number[] = [];
    const errors: string[] = [];
    /** Per view: the windows answered (one per alignment step seen) and how each plan went. */
    const windows = views.map(() => new Map<number, { spans: number; subWindows: number; complete: boolean }>());
    const started = performance.now();
    const deadline = started + DURATION_MS;

    await Promise.all(
      Array.from({ length: VIEWERS }, async (_, viewer) => {
        const view = viewer % views.length;
        for (let n = 0; n < MAX_REQUESTS_PER_VIEWER && performance.now() < deadline; n += 1) {
          const t0 = performance.now();
          try {
            const answer = await readStreamed(await metrics.GET(new Request(`http://spanlens.test/api/metrics?${views[view]?.request}`)));
            latenciesMs.push(performance.now() - t0);
            const seen = windows[view]?.get(answer.windowEndUs);
            // Everyone who asked for one window got the same numbers.
            if (seen !== undefined && seen.spans !== answer.spansCounted) errors.push(`view ${view}: two answers for one window`);
            windows[view]?.set(answer.windowEndUs, {
              spans: answer.spansCounted ?? 0,
              subWindows: answer.coverage.subWindows,
              complete: answer.coverage.complete,
            });
            // Aligned, and exactly the lookback long.
            if (answer.windowEndUs % 5_000_000 !== 0 || answer.windowEndUs - answer.windowStartUs !== views[view]?.lookbackUs) {
              errors.push(`view ${view}: window ${answer.windowStartUs}–${answer.windowEndUs}`);
            }
          } catch (error) {
            errors.push(String(error));
          }
          await sleep(THINK_MS);
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1_000;

    // Windows are on 5 s steps (every lookback here is ≤ 6 h), so each view saw about 15 s / 5 s of them.
    const steps = windows.reduce((sum, seen) => sum + seen.size, 0);
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    const report = {
      requests: latenciesMs.length + errors.length,
      errors: errors.length,
      requestsPerSecond: Math.round((latenciesMs.length / elapsedS) * 10) / 10,
      p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10,
      p95Ms: Math.round(percentile(sorted, 0.95) * 10) / 10,
      maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
      viewsTimesSteps: steps,
      upstreamSearches: proxy.searches(),
      upstreamSearchesPerViewPerStep: Math.round((proxy.searches() / steps) * 1_000) / 1_000,
      upstreamByPath: proxy.byPath(),
      windowsPerView: windows.map((seen) => seen.size),
      spansPerView: windows.map((seen) => [...seen.values()].map((w) => w.spans)),
    };
    console.info(`load pass: ${JSON.stringify(report)}`);

    expect(errors.slice(0, 5)).toEqual([]);
    // Real traces were counted: the views are not empty windows (the seeded workload ends at the harness start).
    for (const seen of windows) expect(Math.max(...[...seen.values()].map((w) => w.spans))).toBeGreaterThan(0);
    // A plan of these windows is one search (complete: fewer traces than the limit, one sub-window)…
    for (const seen of windows) for (const w of seen.values()) expect(w).toMatchObject({ subWindows: 1, complete: true });
    // …and Jaeger saw at most 1.1 search requests per view per alignment step, however many viewers.
    expect(proxy.searches()).toBeLessThanOrEqual(1.1 * steps);
    // Every other upstream request (API probe, services) is a one-off, not per viewer.
    expect(proxy.total() - proxy.searches()).toBeLessThanOrEqual(4);
  });
});
