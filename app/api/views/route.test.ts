import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** POST /api/views with an Idempotency-Key, called as Next calls it. Env is set before the route loads (lib/env reads it once). */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-views-route-'));
let route: typeof import('./route');
const dbPathBefore = process.env.SPANLENS_DB_PATH;

beforeAll(async () => {
  process.env.SPANLENS_DB_PATH = join(dir, 'views.sqlite');
  delete (globalThis as { __spanlensViews?: unknown }).__spanlensViews;
  route = await import('./route');
});
afterAll(() => {
  if (dbPathBefore === undefined) delete process.env.SPANLENS_DB_PATH;
  else process.env.SPANLENS_DB_PATH = dbPathBefore;
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, key?: string) =>
  route.POST(
    new Request('http://spanlens.test/api/views', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
    }),
  );
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });
const viewCount = async () => ((await json(await route.GET())).body.views as unknown[]).length;

describe('POST /api/views with Idempotency-Key', () => {
  it('a retried POST with the same key and body answers 200 with the first view, creating no second one', async () => {
    const before = await viewCount();
    const first = await json(await post({ name: 'Checkout', query: 'service=api' }, 'retry-1'));
    expect(first.status).toBe(201);
    // The same view, typed differently (spacing, a leading ?): still the same request.
    const again = await json(await post({ query: '?service=api', name: ' Checkout ' }, 'retry-1'));
    expect(again).toEqual({ status: 200, body: first.body });
    expect(await viewCount()).toBe(before + 1);
  });

  it('the same key with a different body answers 409 with a sentence, creating nothing', async () => {
    await post({ name: 'Errors', query: 'service=api' }, 'retry-2');
    const before = await viewCount();
    const conflict = await json(await post({ name: 'Something else', query: 'service=api' }, 'retry-2'));
    expect(conflict).toEqual({
      status: 409,
      body: {
        error: {
          code: 'idempotency_key_reused',
          message: 'This Idempotency-Key was already used to save a different view; send a new key for a new view.',
          field: 'Idempotency-Key',
        },
      },
    });
    expect(await viewCount()).toBe(before);
  });

  it('without a key every POST creates a view, as before', async () => {
    const before = await viewCount();
    expect((await post({ name: 'Twice', query: '' })).status).toBe(201);
    expect((await post({ name: 'Twice', query: '' })).status).toBe(201);
    expect(await viewCount()).toBe(before + 2);
  });

  it.each([['x'.repeat(201)], ['has space']])('answers 400 naming the header for the key %j', async (key) => {
    const answer = await json(await post({ name: 'v', query: '' }, key));
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_idempotency_key', field: 'Idempotency-Key' } } });
  });

  it('takes a key of 200 characters', async () => {
    expect((await post({ name: 'Long key', query: '' }, 'k'.repeat(200))).status).toBe(201);
  });
});
