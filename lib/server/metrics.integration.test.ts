import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { HealthResponse, FullMetricsResponse } from '@/lib/http/api-types';
import { readSeedManifest, type HarnessManifest } from '@/lib/testing/jaeger-harness';
import { requireTestEnv } from '@/lib/testing/post-otlp';
import { SEED_SERVICES, buildSeedWorkload, summarizeSeedWorkload, type SeedSummary } from '@/lib/testing/seed/workload';

/**
 * /api/metrics through the route handler against the real Jaeger harness holding the seeded
 * workload: per operation, exact counts, error counts and nearest-rank percentiles, through both
 * Jaeger APIs (legacy + v3 on the real Jaeger; v3 alone through the v3-only proxy).
 */

let manifest: HarnessManifest;
let summary: SeedSummary;

beforeAll(() => {
  manifest = readSeedManifest();
  summary = summarizeSeedWorkload(buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId }));
});

/** Loads the routes with a fresh env (lib/env reads process.env once per module instance). */
async function routesFor(jaegerUrl: string) {
  vi.resetModules();
  process.env.JAEGER_URL = jaegerUrl;
  delete process.env.JAEGER_UI_URL;
  delete process.env.JAEGER_API;
  return { metrics: await import('@/app/api/metrics/route'), health: await import('@/app/api/health/route') };
}

function seededQuery(service: string): string {
  const params = new URLSearchParams({
    service,
    tags: `${manifest.runAttribute}=${manifest.runId}`,
    // ms precision in the URL: widen to whole ms so every seeded span stays inside.
    start: new Date(Math.floor(manifest.startUs / 1_000)).toISOString(),
    end: new Date(Math.ceil(manifest.endUs / 1_000) + 1).toISOString(),
  });
  return params.toString();
}

describe.each([
  ['the real Jaeger (legacy API)', 'SPANLENS_TEST_JAEGER_URL'],
  ['the v3-only proxy (Jaeger after jaeger#9260)', 'SPANLENS_TEST_V3_ONLY_URL'],
] as const)('GET /api/metrics on %s', (_, urlVariable) => {
  let jaegerUrl: string;
  let routes: Awaited<ReturnType<typeof routesFor>>;

  beforeAll(async () => {
    jaegerUrl = requireTestEnv(urlVariable).replace(/\/+$/, '');
    routes = await routesFor(jaegerUrl);
  });

  it('reports live mode and a reachable Jaeger', async () => {
    const response = await routes.health.GET(new Request('http://spanlens.test/api/health'));
    const body = (await response.json()) as HealthResponse;
    expect(body.source).toEqual({ mode: 'live', label: jaegerUrl });
    expect(body.jaeger).toMatchObject({ configured: true, reachable: true, message: null });
  });

  it.each(SEED_SERVICES)('gives exact per-operation counts, errors and percentiles for %s', async (service) => {
    const response = await routes.metrics.GET(new Request(`http://spanlens.test/api/metrics?${seededQuery(service)}`));
    expect(response.status).toBe(200);
    const result = (await response.json()) as FullMetricsResponse;
    expect(result.source.mode).toBe('live');
    expect(result.coverage).toMatchObject({ complete: true, partial: false, tracesFetched: summary.perService[service].traces });
    if (urlVariable === 'SPANLENS_TEST_V3_ONLY_URL') expect(result.coverage.api).toBe('v3');

    const expected = summary.operations.filter((op) => op.service === service);
    const actual = result.groups.map((group) => ({
      operation: group.operation,
      count: group.count,
      errorCount: group.errorCount,
      p50Us: group.durations.p50.valueUs,
      p95Us: group.durations.p95.valueUs,
      p99Us: group.durations.p99.valueUs,
      maxUs: group.durations.maxUs,
    }));
    expect(actual.sort((a, b) => ((a.operation ?? '') < (b.operation ?? '') ? -1 : 1))).toEqual(
      expected.map(({ operation, count, errorCount, p50Us, p95Us, p99Us, maxUs }) => ({ operation, count, errorCount, p50Us, p95Us, p99Us, maxUs })),
    );
    expect(result.spansCounted).toBe(summary.perService[service].spans);
  });

  it('links the slowest spans and the whole query into the Jaeger UI', async () => {
    const response = await routes.metrics.GET(new Request(`http://spanlens.test/api/metrics?${seededQuery('llm-gateway')}`));
    const result = (await response.json()) as FullMetricsResponse;
    const slowest = result.slowest[0];
    expect(slowest?.jaegerUrl).toBe(`${jaegerUrl}/trace/${slowest?.traceId}?uiFind=${slowest?.spanId}`);
    expect(result.jaegerSearchUrl).toMatch(new RegExp(`^${jaegerUrl.replace(/[.:/]/g, '\\$&')}/search\\?service=llm-gateway&tags=`));
  });
});

describe('POST /api/uploads with an export fetched from the real Jaeger', () => {
  it.each([
    ['a legacy /api/traces export', 'legacy'],
    ['a v3 OTLP-JSON export', 'v3'],
  ] as const)('gives the same exact numbers from %s as from the live Jaeger', async (_, api) => {
    const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL').replace(/\/+$/, '');
    const exportUrl =
      api === 'legacy'
        ? `${jaegerUrl}/api/traces?service=llm-gateway&start=${manifest.startUs}&end=${manifest.endUs + 1}&limit=2000&tags=${encodeURIComponent(JSON.stringify({ [manifest.runAttribute]: manifest.runId }))}`
        : `${jaegerUrl}/api/v3/traces?query.service_name=llm-gateway&query.start_time_min=${new Date(Math.floor(manifest.startUs / 1_000)).toISOString()}` +
          `&query.start_time_max=${new Date(Math.ceil(manifest.endUs / 1_000) + 1).toISOString()}&query.num_traces=2000` +
          `&query.attributes=${encodeURIComponent(JSON.stringify({ [manifest.runAttribute]: manifest.runId }))}`;
    const exported = await fetch(exportUrl);
    expect(exported.status).toBe(200);

    vi.resetModules();
    delete process.env.JAEGER_URL;
    const uploads = await import('@/app/api/uploads/route');
    const metricsRoute = await import('@/app/api/metrics/route');
    const uploaded = await uploads.POST(
      new Request('http://spanlens.test/api/uploads', {
        method: 'POST',
        body: await exported.arrayBuffer(),
        headers: { 'x-file-name': `llm-${api}.json` },
      }),
    );
    expect(uploaded.status).toBe(201);
    const { upload } = (await uploaded.json()) as { upload: { source: string; traces: number } };
    // v2.13's v3 gateway ignores query.attributes (client.ts), so a v3 export may hold other runs' traces too.
    expect(upload.traces).toBeGreaterThanOrEqual(summary.perService['llm-gateway'].traces);

    const response = await metricsRoute.GET(new Request(`http://spanlens.test/api/metrics?${seededQuery('llm-gateway')}&source=${upload.source}`));
    const result = (await response.json()) as FullMetricsResponse;
    expect(result.source).toEqual({ mode: 'upload', label: `llm-${api}.json` });
    expect(result.groups.map((g) => [g.operation, g.count, g.errorCount, g.durations.p95.valueUs]).sort()).toEqual(
      summary.operations
        .filter((op) => op.service === 'llm-gateway')
        .map((op) => [op.operation, op.count, op.errorCount, op.p95Us])
        .sort(),
    );
  });
});
