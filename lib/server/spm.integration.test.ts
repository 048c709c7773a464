import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MetricsResponse, SpmResponse } from '../http/api-types.ts';
import { hex, postOtlpSpans, requireTestEnv, type OtlpTestSpan } from '../testing/post-otlp.ts';
import { queryPrometheus, startPrometheus, type RunningPrometheus } from '../testing/prometheus-harness.ts';
import { chooseExporterPort, startSpmJaeger, type RunningSpmJaeger } from '../testing/spm-jaeger.ts';

/**
 * /api/spm against a real Jaeger v2.13 with SPM (spanmetrics connector → Prometheus exporter, scraped by a
 * real Prometheus every second, read back through Jaeger's metrics reader: jaeger-api.md §7b), beside
 * the exact numbers /api/metrics computes from the same spans. Every expected SPM number is worked out
 * from what this test sends and how Prometheus computes it, never read from Spanlens.
 */

const runId = Date.now().toString(36);
// Regex metacharacters on purpose: Jaeger puts the name into service_name =~ "…".
const SHOP = `spm-it.${runId}+(shop)`;
const OTHER = `spm-it.${runId}[other]`;
const FIRST_BATCH = { server: 10, client: 4, clientErrors: 1 } as const;
const SECOND_BATCH = { server: 20, client: 8, clientErrors: 2 } as const;
const WINDOW_MS = 5 * 60_000;

let prometheus: RunningPrometheus;
let jaeger: RunningSpmJaeger;
let nextSpan = 0;

/** `server` spans of 30 ms on `GET /items/{n}` (kind server, no errors) and `client` spans of 3 ms on `charge` (kind client), `errors` of them failed. */
function batch(service: string, counts: { server: number; client: number; clientErrors: number }): OtlpTestSpan[] {
  const startUs = Date.now() * 1_000 - 2_000_000;
  const span = (name: string, kind: 2 | 3, durationUs: number, error: boolean): OtlpTestSpan => {
    nextSpan += 1;
    return { traceId: hex(nextSpan, 32), spanId: hex(nextSpan, 16), service, name, kind, startUs, durationUs, error };
  };
  return [
    ...Array.from({ length: counts.server }, () => span('GET /items', 2, 30_000, false)),
    ...Array.from({ length: counts.client }, (_, i) => span('charge', 3, 3_000, i < counts.clientErrors)),
  ];
}

async function prometheusCalls(service: string): Promise<number> {
  const samples = await queryPrometheus(prometheus.url, `sum(traces_span_metrics_calls_total{service_name=${JSON.stringify(service)}})`);
  return samples[0]?.value ?? 0;
}

async function waitForCalls(service: string, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await prometheusCalls(service)) < expected) {
    if (Date.now() > deadline) throw new Error(`Prometheus never saw ${expected} calls of ${service}`);
    await sleep(500);
  }
}

async function routes(jaegerUrl: string) {
  vi.resetModules();
  const globals = globalThis as { __spanlensServer?: unknown; __spanlensSpm?: unknown };
  delete globals.__spanlensServer;
  delete globals.__spanlensSpm;
  delete process.env.SPANLENS_DATA_FILE;
  Object.assign(process.env, { JAEGER_URL: jaegerUrl, JAEGER_API: 'legacy', JAEGER_CACHE_TTL_MS: '0' });
  const spm = await import('../../app/api/spm/route.ts');
  const metrics = await import('../../app/api/metrics/route.ts');
  return {
    spm: async (search: string) => spm.GET(new Request(`http://spanlens.test/api/spm?${search}`)),
    metrics: async (search: string) => metrics.GET(new Request(`http://spanlens.test/api/metrics?${search}`)),
  };
}

let window: { start: string; end: string };

beforeAll(async () => {
  const exporterPort = await chooseExporterPort();
  prometheus = await startPrometheus({ name: `spm-it-${runId}`, scrapeTargets: [`127.0.0.1:${exporterPort}`], scrapeIntervalS: 1 });
  jaeger = await startSpmJaeger({
    name: `spm-it-${runId}`,
    prometheusUrl: prometheus.url,
    withSpanmetricsConnector: true,
    metricsExporterPort: exporterPort,
  });
  // The first batch makes the series; rate() never shows it (no earlier sample to increase from, §7b).
  await postOtlpSpans(jaeger.otlpHttpUrl, [...batch(SHOP, FIRST_BATCH), ...batch(OTHER, FIRST_BATCH)]);
  await waitForCalls(SHOP, FIRST_BATCH.server + FIRST_BATCH.client);
  await waitForCalls(OTHER, FIRST_BATCH.server + FIRST_BATCH.client);
  await sleep(3_000); // a few scrapes of the first values
  await postOtlpSpans(jaeger.otlpHttpUrl, [...batch(SHOP, SECOND_BATCH), ...batch(OTHER, SECOND_BATCH)]);
  const total = FIRST_BATCH.server + FIRST_BATCH.client + SECOND_BATCH.server + SECOND_BATCH.client;
  await waitForCalls(SHOP, total);
  await waitForCalls(OTHER, total);
  await sleep(2_000);
  const endMs = Math.floor(Date.now() / 1_000) * 1_000;
  window = { start: new Date(endMs - WINDOW_MS).toISOString(), end: new Date(endMs).toISOString() };
}, 180_000);

afterAll(async () => {
  await jaeger?.stop();
  await prometheus?.stop();
});

describe('/api/spm with a Jaeger that has SPM', () => {
  it('answers SPM per operation of one service, every span kind, next to the exact numbers of the same spans', async () => {
    const api = await routes(jaeger.queryUrl);
    const params = new URLSearchParams({ service: SHOP, start: window.start, end: window.end });
    const spmResponse = await api.spm(params.toString());
    expect(spmResponse.status).toBe(200);
    const spm = (await spmResponse.json()) as SpmResponse;
    if (!spm.available) throw new Error(`SPM not available: ${spm.reason}`);
    expect(spm.ratePer).toEqual({ ms: 300_000, label: '5m' });
    const byOperation = Object.fromEntries(spm.rows.map((row) => [row.operation, row]));
    // Both kinds: the client operation is there although Jaeger's default spanKind is server only.
    expect(Object.keys(byOperation).sort()).toEqual(['GET /items', 'charge']);

    const exactResponse = await api.metrics(`${params.toString()}&include=groups`);
    expect(exactResponse.status).toBe(200);
    const exact = (await exactResponse.json()) as MetricsResponse;
    const exactByOperation = Object.fromEntries((exact.groups ?? []).map((group) => [group.operation, group]));
    expect(exactByOperation['GET /items']?.count).toBe(FIRST_BATCH.server + SECOND_BATCH.server);
    expect(exactByOperation['charge']?.count).toBe(FIRST_BATCH.client + SECOND_BATCH.client);

    const items = byOperation['GET /items'];
    const charge = byOperation['charge'];
    // rate() × 5 m: at least the second batch (a series whose first scraped sample already holds the first
    // batch never shows it); with the 1 s flush the exporter's first sample is 0, so here both batches count,
    // plus Prometheus's extrapolation toward the window's end (under one scrape interval of the ~6 s sampled).
    const itemsCalls = (items?.ratePerSecond ?? 0) * 300;
    expect(itemsCalls).toBeGreaterThanOrEqual(SECOND_BATCH.server * 0.99);
    expect(itemsCalls).toBeLessThan((FIRST_BATCH.server + SECOND_BATCH.server) * 1.25);
    // No error series for GET /items (Jaeger leaves it out): 0 where calls exist.
    expect(items?.errorRate).toBe(0);
    // Every 30 ms span is in the (10, 50] ms bucket: linear interpolation gives 10 + 40·q ms.
    expect(items?.p50Us).toBe(30_000);
    expect(items?.p95Us).toBe(48_000);
    // charge: 1 in 4 failed in either batch; both series start together, so their extrapolation cancels.
    expect(charge?.errorRate).toBeCloseTo(SECOND_BATCH.clientErrors / SECOND_BATCH.client, 3);
    // 3 ms spans are in the (2, 4] ms bucket: 2 + 2·q ms.
    expect(charge?.p50Us).toBe(3_000);
    expect(charge?.p95Us).toBe(3_900);
    console.info(
      `spm-it measured: GET /items exact ${exactByOperation['GET /items']?.count} spans, p50 ${exactByOperation['GET /items']?.durations.p50.valueUs} µs, p95 ${exactByOperation['GET /items']?.durations.p95.valueUs} µs` +
        ` | SPM ${itemsCalls.toFixed(2)} calls over 5m, p50 ${items?.p50Us} µs, p95 ${items?.p95Us} µs;` +
        ` charge exact error rate ${exactByOperation['charge']?.errorRate}, SPM ${charge?.errorRate}`,
    );
  });

  it('answers one row per service without a service (the services home), each name regex-escaped', async () => {
    const api = await routes(jaeger.queryUrl);
    const spm = (await (await api.spm(new URLSearchParams(window).toString())).json()) as SpmResponse;
    if (!spm.available) throw new Error(`SPM not available: ${spm.reason}`);
    expect(spm.service).toBeNull();
    const byService = Object.fromEntries(spm.rows.map((row) => [row.service, row]));
    expect(Object.keys(byService).sort()).toEqual([SHOP, OTHER].sort());
    for (const service of [SHOP, OTHER]) {
      const calls = (byService[service]?.ratePerSecond ?? 0) * 300;
      const second = SECOND_BATCH.server + SECOND_BATCH.client;
      expect(calls).toBeGreaterThanOrEqual(second * 0.99);
      expect(calls).toBeLessThan((FIRST_BATCH.server + FIRST_BATCH.client + second) * 1.25);
      expect(byService[service]?.operation).toBeNull();
    }
  });

  it('answers available: false for a Jaeger without a metrics backend (minstep 501)', async () => {
    const api = await routes(requireTestEnv('SPANLENS_TEST_JAEGER_URL'));
    const response = await api.spm('service=frontend');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ available: false, reason: expect.stringContaining('metrics backend') });
  });

  it('shows the error, naming Jaeger, when the Prometheus behind it is down', async () => {
    await prometheus.stop();
    const api = await routes(jaeger.queryUrl);
    const response = await api.spm(new URLSearchParams({ service: SHOP, ...window }).toString());
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('jaeger_http_error');
    expect(body.error.message).toMatch(/^Jaeger answered 500 for .*\/api\/metrics\//);
  });
});
