/**
 * A growable Float64Array: exact percentiles keep every duration, so the per-group store must be
 * compact (8 bytes a value) and cheap to ship between worker threads (transferable buffer).
 */
export class FloatList {
  private data: Float64Array;
  length = 0;

  constructor(initialCapacity = 16) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  static from(values: ArrayLike<number>): FloatList {
    const list = new FloatList(values.length);
    list.data.set(values);
    list.length = values.length;
    return list;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  append(other: FloatList): void {
    if (this.length + other.length > this.data.length) this.grow(this.length + other.length);
    this.data.set(other.view(), this.length);
    this.length += other.length;
  }

  /** The live values (no copy); valid until the next push. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  /** A sorted copy, ascending (Float64Array sorts numerically). */
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }

  private grow(minimum: number): void {
    const next = new Float64Array(Math.max(minimum, this.data.length * 2));
    next.set(this.view());
    this.data = next;
  }
}
