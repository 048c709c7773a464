import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FullMetricsResponse, MetricsStreamLine, UploadResponse } from '@/lib/http/api-types';
import { buildRouteDataSet, ROUTE_DATA_EXPECTED } from '@/lib/server/testing/route-data-set';
import { freshDemoServer } from './route-test-env';

/**
 * The route handlers called directly, as Next calls them, in demo mode (no JAEGER_URL) over a demo
 * file with known numbers. Env is set before the routes load because lib/env reads it once.
 */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-routes-'));
type Routes = {
  services: typeof import('./services/route');
  operations: typeof import('./operations/route');
  tagKeys: typeof import('./tag-keys/route');
  metrics: typeof import('./metrics/route');
  health: typeof import('./health/route');
  views: typeof import('./views/route');
  view: typeof import('./views/[id]/route');
  uploads: typeof import('./uploads/route');
};
let routes: Routes;

beforeAll(async () => {
  freshDemoServer(dir);
  routes = {
    services: await import('./services/route'),
    operations: await import('./operations/route'),
    tagKeys: await import('./tag-keys/route'),
    metrics: await import('./metrics/route'),
    health: await import('./health/route'),
    views: await import('./views/route'),
    view: await import('./views/[id]/route'),
    uploads: await import('./uploads/route'),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (path: string) => new Request(`http://spanlens.test${path}`);
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });
const metrics = async (search: string) => {
  const response = await routes.metrics.GET(get(`/api/metrics?${search}`));
  expect(response.status).toBe(200);
  return (await response.json()) as FullMetricsResponse;
};
const group = (result: FullMetricsResponse, operation: string) => result.groups.find((g) => g.operation === operation);
const idContext = (id: string) => ({ params: Promise.resolve({ id }) });

describe('GET /api/services', () => {
  it('lists the demo data set services, labelled demo', async () => {
    expect(await json(await routes.services.GET(get('/api/services')))).toEqual({
      status: 200,
      body: { source: { mode: 'demo', label: 'Demo data set' }, services: ['api', 'db'] },
    });
  });
});

describe('GET /api/operations', () => {
  it('lists the operations of a service with their kinds', async () => {
    const { body } = await json(await routes.operations.GET(get('/api/operations?service=api')));
    expect(body.operations).toEqual([
      { name: 'call auth', spanKind: 'client' },
      { name: 'GET /a', spanKind: 'server' },
      { name: 'GET /b', spanKind: 'server' },
    ]);
  });

  it('answers 400 naming service when none is given', async () => {
    expect(await json(await routes.operations.GET(get('/api/operations')))).toEqual({
      status: 400,
      body: { error: { code: 'invalid_query', message: 'Choose a service to list its operations.', field: 'service' } },
    });
  });
});

describe('GET /api/tag-keys', () => {
  it('lists span and process tag keys of the service, most common first', async () => {
    const { body } = await json(await routes.tagKeys.GET(get('/api/tag-keys?service=api')));
    expect(body.spansSampled).toBe(54);
    expect(body.keys).toEqual([
      { key: 'process.hostname', spans: 54, distinctValues: 1 },
      { key: 'span.kind', spans: 54, distinctValues: 2 },
      { key: 'http.route', spans: 50, distinctValues: 2 },
      { key: 'http.status_code', spans: 4, distinctValues: 1 },
      { key: 'error', spans: 3, distinctValues: 1 },
    ]);
  });
});

describe('GET /api/metrics', () => {
  it('counts only the chosen service, per operation, with exact error rates and p50', async () => {
    const result = await metrics('service=api');
    expect(result.source.mode).toBe('demo');
    expect(result.spansCounted).toBe(54);
    expect(result.coverage).toMatchObject({ api: 'file', tracesFetched: 50, complete: true, partial: false });
    for (const operation of ['GET /a', 'GET /b'] as const) {
      const expected = ROUTE_DATA_EXPECTED[operation];
      expect(group(result, operation)).toMatchObject({
        count: expected.count,
        errorCount: expected.errors,
        errorRate: expected.errors / expected.count,
        durations: { p50: { valueUs: expected.p50Us } },
      });
    }
    expect(group(result, 'call auth')).toMatchObject({ count: 4, errorCount: 0 });
    expect(result.groups.some((g) => g.service === 'db')).toBe(false);
  });

  it('counts client 4xx as errors only with clientErrors=1, and says so in the definitions', async () => {
    const result = await metrics('service=api&clientErrors=1');
    expect(group(result, 'call auth')).toMatchObject({ count: 4, errorCount: ROUTE_DATA_EXPECTED['call auth'].errorsWithClient4xx });
    expect(result.definitions.clientErrorsFrom4xx).toBe(true);
    expect(result.query).toBe('service=api&clientErrors=1');
  });

  it('narrows to an operation and a duration range', async () => {
    const result = await metrics('service=api&operation=GET+%2Fa&minDuration=10ms&maxDuration=20ms');
    expect(result.groups.map((g) => [g.operation, g.count, g.errorCount])).toEqual([['GET /a', 11, 1]]);
  });

  it('groups by a tag key', async () => {
    const result = await metrics('service=api&groupBy=tag:http.route');
    expect(result.groups.map((g) => [g.tags['http.route'], g.count]).sort()).toEqual([
      ['(none)', 4],
      ['/a', 30],
      ['/b', 20],
    ]);
  });

  it('builds no Jaeger links in demo mode: no Jaeger holds these traces', async () => {
    const result = await metrics('service=api');
    expect(result.jaegerSearchUrl).toBeNull();
    expect(result.slowest[0]).toMatchObject({ operation: 'GET /b', durationUs: 40_000, jaegerUrl: null });
  });

  it('streams progress and then the same result as NDJSON with stream=1', async () => {
    const response = await routes.metrics.GET(get('/api/metrics?service=api&stream=1'));
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricsStreamLine);
    expect(lines[0]).toEqual({ type: 'progress', subWindowsDone: 1, subWindowsPlanned: 1 });
    const last = lines.at(-1);
    expect(last?.type).toBe('result');
    if (last?.type === 'result') expect(group(last.data as FullMetricsResponse, 'GET /a')?.count).toBe(30);
  });

  it.each([
    ['', 'service', 'Choose a service: Jaeger searches one service at a time.'],
    ['service=api&limit=0', 'limit', 'limit must be a whole number from 1 to 100000; got "0"'],
    ['service=api&start=2026-11-23T10:00:00Z', 'end', 'end is needed too: give both start and end, or neither'],
    ['service=api&stream=1&lookback=40d', 'lookback', 'lookback must be more than 0 and at most 30d'],
  ])('answers 400 for %j naming %s', async (search, field, message) => {
    expect(await json(await routes.metrics.GET(get(`/api/metrics?${search}`)))).toEqual({
      status: 400,
      body: { error: { code: 'invalid_query', message, field } },
    });
  });

  it('never answers 5xx to any query string on any GET route, and every 400 names its field', async () => {
    const names = [
      'service',
      'operation',
      'tags',
      'groupBy',
      'lookback',
      'start',
      'end',
      'minDuration',
      'maxDuration',
      'limit',
      'view',
      'group',
      'sort',
      'dir',
      'refresh',
      'clientErrors',
      'source',
      'stream',
      'x',
    ];
    const values = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        'api',
        'db',
        'GET /a',
        '1h',
        '7d',
        'tag:http.route',
        'http.route=/a',
        'error=true',
        '10ms',
        '1.5s',
        '2026-11-23T10:00:00Z',
        '0',
        '1',
        '-1',
        '1e9',
        'upload:nope',
        '%',
        '=',
        '',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('metrics', 'tagKeys', 'operations', 'services'),
        fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 6 }),
        async (route, pairs) => {
          const search = new URLSearchParams([['service', 'api'], ...pairs]).toString();
          const response = await routes[route].GET(get(`/api/x?${search}`));
          expect(response.status, search).toBeLessThan(500);
          if (response.status === 400) expect((await response.json()).error.field, search).toEqual(expect.any(String));
          else await response.body?.cancel();
        },
      ),
      { numRuns: 400, seed: 5 },
    );
  });
});

describe('GET /api/health', () => {
  it('reports demo mode with no Jaeger configured', async () => {
    expect(await json(await routes.health.GET(get('/api/health')))).toEqual({
      status: 200,
      body: { source: { mode: 'demo', label: 'Demo data set' }, jaeger: { configured: false } },
    });
  });
});

describe('POST /api/uploads', () => {
  const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
    routes.uploads.POST(new Request('http://spanlens.test/api/uploads', { method: 'POST', body, headers }));

  it('takes a Jaeger export as a form file, and source=upload:ID reads it in every route', async () => {
    const form = new FormData();
    form.append('file', new File([JSON.stringify(buildRouteDataSet(1_700_000_000_000_000))], 'export.json'));
    const response = await upload(form);
    expect(response.status).toBe(201);
    const { upload: info } = (await response.json()) as UploadResponse;
    expect(info).toMatchObject({ fileName: 'export.json', traces: 50, spans: 104, services: ['api', 'db'], source: `upload:${info.id}` });

    const services = await json(await routes.services.GET(get(`/api/services?source=${info.source}`)));
    expect(services.body.source).toEqual({ mode: 'upload', label: 'export.json' });
    const window = `start=${new Date(Math.floor((info.startUs ?? 0) / 1_000)).toISOString()}&end=${new Date(Math.ceil((info.endUs ?? 0) / 1_000)).toISOString()}`;
    const result = await metrics(`service=api&${window}&source=${info.source}`);
    expect(group(result, 'GET /a')).toMatchObject({ count: 30, errorCount: 3 });
  });

  it('takes the raw body too, named by x-file-name', async () => {
    const response = await upload(JSON.stringify(buildRouteDataSet(1_700_000_000_000_000)), { 'x-file-name': 'raw.json' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as UploadResponse).upload.fileName).toBe('raw.json');
  });

  it('answers 400 naming file for something that is not a Jaeger export', async () => {
    const { status, body } = await json(await upload('{"hello": "world"}', { 'x-file-name': 'hello.json' }));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_upload', field: 'file' });
  });

  it('answers 404 naming source for an upload the server does not hold', async () => {
    const { status, body } = await json(await routes.metrics.GET(get('/api/metrics?service=api&source=upload:gone')));
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'upload_not_found', field: 'source' });
  });
});

describe('/api/views', () => {
  const post = (body: unknown) =>
    routes.views.POST(
      new Request('http://spanlens.test/api/views', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    );

  it('saves a view with its query made canonical, lists, renames and deletes it', async () => {
    const created = await json(await post({ name: ' Slow checkouts ', query: '?sort=p95&service=api&lookback=1h', path: '/operation' }));
    expect(created.status).toBe(201);
    const view = created.body.view as { id: string; name: string; query: string; path: string };
    expect(view).toMatchObject({ name: 'Slow checkouts', query: 'service=api&sort=p95', path: '/operation' });

    const listed = await json(await routes.views.GET());
    expect(listed.body.views).toEqual([expect.objectContaining({ id: view.id })]);

    const renamed = await json(
      await routes.view.PATCH(
        new Request(`http://spanlens.test/api/views/${view.id}`, { method: 'PATCH', body: '{"name":"Checkout p95"}' }),
        idContext(view.id),
      ),
    );
    expect(renamed.body.view).toMatchObject({ id: view.id, name: 'Checkout p95' });

    const deleted = await json(await routes.view.DELETE(new Request(`http://spanlens.test/api/views/${view.id}`), idContext(view.id)));
    expect(deleted).toEqual({ status: 200, body: { deleted: view.id } });
    expect((await json(await routes.views.GET())).body.views).toEqual([]);
  });

  it.each([
    [{ name: '', query: '' }, 'name'],
    [{ name: 'x', query: 'limit=0' }, 'query'],
    [{ name: 'x', query: '', path: 'javascript:alert(1)' }, 'path'],
    [{ query: '' }, 'name'],
  ])('answers 400 for %j naming %s', async (body, field) => {
    const { status, body: answer } = await json(await post(body));
    expect(status).toBe(400);
    expect(answer.error).toMatchObject({ field });
  });

  it('answers 400 naming body for a body that is not JSON', async () => {
    const response = await routes.views.POST(new Request('http://spanlens.test/api/views', { method: 'POST', body: 'name=x' }));
    expect(await json(response)).toMatchObject({ status: 400, body: { error: { code: 'invalid_json', field: 'body' } } });
  });

  it('answers 404 for a view that does not exist', async () => {
    const response = await routes.view.DELETE(new Request('http://spanlens.test/api/views/nope'), idContext('nope'));
    expect(await json(response)).toMatchObject({ status: 404, body: { error: { code: 'view_not_found', field: 'id' } } });
  });
});
