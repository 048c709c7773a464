import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, MetricsStreamLine } from '@/lib/http/api-types';
import { startFaultyServer, type FaultyServer } from '@/lib/testing/faulty-server';
import { closedPortUrl, freshServerWith } from './route-test-env';

/**
 * What the routes answer when the configured Jaeger fails: down (a real closed port), and the
 * faults a real Jaeger cannot be made to produce (stalls, HTML), from lib/testing/faulty-server.
 */

async function routesFor(jaegerUrl: string, cacheTtlMs = 0) {
  freshServerWith({ JAEGER_URL: jaegerUrl, JAEGER_API: 'legacy', JAEGER_TIMEOUT_MS: '300', JAEGER_CACHE_TTL_MS: String(cacheTtlMs) });
  return {
    services: await import('./services/route'),
    metrics: await import('./metrics/route'),
    health: await import('./health/route'),
  };
}

const get = (path: string) => new Request(`http://spanlens.test${path}`);

describe('routes when Jaeger is down', () => {
  let routes: Awaited<ReturnType<typeof routesFor>>;
  let url: string;
  beforeAll(async () => {
    url = await closedPortUrl();
    routes = await routesFor(url);
  });

  it('answers 502 jaeger_unavailable naming the URL', async () => {
    const response = await routes.services.GET(get('/api/services'));
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('jaeger_unavailable');
    expect(body.error.message).toContain(url);
  });

  it('reports the failure in-band after streaming has started', async () => {
    const response = await routes.metrics.GET(get('/api/metrics?service=api&stream=1'));
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricsStreamLine);
    expect(lines.at(-1)).toMatchObject({ type: 'error', status: 502, error: { code: 'jaeger_unavailable' } });
  });

  it('says in /api/health that Jaeger is unreachable, still answering 200', async () => {
    const response = await routes.health.GET(get('/api/health'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as HealthResponse;
    expect(body.jaeger).toMatchObject({ configured: true, reachable: false, latencyMs: null });
  });
});

describe('routes when Jaeger misbehaves', () => {
  let faulty: FaultyServer;
  let routes: Awaited<ReturnType<typeof routesFor>>;
  beforeAll(async () => {
    faulty = await startFaultyServer();
    routes = await routesFor(faulty.url);
  });
  afterAll(() => faulty.close());

  it('answers 504 jaeger_timeout when Jaeger never answers', async () => {
    faulty.respond('/api/services', { kind: 'stall-headers' });
    const response = await routes.services.GET(get('/api/services'));
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('jaeger_timeout');
  });

  it('answers 502 jaeger_bad_response when something else answers with HTML', async () => {
    faulty.respond('/api/services', { kind: 'text', body: '<html>login</html>', contentType: 'text/html' });
    const response = await routes.services.GET(get('/api/services'));
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('jaeger_bad_response');
  });
});

describe('/api/health when Jaeger goes down while answers are cached', () => {
  let faulty: FaultyServer;
  beforeAll(async () => {
    faulty = await startFaultyServer();
  });
  afterAll(() => faulty.close());

  it('reports the outage at once, not after the query cache expires', async () => {
    const routes = await routesFor(faulty.url, 60_000);
    faulty.respond(
      '/api/services',
      { kind: 'json', body: { data: ['api'], total: 1, errors: null } },
      { kind: 'json', body: { data: ['api'], total: 1, errors: null } },
      { kind: 'drop' },
    );
    expect((await (await routes.services.GET(get('/api/services'))).json()) as unknown).toMatchObject({ services: ['api'] });
    const health = async () => ((await (await routes.health.GET(get('/api/health'))).json()) as HealthResponse).jaeger;
    expect(await health()).toMatchObject({ configured: true, reachable: true });
    expect(await health()).toMatchObject({ configured: true, reachable: false });
  });
});
