import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { ViewsStore } from './views-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'spanlens-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ViewsStore', () => {
  it('creates its folder and keeps views across a restart (a new store on the same file)', () => {
    const path = join(dir, 'nested', 'views.sqlite');
    const first = new ViewsStore(path);
    const saved = first.create({ name: 'Errors', query: 'service=api&view=errors', path: '/errors' }, new Date('2026-11-23T10:00:00Z'));
    first.close();

    const second = new ViewsStore(path);
    expect(second.list()).toEqual([saved]);
    expect(saved).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/),
      name: 'Errors',
      query: 'service=api&view=errors',
      path: '/errors',
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    });
    second.close();
  });

  it('lists by name regardless of case, renames with a new updatedAt, deletes', () => {
    const store = new ViewsStore(':memory:');
    const b = store.create({ name: 'beta', query: '', path: '/' });
    store.create({ name: 'Alpha', query: '', path: '/' });
    expect(store.list().map((view) => view.name)).toEqual(['Alpha', 'beta']);
    expect(store.rename(b.id, 'Gamma', new Date('2030-01-01T00:00:00Z'))).toMatchObject({ name: 'Gamma', updatedAt: '2030-01-01T00:00:00.000Z' });
    expect(store.delete(b.id)).toBe(true);
    expect(store.delete(b.id)).toBe(false);
    expect(store.rename(b.id, 'x')).toBeNull();
    expect(store.list().map((view) => view.name)).toEqual(['Alpha']);
  });

  it('stores names as data, never as SQL', () => {
    const store = new ViewsStore(':memory:');
    store.create({ name: "x'); DROP TABLE views; --", query: '', path: '/' });
    expect(store.list().map((view) => view.name)).toEqual(["x'); DROP TABLE views; --"]);
  });

  it('reports a corrupted row by view id and column instead of returning a wrong type', () => {
    const path = join(dir, 'corrupt.sqlite');
    const store = new ViewsStore(path);
    const saved = store.create({ name: 'Errors', query: '', path: '/' });
    const raw = new DatabaseSync(path);
    raw.prepare('UPDATE views SET name = ? WHERE id = ?').run(new Uint8Array([1, 2]), saved.id);
    raw.close();
    const message = `The saved view ${saved.id} in ${path} is corrupt: name: Invalid input: expected string, received Uint8Array`;
    expect(() => store.list()).toThrow(message);
    expect(() => store.get(saved.id)).toThrow(message);
    store.close();
  });
});
