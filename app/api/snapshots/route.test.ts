import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotInfo } from '@/lib/http/snapshot-types';

/** /api/snapshots in demo mode: a snapshot holds the demo's exact counts, lists, opens and deletes; bad requests are 4xx. */

const meta = JSON.parse(readFileSync('lib/demo/demo-meta.json', 'utf8')) as { services: Record<string, { spans: number }> };
const dir = mkdtempSync(join(tmpdir(), 'spanlens-snapshots-route-'));
const dbPathBefore = process.env.SPANLENS_DB_PATH;
let collection: typeof import('./route');
let one: typeof import('./[id]/route');

beforeAll(async () => {
  process.env.SPANLENS_DB_PATH = join(dir, 'views.sqlite');
  delete process.env.JAEGER_URL;
  delete process.env.SPANLENS_DATA_FILE;
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  delete (globalThis as { __spanlensSnapshots?: unknown }).__spanlensSnapshots;
  [collection, one] = await Promise.all([import('./route'), import('./[id]/route')]);
});
afterAll(() => {
  if (dbPathBefore === undefined) delete process.env.SPANLENS_DB_PATH;
  else process.env.SPANLENS_DB_PATH = dbPathBefore;
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string, key?: string) =>
  collection.POST(
    new Request('http://spanlens.test/api/snapshots', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
    }),
  );
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const getOne = async (id: string) => json(await one.GET(new Request(`http://spanlens.test/api/snapshots/${id}`), params(id)));
const list = async () => ((await json(await collection.GET())).body as { snapshots: SnapshotInfo[] }).snapshots;

describe('POST /api/snapshots', () => {
  it('freezes a drill-down: the stored groups count every frontend span of the demo, with coverage and the source', async () => {
    const created = await json(await post(JSON.stringify({ query: '?service=frontend&lookback=2h', path: '/operation' })));
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    expect(created.body).toEqual({ id, url: `/s/${id}` });
    const stored = (await getOne(id)).body as unknown as Snapshot;
    expect(stored).toMatchObject({
      id,
      path: '/operation',
      query: 'service=frontend&lookback=2h',
      kind: 'metrics',
      source: { mode: 'demo', label: 'Demo data set' },
    });
    expect(stored.coverage.complete).toBe(true);
    if (stored.result.kind !== 'metrics') throw new Error('expected a metrics snapshot');
    expect(stored.result.data.include).toEqual(['groups', 'heatmap', 'slowest']);
    expect((stored.result.data.groups ?? []).reduce((n, group) => n + group.count, 0)).toBe(meta.services['frontend']?.spans);
    expect(stored.windowEndUs - stored.windowStartUs).toBe(2 * 3_600_000_000);
  });

  it('freezes the services home (path defaults to /) and the map', async () => {
    const home = await json(await post(JSON.stringify({ query: 'lookback=2h' })));
    expect(home.status).toBe(201);
    const homeSnapshot = (await getOne(String(home.body['id']))).body as unknown as Snapshot;
    if (homeSnapshot.result.kind !== 'overview') throw new Error('expected an overview snapshot');
    expect(homeSnapshot.result.data.services.map((row) => [row.service, row.count])).toEqual(
      Object.entries(meta.services).map(([service, { spans }]) => [service, spans]),
    );
    const map = await json(await post(JSON.stringify({ query: 'lookback=2h&level=service', path: '/map' })));
    const mapSnapshot = (await getOne(String(map.body['id']))).body as unknown as Snapshot;
    expect(mapSnapshot).toMatchObject({ kind: 'dependencies', query: 'lookback=2h' });
    if (mapSnapshot.result.kind !== 'dependencies') throw new Error('expected a dependencies snapshot');
    expect(mapSnapshot.result.data.edges.length).toBeGreaterThan(0);
  });

  it.each([
    ['not json', 400, 'invalid_json', 'body'],
    ['{"query":5}', 400, 'invalid_request', 'query'],
    ['{"query":"service=frontend","path":"//evil.example/phish"}', 400, 'invalid_request', 'path'],
    ['{"query":"","path":"/upload"}', 400, 'invalid_request', 'path'],
    ['{"query":"service=frontend&lookback=banana"}', 400, 'invalid_query', 'lookback'],
    ['{"query":"lookback=1h","path":"/operation"}', 400, 'invalid_query', 'service'],
    [JSON.stringify({ query: 'x'.repeat(8_001) }), 400, 'invalid_request', 'query'],
  ])('%s → %i %s naming %s', async (body, status, code, field) => {
    const before = (await list()).length;
    const answer = await json(await post(body));
    expect(answer.status).toBe(status);
    expect(answer.body['error']).toMatchObject({ code, field });
    expect((await list()).length).toBe(before);
  });

  it('a retried POST with the same Idempotency-Key answers 200 with the first id; another request under it 409', async () => {
    const body = JSON.stringify({ query: 'service=frontend&lookback=2h', path: '/errors' });
    const first = await json(await post(body, 'share-1'));
    expect(first.status).toBe(201);
    const before = (await list()).length;
    expect(await json(await post(body, 'share-1'))).toEqual({ status: 200, body: first.body });
    expect((await json(await post(JSON.stringify({ query: 'service=route&lookback=2h', path: '/errors' }), 'share-1'))).status).toBe(409);
    expect((await list()).length).toBe(before);
  });
});

describe('GET and DELETE /api/snapshots/{id}', () => {
  it('lists snapshots newest first without their results, and deletes one', async () => {
    const created = await json(await post(JSON.stringify({ query: 'service=route&lookback=2h' })));
    const id = String(created.body['id']);
    const listed = await list();
    expect(listed[0]).toMatchObject({ id, path: '/', kind: 'metrics', source: { mode: 'demo' } });
    expect(listed[0]?.bytes).toBeGreaterThan(0);
    expect(listed[0]).not.toHaveProperty('result');
    expect(await json(await one.DELETE(new Request(`http://spanlens.test/api/snapshots/${id}`), params(id)))).toEqual({
      status: 200,
      body: { deleted: id },
    });
    expect((await getOne(id)).status).toBe(404);
    expect((await list()).some((snapshot) => snapshot.id === id)).toBe(false);
  });

  it('answers 404 naming the id for an unknown one, on GET and DELETE', async () => {
    expect(await getOne('nope')).toEqual({
      status: 404,
      body: { error: { code: 'snapshot_not_found', message: 'No snapshot has the id nope; it may have been deleted.', field: 'id' } },
    });
    expect((await one.DELETE(new Request('http://spanlens.test/api/snapshots/nope'), params('nope'))).status).toBe(404);
  });
});
