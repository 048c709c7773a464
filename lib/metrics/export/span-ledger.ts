/**
 * The exporter's memory of spans it has already counted, so a span seen again (a later pass re-reading
 * the late horizon, a retried interval, the same span sent twice) is never counted twice.
 *
 * Only spans whose end lies in the horizon a later pass re-reads need remembering: `prune` forgets
 * everything that ended before it. The cap bounds memory whatever the traffic: past it the spans that
 * ended first are forgotten and `floorUs` rises past them, and callers must not count a span that ended
 * before `floorUs` (it can no longer be told apart from one already counted). Pure: no clock, no I/O.
 */
export class SpanLedger {
  private readonly endUsById = new Map<string, number>();
  private floor = Number.NEGATIVE_INFINITY;
  private evictedCount = 0;

  private readonly cap: number;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`the ledger cap must be a whole number ≥ 1, got ${cap}`);
    this.cap = cap;
  }

  static key(traceId: string, spanId: string): string {
    return `${traceId}:${spanId}`;
  }

  has(key: string): boolean {
    return this.endUsById.has(key);
  }

  /** Remembers a counted span; over the cap, forgets the earliest-ending tenth and raises the floor past them. */
  add(key: string, endUs: number): void {
    this.endUsById.set(key, endUs);
    if (this.endUsById.size > this.cap) this.evictEarliest(Math.max(1, Math.ceil(this.cap / 10)));
  }

  /** Forgets spans that ended before `beforeUs`: no later pass reads that far back. */
  prune(beforeUs: number): void {
    for (const [key, endUs] of this.endUsById) if (endUs < beforeUs) this.endUsById.delete(key);
  }

  /** Spans ending before this may have been counted and forgotten: not to be counted again. */
  get floorUs(): number {
    return this.floor;
  }

  get size(): number {
    return this.endUsById.size;
  }

  /** Spans forgotten because of the cap (not by prune). */
  get evicted(): number {
    return this.evictedCount;
  }

  private evictEarliest(count: number): void {
    const ends = [...this.endUsById.values()].sort((a, b) => a - b);
    // Everything ending at or before the count-th earliest end goes, so the floor splits no equal ends.
    const cutUs = ends[Math.min(count, ends.length) - 1] as number;
    for (const [key, endUs] of this.endUsById) {
      if (endUs <= cutUs) {
        this.endUsById.delete(key);
        this.evictedCount += 1;
      }
    }
    this.floor = Math.max(this.floor, cutUs + 1);
  }
}
