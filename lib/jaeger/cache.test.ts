import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.ts';

describe('TtlCache', () => {
  it('returns a value until its TTL has passed, then forgets it', () => {
    let nowMs = 1_000;
    const cache = new TtlCache<string>(500, 10, () => nowMs);
    cache.set('q', 'answer');
    nowMs = 1_499;
    expect(cache.get('q')).toBe('answer');
    nowMs = 1_500;
    expect(cache.get('q')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new TtlCache<number>(60_000, 2, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('keeps the total size within its bound, dropping the oldest, and skips an entry larger than it', () => {
    const cache = new TtlCache<string>(60_000, 100, () => 0, 10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    cache.set('c', 'C', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 'B', 'C']);
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('stores nothing when the TTL is 0', () => {
    const cache = new TtlCache<number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps null as a value (the client caches "no such trace")', () => {
    const cache = new TtlCache<string | null>(60_000, 10, () => 1_000);
    cache.set('missing-trace', null);
    expect(cache.get('missing-trace')).toBeNull();
    expect(cache.get('never-set')).toBeUndefined();
  });
});
