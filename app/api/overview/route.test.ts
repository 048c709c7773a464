import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse, OverviewStreamLine } from '@/lib/http/api-types';

/** `/api/overview` in demo mode on the bundled data set: every service, exactly as its meta record counts. */

const meta = JSON.parse(readFileSync('lib/demo/demo-meta.json', 'utf8')) as { services: Record<string, { spans: number; traces: number }> };
let route: typeof import('./route');
const get = (search: string) => route.GET(new Request(`http://spanlens.test/api/overview${search}`));

beforeAll(async () => {
  delete process.env.JAEGER_URL;
  delete process.env.SPANLENS_DATA_FILE;
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  route = await import('./route');
});

describe('GET /api/overview', () => {
  it('answers every demo service with its exact span count over the last hour', async () => {
    const response = await get('');
    expect(response.status).toBe(200);
    const body = (await response.json()) as OverviewResponse;
    expect(body.source.mode).toBe('demo');
    expect(Object.fromEntries(body.services.map((row) => [row.service, row.count]))).toEqual(
      Object.fromEntries(Object.entries(meta.services).map(([service, { spans }]) => [service, spans])),
    );
    expect(body.totals.count).toBe(Object.values(meta.services).reduce((n, s) => n + s.spans, 0));
    for (const row of body.services) expect(row.coverage).toMatchObject({ complete: true, limit: 500 });
  });

  it.each([
    ['lookback=banana', 'lookback'],
    ['start=2026-11-23T09:00:00Z', 'end'],
    ['limit=0', 'limit'],
    ['source=elsewhere', 'source'],
  ])('answers ?%s with 400 naming %s', async (search, field) => {
    const response = await get(`?${search}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', field } });
  });

  it('ignores params it does not read (service, sort, filter)', async () => {
    expect((await get('?service=nope&sort=banana&filter=x')).status).toBe(200);
  });

  it('streams the service list, a line per service, then the result', async () => {
    const response = await get('?stream=1');
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OverviewStreamLine);
    const services = Object.keys(meta.services).sort();
    expect(lines[0]).toEqual({ type: 'services', services });
    const rows = lines.filter((line) => line.type === 'service');
    expect(rows.map((line) => line.row.service).sort()).toEqual(services);
    expect(rows.map((line) => line.done)).toEqual(services.map((_, i) => i + 1));
    expect(lines.at(-1)?.type).toBe('result');
    expect(lines).toHaveLength(services.length + 2);
  });
});
