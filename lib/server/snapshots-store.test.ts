import { describe, expect, it } from 'vitest';
import type { Coverage, MetricsResponse } from '../http/api-types.ts';
import { HttpError } from '../http/http-error.ts';
import { SnapshotsStore, type NewSnapshot } from './snapshots-store.ts';

const coverage: Coverage = {
  api: 'legacy',
  tracesFetched: 3,
  spansReceived: 7,
  subWindows: 1,
  subWindowsAtLimit: 0,
  failedSubWindows: [],
  upstreamRequests: 1,
  complete: true,
  partial: false,
};

/** A stored result is opaque to the store: any metrics-shaped answer, `padding` to set its size. */
const snapshot = (padding = ''): NewSnapshot => ({
  path: '/operation',
  query: 'service=api&start=2026-12-01T00:00:00.000Z&end=2026-12-01T01:00:00.000Z',
  source: { mode: 'live', label: 'http://***@jaeger:16686' },
  windowStartUs: 1_796_083_200_000_000,
  windowEndUs: 1_796_086_800_000_000,
  coverage,
  result: { kind: 'metrics', data: { query: padding } as unknown as MetricsResponse },
});

const httpError = (run: () => unknown): HttpError => {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
};

describe('SnapshotsStore', () => {
  it('stores a snapshot and gives it back whole, with its size in bytes', () => {
    const store = new SnapshotsStore(':memory:');
    const info = store.create(snapshot('ü'), new Date('2026-12-02T00:00:00Z'));
    expect(info.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    // {"kind":"metrics","data":{"query":"ü"}}: 38 bytes of JSON around ü, which is 2 bytes in UTF-8.
    expect(info.bytes).toBe(40);
    expect(store.get(info.id)).toEqual({ ...info, ...snapshot('ü'), createdAt: '2026-12-02T00:00:00.000Z' });
    expect(store.list()).toEqual([info]);
  });

  it('lists newest first and deletes by id (an unknown id deletes nothing)', () => {
    const store = new SnapshotsStore(':memory:');
    const older = store.create(snapshot(), new Date('2026-12-01T00:00:00Z'));
    const newer = store.create(snapshot(), new Date('2026-12-02T00:00:00Z'));
    expect(store.list().map((s) => s.id)).toEqual([newer.id, older.id]);
    expect(store.delete('unknown')).toBe(false);
    expect(store.delete(older.id)).toBe(true);
    expect(store.get(older.id)).toBeNull();
    expect(store.list().map((s) => s.id)).toEqual([newer.id]);
  });

  it('refuses a result over the size cap with 413, and stores nothing', () => {
    const store = new SnapshotsStore(':memory:', { maxBytes: 100, maxCount: 10, maxTotalBytes: 1_000 });
    // 38 bytes of JSON around the padding: 62 make exactly the cap, 63 one byte over.
    expect(store.create(snapshot('x'.repeat(62))).bytes).toBe(100);
    const error = httpError(() => store.create(snapshot('x'.repeat(63))));
    expect([error.status, error.code]).toEqual([413, 'snapshot_too_large']);
    expect(store.list()).toHaveLength(1);
  });

  it('refuses a snapshot past the count or total-bytes cap with 409', () => {
    const byCount = new SnapshotsStore(':memory:', { maxBytes: 1_000, maxCount: 2, maxTotalBytes: 10_000 });
    byCount.create(snapshot());
    byCount.create(snapshot());
    expect(httpError(() => byCount.create(snapshot())).code).toBe('snapshots_full');
    const byBytes = new SnapshotsStore(':memory:', { maxBytes: 1_000, maxCount: 10, maxTotalBytes: 150 });
    byBytes.create(snapshot('x'.repeat(60)));
    expect(httpError(() => byBytes.create(snapshot('x'.repeat(60)))).status).toBe(409);
  });

  it('creates at most once per Idempotency-Key; the same key for another request is a conflict', () => {
    const store = new SnapshotsStore(':memory:');
    expect(store.lookupKey('k', 'hash-a')).toEqual({ kind: 'new' });
    const first = store.createOnce('k', 'hash-a', snapshot());
    expect(first.lookup).toEqual({ kind: 'new' });
    expect(store.lookupKey('k', 'hash-a')).toEqual({ kind: 'replayed', id: first.id });
    // Two requests raced with one key: the second finds the first's snapshot and stores nothing.
    expect(store.createOnce('k', 'hash-a', snapshot())).toEqual({ lookup: { kind: 'replayed', id: first.id }, id: first.id });
    expect(store.lookupKey('k', 'hash-b')).toEqual({ kind: 'conflict' });
    expect(store.list()).toHaveLength(1);
  });

  it('forgets a key after a day', () => {
    const store = new SnapshotsStore(':memory:');
    store.createOnce('k', 'hash-a', snapshot(), new Date('2026-12-01T00:00:00Z'));
    expect(store.lookupKey('k', 'hash-b', new Date('2026-12-02T00:00:01Z'))).toEqual({ kind: 'new' });
  });
});
