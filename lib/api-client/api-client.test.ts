import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDashboardQuery } from '../query/index.ts';
import { buildRouteDataSet } from '../server/testing/route-data-set.ts';
import { ApiError, errorFromResponse } from './api-error.ts';
import { fetchMetrics, metricsRequestParams, type MetricsProgress } from './metrics.ts';
import { fetchServices } from './services.ts';

/**
 * The client modules against the real route handlers: `fetch` is routed in-process to the handler
 * Next would call, over the demo data set of the route suite, so both sides of the wire are real.
 */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-client-'));

beforeAll(async () => {
  writeFileSync(join(dir, 'demo.json'), JSON.stringify(buildRouteDataSet(Date.now() * 1_000)));
  delete process.env.JAEGER_URL;
  process.env.SPANLENS_DATA_FILE = join(dir, 'demo.json');
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  const handlers: Record<string, (request: Request) => Promise<Response>> = {
    '/api/metrics': (await import('../../app/api/metrics/route.ts')).GET,
    '/api/services': (await import('../../app/api/services/route.ts')).GET,
  };
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const request = new Request(new URL(input, 'http://spanlens.test'), init);
    const handler = handlers[new URL(request.url).pathname];
    if (!handler) throw new TypeError('fetch failed');
    return handler(request);
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
  rmSync(dir, { recursive: true, force: true });
});

describe('fetchMetrics', () => {
  it('reads the streamed answer, reporting sub-window progress on the way', async () => {
    const progress: MetricsProgress[] = [];
    const result = await fetchMetrics(parseDashboardQuery('service=api&operation=GET+%2Fa'), ['groups'], { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ subWindowsDone: 1, subWindowsPlanned: 1 }]);
    expect(result.groups.map((g) => [g.operation, g.count, g.errorCount])).toEqual([['GET /a', 30, 3]]);
  });

  it('throws the server 400 as an ApiError carrying the field', async () => {
    const error = await fetchMetrics(parseDashboardQuery(''), ['groups']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_query',
      field: 'service',
      message: 'Choose a service: Jaeger searches one service at a time.',
    });
  });
});

describe('metricsRequestParams', () => {
  it('sends only what changes the answer, and the metric sets the view shows: sort, selection, view and refresh stay in the page', () => {
    expect(
      metricsRequestParams(parseDashboardQuery('service=a&sort=p95&dir=asc&group=k&view=errors&refresh=5s&lookback=5m'), ['groups', 'heatmap']),
    ).toBe('service=a&lookback=5m&include=groups%2Cheatmap');
  });
});

describe('requestJson through the endpoint modules', () => {
  it('returns the parsed body', async () => {
    expect((await fetchServices({})).services).toEqual(['api', 'db']);
  });

  it('throws the error envelope as an ApiError', async () => {
    await expect(fetchServices({ source: 'http://elsewhere' })).rejects.toMatchObject({ status: 400, field: 'source' });
  });
});

describe('errorFromResponse', () => {
  it('still gives a sentence for a proxy HTML error page', async () => {
    const error = await errorFromResponse(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(error).toMatchObject({ status: 502, code: 'http_error', message: 'The Spanlens server answered 502 Bad Gateway.', isUpstream: true });
  });
});
