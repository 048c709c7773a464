/**
 * A growable list of numbers. Exact percentiles keep every duration, so pushes must be cheap: a
 * plain packed array grows in place (measured faster than a doubling Float64Array, whose zero-filled
 * reallocations showed up in profiles). States for worker threads convert to Float64Array, whose
 * buffer transfers without a copy.
 */
export class FloatList {
  private readonly data: number[] = [];

  static from(values: ArrayLike<number>): FloatList {
    const list = new FloatList();
    for (let i = 0; i < values.length; i++) list.data.push(values[i] as number);
    return list;
  }

  get length(): number {
    return this.data.length;
  }

  push(value: number): void {
    this.data.push(value);
  }

  append(other: FloatList): void {
    const data = this.data;
    for (const value of other.data) data.push(value);
  }

  /** The live values (no copy). */
  view(): readonly number[] {
    return this.data;
  }

  toFloat64Array(): Float64Array {
    return Float64Array.from(this.data);
  }

  /** A sorted copy, ascending (Float64Array sorts numerically). */
  sorted(): Float64Array {
    return Float64Array.from(this.data).sort();
  }
}
