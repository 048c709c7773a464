import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_TTL_MS, ViewsStore } from './views-store.ts';

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

  describe('createOnce (Idempotency-Key)', () => {
    const view = { name: 'Errors', query: 'service=api', path: '/errors' };
    const at = new Date('2026-11-23T10:00:00Z');

    it('creates once per key: the same key and view again is the first answer, and no second view', () => {
      const store = new ViewsStore(':memory:');
      const first = store.createOnce('key-1', view, at);
      expect(first.kind).toBe('created');
      const again = store.createOnce('key-1', view, new Date(at.getTime() + 60_000));
      expect(again).toEqual({ kind: 'replayed', view: first.kind === 'created' ? first.view : null });
      expect(store.list()).toHaveLength(1);
      // A different key is a different create.
      expect(store.createOnce('key-2', view, at).kind).toBe('created');
      expect(store.list()).toHaveLength(2);
    });

    it('answers a conflict for the same key with a different view, creating nothing', () => {
      const store = new ViewsStore(':memory:');
      store.createOnce('key-1', view, at);
      expect(store.createOnce('key-1', { ...view, name: 'Other' }, at)).toEqual({ kind: 'conflict' });
      expect(store.list().map((saved) => saved.name)).toEqual(['Errors']);
    });

    it('replays the view as first created even after it was renamed', () => {
      const store = new ViewsStore(':memory:');
      const first = store.createOnce('key-1', view, at);
      if (first.kind !== 'created') throw new Error('expected a create');
      store.rename(first.view.id, 'Renamed');
      expect(store.createOnce('key-1', view, at)).toEqual({ kind: 'replayed', view: first.view });
    });

    it('forgets keys older than a day, pruning them from the table', () => {
      const store = new ViewsStore(':memory:');
      store.createOnce('old', view, at);
      store.createOnce('recent', view, new Date(at.getTime() + IDEMPOTENCY_KEY_TTL_MS));
      expect(store.idempotencyKeyCount()).toBe(2);
      const later = new Date(at.getTime() + IDEMPOTENCY_KEY_TTL_MS + 1);
      // `old` is past its day: the same key is a new create now; `recent` is still remembered.
      expect(store.createOnce('old', view, later).kind).toBe('created');
      expect(store.createOnce('recent', view, later).kind).toBe('replayed');
      expect(store.idempotencyKeyCount()).toBe(2);
      expect(store.list()).toHaveLength(3);
    });

    it('keeps keys across a restart (a new store on the same file)', () => {
      const path = join(dir, 'keys.sqlite');
      const first = new ViewsStore(path);
      const created = first.createOnce('key-1', view, at);
      first.close();
      const second = new ViewsStore(path);
      expect(second.createOnce('key-1', view, at)).toEqual({ kind: 'replayed', view: created.kind === 'created' ? created.view : null });
      expect(second.list()).toHaveLength(1);
      second.close();
    });
  });
});
