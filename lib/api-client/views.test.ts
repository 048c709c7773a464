import { afterEach, describe, expect, it, vi } from 'vitest';
import { createView } from './views.ts';

afterEach(() => vi.unstubAllGlobals());

const keyOf = (init: RequestInit | undefined) => (init?.headers as Record<string, string>)['idempotency-key'];
const saved = { view: { id: 'abc', name: 'v', query: '', path: '/', createdAt: 'x', updatedAt: 'x' } };

describe('createView', () => {
  it('sends a fresh Idempotency-Key per call', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => Response.json(saved, { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    await createView({ name: 'v', query: '' });
    await createView({ name: 'v', query: '' });
    const [first, second] = fetch.mock.calls.map(([, init]) => keyOf(init));
    expect(first).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(second).not.toBe(first);
  });

  it('retries once, with the same key, when the server could not be reached', async () => {
    const fetch = vi
      .fn(async (_url: string, _init?: RequestInit) => Response.json(saved, { status: 200 }))
      .mockRejectedValueOnce(new TypeError('fetch failed'));
    vi.stubGlobal('fetch', fetch);
    await expect(createView({ name: 'v', query: '' }, 1)).resolves.toEqual(saved);
    expect(fetch).toHaveBeenCalledTimes(2);
    const [first, second] = fetch.mock.calls.map(([, init]) => keyOf(init));
    expect(second).toBe(first);
  });

  it('does not retry an answer the server gave (a 400 or 409)', async () => {
    const fetch = vi.fn(async () => Response.json({ error: { code: 'idempotency_key_reused', message: 'used' } }, { status: 409 }));
    vi.stubGlobal('fetch', fetch);
    await expect(createView({ name: 'v', query: '' }, 1)).rejects.toMatchObject({ status: 409 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
