import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DependenciesResponse, MetricsResponse } from '@/lib/http/api-types';

/**
 * `format=csv|json` on the routes that feed tables, in demo mode on the bundled data set: the counts a
 * CSV holds are the demo meta record's, and every cell equals the JSON number it came from.
 */

const meta = JSON.parse(readFileSync('lib/demo/demo-meta.json', 'utf8')) as { services: Record<string, { spans: number }> };
let metrics: typeof import('./metrics/route');
let overview: typeof import('./overview/route');
let dependencies: typeof import('./dependencies/route');
let bubbleup: typeof import('./bubbleup/route');
let llm: typeof import('./llm/route');
let quality: typeof import('./quality/route');

beforeAll(async () => {
  delete process.env.JAEGER_URL;
  delete process.env.SPANLENS_DATA_FILE;
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  [metrics, overview, dependencies, bubbleup, llm, quality] = await Promise.all([
    import('./metrics/route'),
    import('./overview/route'),
    import('./dependencies/route'),
    import('./bubbleup/route'),
    import('./llm/route'),
    import('./quality/route'),
  ]);
});

const get = (route: { GET: (request: Request) => Promise<Response> }, path: string, search: string) =>
  route.GET(new Request(`http://spanlens.test${path}?${search}`));

/** A CSV without quoted fields (the demo's names hold no comma or quote) as records of header → cell. */
function records(csv: string): Record<string, string>[] {
  expect(csv.endsWith('\r\n')).toBe(true);
  const [header, ...lines] = csv.slice(0, -2).split('\r\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

const FILE_TIME = /\d{8}T\d{6}Z/.source;

describe('format=csv', () => {
  it('/api/overview: the services table, one record per demo service with its exact span count', async () => {
    const response = await get(overview, '/api/overview', 'format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="spanlens-overview-services-${FILE_TIME}-${FILE_TIME}\\.csv"$`),
    );
    const rows = records(await response.text());
    expect(Object.fromEntries(rows.map((row) => [row['service'], Number(row['count'])]))).toEqual(
      Object.fromEntries(Object.entries(meta.services).map(([service, { spans }]) => [service, spans])),
    );
  });

  it('/api/metrics: the groups table equals the JSON groups, number for number', async () => {
    const search = 'service=frontend&lookback=2h&include=groups';
    const json = (await (await get(metrics, '/api/metrics', search)).json()) as MetricsResponse;
    const response = await get(metrics, '/api/metrics', `${search}&format=csv`);
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`filename="spanlens-metrics-frontend-groups-${FILE_TIME}-${FILE_TIME}\\.csv"`),
    );
    const rows = records(await response.text());
    const groups = json.groups ?? [];
    expect(groups.length).toBeGreaterThan(1);
    expect(
      rows.map((row) => [row['operation'], Number(row['count']), Number(row['errorRate']), Number(row['p95Us']), Number(row['p95LowerUs'] || NaN)]),
    ).toEqual(
      groups.map((group) => [
        group.operation,
        group.count,
        group.errorRate,
        group.durations.p95.valueUs,
        group.durations.p95.interval?.lowerUs ?? NaN,
      ]),
    );
    expect(rows.reduce((n, row) => n + Number(row['count']), 0)).toBe(meta.services['frontend']?.spans);
  });

  it('/api/metrics table=slowest computes the slowest spans even when include leaves them out', async () => {
    const response = await get(metrics, '/api/metrics', 'service=frontend&lookback=2h&include=groups&format=csv&table=slowest');
    expect(response.status).toBe(200);
    const rows = records(await response.text());
    expect(rows.length).toBeGreaterThan(0);
    const durations = rows.map((row) => Number(row['durationUs']));
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(rows.every((row) => row['service'] === 'frontend')).toBe(true);
  });

  it('/api/dependencies: the edges table equals the JSON edges', async () => {
    const json = (await (await get(dependencies, '/api/dependencies', 'lookback=2h')).json()) as DependenciesResponse;
    const response = await get(dependencies, '/api/dependencies', 'lookback=2h&format=csv');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`filename="spanlens-dependencies-service-edges-${FILE_TIME}-${FILE_TIME}\\.csv"`),
    );
    const rows = records(await response.text());
    expect(json.edges.length).toBeGreaterThan(0);
    expect(rows.map((row) => [row['parent'], row['child'], Number(row['calls']), Number(row['p95Us'])])).toEqual(
      json.edges.map((edge) => [edge.parent, edge.child, edge.calls, edge.p95Us]),
    );
  });
});

describe('format=csv on the BubbleUp, LLM and quality routes', () => {
  it('/api/bubbleup: the attributes, most significant first, equal the JSON', async () => {
    const search = 'service=frontend&lookback=2h&cohort=errors';
    const json = (await (await get(bubbleup, '/api/bubbleup', search)).json()) as {
      query: string;
      attributes: { key: string; value: string; cohortCount: number; pValue: number; significant: boolean }[];
    };
    expect(json.attributes.length).toBeGreaterThan(0);
    // The panel's button sends the answer's own canonical query back with format=csv.
    const response = await get(bubbleup, '/api/bubbleup', `${json.query}&format=csv`);
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`filename="spanlens-bubbleup-frontend-attributes-${FILE_TIME}-${FILE_TIME}\\.csv"`),
    );
    const rows = records(await response.text());
    expect(rows.map((row) => [row['key'], row['value'], Number(row['cohortCount']), Number(row['pValue']), row['significant']])).toEqual(
      json.attributes.map((a) => [a.key, a.value, a.cohortCount, a.pValue, String(a.significant)]),
    );
  });

  it('/api/llm: one record per model, and the spenders table by request', async () => {
    const json = (await (await get(llm, '/api/llm', 'lookback=2h')).json()) as {
      query: string;
      models: { model: string; calls: number; totalTokens: number }[];
    };
    expect(json.models.length).toBeGreaterThan(0);
    // As the page's buttons do: the answer's canonical query, with format=csv.
    const rows = records(await (await get(llm, '/api/llm', `${json.query}&format=csv`)).text());
    expect(rows.map((row) => [row['model'], Number(row['calls']), Number(row['totalTokens'])])).toEqual(
      json.models.map((m) => [m.model, m.calls, m.totalTokens]),
    );
    expect((await (await get(llm, '/api/llm', 'lookback=2h&format=csv&table=spenders')).text()).split('\r\n')[0]).toMatch(
      /calls,errorCount,inputTokens/,
    );
  });

  it('/api/quality: one record per service', async () => {
    const json = (await (await get(quality, '/api/quality', 'lookback=2h')).json()) as {
      byService: { service: string; spans: number; problemShare: number }[];
    };
    const rows = records(await (await get(quality, '/api/quality', 'lookback=2h&format=csv')).text());
    expect(rows.map((row) => [row['service'], Number(row['spans']), Number(row['problemShare'])])).toEqual(
      json.byService.map((r) => [r.service, r.spans, r.problemShare]),
    );
    expect(rows.reduce((n, row) => n + Number(row['spans']), 0)).toBe(Object.values(meta.services).reduce((n, s) => n + s.spans, 0));
  });
});

describe('format=json', () => {
  it('answers the same JSON as a file, and without format the usual answer with no attachment', async () => {
    const file = await get(overview, '/api/overview', 'format=json');
    expect(file.headers.get('content-type')).toContain('application/json');
    expect(file.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="spanlens-overview-${FILE_TIME}-${FILE_TIME}\\.json"$`),
    );
    expect(((await file.json()) as { services: unknown[] }).services).toHaveLength(Object.keys(meta.services).length);
    expect((await get(overview, '/api/overview', '')).headers.get('content-disposition')).toBeNull();
  });

  it('format wins over stream=1: a download is the finished table, not NDJSON', async () => {
    const response = await get(overview, '/api/overview', 'stream=1&format=csv');
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect((await response.text()).startsWith('service,count,')).toBe(true);
  });
});

describe('bad format or table', () => {
  it.each([
    ['/api/overview', 'format=xlsx', 'format', 'format must be one of csv, json'],
    ['/api/overview', 'format=csv&table=edges', 'table', 'table must be one of services, slowest, latestErrors, errorGroups'],
    ['/api/metrics', 'service=frontend&format=CSV', 'format', 'format must be one of csv, json'],
    ['/api/metrics', 'service=frontend&format=csv&table=heatmap', 'table', 'table must be one of groups, slowest, errors'],
    ['/api/dependencies', 'format=tsv', 'format', 'format must be one of csv, json'],
    ['/api/llm', 'format=csv&table=attributes', 'table', 'table must be one of models, spenders'],
    ['/api/quality', 'format=pdf', 'format', 'format must be one of csv, json'],
  ] as const)('%s?%s → 400 naming %s', async (path, search, field, message) => {
    const route = { '/api/overview': overview, '/api/metrics': metrics, '/api/dependencies': dependencies, '/api/llm': llm, '/api/quality': quality }[
      path
    ];
    const response = await get(route, path, search);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_query', field, message } });
  });
});
