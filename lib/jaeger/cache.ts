import { LRUCache } from 'lru-cache';

/**
 * A short-lived cache of Jaeger answers keyed by the normalised query. Several panels of one dashboard,
 * and a refresh within seconds, ask the same question; Jaeger's memory store answers a search by walking
 * every stored trace (tenant.go), so asking once is worth it. Entries are few and short-lived because
 * trace searches can be large: expired entries go on read, the oldest go when the cache is full. The
 * bookkeeping (TTL, count and size bounds) is lru-cache's; this class keeps the client's small interface.
 */
export class TtlCache<V> {
  /** Values are boxed because lru-cache stores no `undefined` or `null`, and the client caches `null` ("no such trace"). */
  private readonly lru: LRUCache<string, { readonly value: V }> | null;
  private readonly sized: boolean;

  /**
   * @param maxTotalSize bound on the sum of the sizes given to `set` (the client passes body length),
   *   so that a few huge trace searches cannot pin hundreds of megabytes for the TTL.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 128,
    now: () => number = Date.now,
    maxTotalSize = Number.POSITIVE_INFINITY,
  ) {
    this.sized = Number.isFinite(maxTotalSize);
    this.lru = this.enabled
      ? new LRUCache({
          max: maxEntries,
          ttl: ttlMs,
          // Read the clock on every check: lru-cache otherwise reuses a reading for ttlResolution ms.
          ttlResolution: 0,
          perf: { now },
          ...(this.sized ? { maxSize: Math.max(1, Math.floor(maxTotalSize)) } : {}),
        })
      : null;
  }

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get(key: string): V | undefined {
    if (!this.lru) return undefined;
    // lru-cache counts an entry stale once its age exceeds the TTL; ours expire when it reaches the TTL.
    if (this.lru.getRemainingTTL(key) <= 0) {
      this.lru.delete(key);
      return undefined;
    }
    // peek, not get: as before lru-cache, the oldest entry goes first when full, read or not.
    return this.lru.peek(key)?.value;
  }

  /** `size` counts toward `maxTotalSize`; an entry larger than that bound is not kept. */
  set(key: string, value: V, size = 0): void {
    if (!this.lru) return;
    // lru-cache wants sizes of at least 1 once it bounds them.
    this.lru.set(key, { value }, this.sized ? { size: Math.max(1, Math.ceil(size)) } : {});
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }

  clear(): void {
    this.lru?.clear();
  }
}
