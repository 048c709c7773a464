/**
 * A short-lived cache of Jaeger answers keyed by the normalised query. Several panels of one dashboard,
 * and a refresh within seconds, ask the same question; Jaeger's memory store answers a search by walking
 * every stored trace (tenant.go), so asking once is worth it. Entries are few and short-lived because
 * trace searches can be large: expired entries go on read, the oldest go when the cache is full.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number; size: number }>();
  private totalSize = 0;

  /**
   * @param maxTotalSize bound on the sum of the sizes given to `set` (the client passes body length),
   *   so that a few huge trace searches cannot pin hundreds of megabytes for the TTL.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 128,
    private readonly now: () => number = Date.now,
    private readonly maxTotalSize = Number.POSITIVE_INFINITY,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, size = 0): void {
    if (!this.enabled || size > this.maxTotalSize) return;
    this.delete(key);
    this.entries.set(key, { value, expiresAtMs: this.now() + this.ttlMs, size });
    this.totalSize += size;
    // Map iteration is insertion order, so the first key is the oldest entry.
    while (this.entries.size > this.maxEntries || this.totalSize > this.maxTotalSize) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.totalSize -= entry.size;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.totalSize = 0;
  }
}
