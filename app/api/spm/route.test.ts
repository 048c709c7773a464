import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SpmResponse } from '@/lib/http/api-types';
import { legacyEnvelope, startFaultyServer, type FaultyServer } from '@/lib/testing/faulty-server';

/**
 * `/api/spm` in demo mode and against a fake Jaeger for the answers a real one does not give (a
 * proxy's JSON, an HTML page). What a real Jaeger answers (501 without a backend, SPM numbers,
 * Prometheus down) is in lib/server/spm.integration.test.ts.
 */

const get = (route: typeof import('./route'), search: string) => route.GET(new Request(`http://spanlens.test/api/spm${search}`));

async function routeFor(jaegerUrl: string | undefined): Promise<typeof import('./route')> {
  vi.resetModules();
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  delete (globalThis as { __spanlensSpm?: unknown }).__spanlensSpm;
  if (jaegerUrl === undefined) delete process.env.JAEGER_URL;
  else Object.assign(process.env, { JAEGER_URL: jaegerUrl, JAEGER_API: 'legacy', JAEGER_TIMEOUT_MS: '2000', JAEGER_CACHE_TTL_MS: '0' });
  return import('./route');
}

describe('GET /api/spm without a Jaeger', () => {
  let route: typeof import('./route');
  beforeAll(async () => {
    route = await routeFor(undefined);
  });

  it('answers available: false (demo data set), so the page shows no SPM column', async () => {
    const response = await get(route, '?service=frontend');
    expect(response.status).toBe(200);
    const body = (await response.json()) as SpmResponse;
    expect(body.available).toBe(false);
  });

  it.each([
    ['lookback=banana', 'lookback'],
    ['start=2026-11-23T09:00:00Z', 'end'],
    ['source=elsewhere', 'source'],
  ])('answers ?%s with 400 naming %s', async (search, field) => {
    const response = await get(route, `?${search}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', field } });
  });
});

describe('GET /api/spm against a fake Jaeger', () => {
  let jaeger: FaultyServer;
  let route: typeof import('./route');
  beforeAll(async () => {
    jaeger = await startFaultyServer();
    route = await routeFor(jaeger.url);
  });
  afterAll(() => jaeger.close());

  const minstepOk = () => jaeger.respond('/api/metrics/minstep', { kind: 'text', body: JSON.stringify(legacyEnvelope(1)) });
  const family = (name: string, value: number | string) => ({
    kind: 'text' as const,
    body: JSON.stringify({
      name,
      type: 'GAUGE',
      help: '',
      metrics: [
        {
          labels: [
            { name: 'service_name', value: 'shop.api' },
            { name: 'operation', value: 'GET /cart' },
          ],
          metricPoints: [{ gaugeValue: { doubleValue: value }, timestamp: '2026-12-02T01:00:00Z' }],
        },
      ],
    }),
  });

  it('asks for every span kind, the escaped service, ratePer as one whole unit and the window’s end; answers the merged rows', async () => {
    jaeger.reset();
    minstepOk();
    jaeger.respond('/api/metrics/calls', family('service_operation_call_rate', 2));
    jaeger.respond('/api/metrics/errors', family('service_operation_error_rate', 'NaN'));
    jaeger.respond('/api/metrics/latencies', family('service_operation_latencies', 4.5));
    const response = await get(route, '?service=shop.api&start=2026-12-02T00:00:00Z&end=2026-12-02T01:30:00Z');
    expect(response.status).toBe(200);
    const body = (await response.json()) as SpmResponse;
    expect(body).toMatchObject({
      available: true,
      service: 'shop.api',
      windowEndUs: Date.parse('2026-12-02T01:30:00Z') * 1_000,
      ratePer: { ms: 3_600_000, label: '1h' },
      rows: [{ service: 'shop.api', operation: 'GET /cart', ratePerSecond: 2, errorRate: null, p50Us: 4_500, p95Us: 4_500 }],
    });
    const [calls] = jaeger.requests('/api/metrics/calls');
    expect(calls?.searchParams.getAll('service')).toEqual(['shop\\.api']);
    expect(calls?.searchParams.getAll('spanKind')).toEqual(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
    expect(calls?.searchParams.get('ratePer')).toBe('3600000');
    expect(calls?.searchParams.get('groupByOperation')).toBe('true');
    expect(calls?.searchParams.get('endTs')).toBe(String(Date.parse('2026-12-02T01:30:00Z')));
    expect(
      jaeger
        .requests('/api/metrics/latencies')
        .map((request) => request.searchParams.get('quantile'))
        .sort(),
    ).toEqual(['0.5', '0.95']);
  });

  it('answers 502 naming Jaeger when a metrics answer is not one (a proxy’s JSON)', async () => {
    jaeger.reset();
    minstepOk();
    jaeger.respond('/api/metrics/calls', { kind: 'json', body: { message: 'Unauthorized' } });
    jaeger.respond('/api/metrics/errors', family('service_operation_error_rate', 0));
    jaeger.respond('/api/metrics/latencies', family('service_operation_latencies', 1));
    const response = await get(route, '?service=shop.api');
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('jaeger_bad_response');
    expect(body.error.message).toMatch(/^Jaeger sent a response Spanlens cannot read: Jaeger’s \/api\/metrics\/calls is not a Jaeger metrics answer/);
  });
});
