import { defineMetric, type MetricAccumulator, type SpanVisit } from './metric.ts';
import type { TimeBuckets } from './timeline.ts';
import type { Heatmap, HeatmapCell } from './types.ts';

const ROWS_PER_DECADE = 10;
const DECADES = 14; // up to 10^14 µs ≈ 3 years: no real span is longer

/**
 * Duration row edges: 0, 1, …, 10 µs, then ⌈10^(k/10)⌉ (10 rows per decade). Durations are integer
 * µs, and for an integer d, d ≥ 10^x ⇔ d ≥ ⌈10^x⌉, so integer edges bin exactly like the real
 * log-spaced ones; below 10 µs each integer gets its own row instead of rows that could hold none.
 */
export const HEATMAP_EDGES_US: readonly number[] = [
  0,
  ...Array.from({ length: 10 }, (_, i) => i + 1),
  ...Array.from({ length: ROWS_PER_DECADE * (DECADES - 1) }, (_, i) => Math.ceil(10 ** ((ROWS_PER_DECADE + 1 + i) / ROWS_PER_DECADE))),
];

/** The row whose [edge, nextEdge) holds the duration: binary search for the last edge ≤ d. */
export function durationRow(durationUs: number): number {
  let low = 0;
  let high = HEATMAP_EDGES_US.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((HEATMAP_EDGES_US[mid] as number) <= durationUs) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Cell key → count as flat [key, count, key, count, …] pairs. */
type HeatmapState = Float64Array;

/** Cell counts keyed by time bucket × global duration row. */
class HeatmapAccumulator implements MetricAccumulator<HeatmapState, { readonly heatmap: Heatmap }> {
  readonly cells = new Map<number, number>();
  private readonly buckets: TimeBuckets;

  constructor(buckets: TimeBuckets, state?: HeatmapState) {
    this.buckets = buckets;
    if (state) for (let i = 0; i < state.length; i += 2) this.addCount(state[i] as number, state[i + 1] as number);
  }

  private addCount(key: number, count: number): void {
    this.cells.set(key, (this.cells.get(key) ?? 0) + count);
  }

  addSpan({ span, bucket }: SpanVisit): void {
    this.addCount(bucket * HEATMAP_EDGES_US.length + durationRow(span.durationUs), 1);
  }

  merge(other: HeatmapAccumulator): void {
    for (const [key, count] of other.cells) this.addCount(key, count);
  }

  toState(): HeatmapState {
    return Float64Array.from([...this.cells].flat());
  }

  /** Rows are trimmed to the range that holds spans; cells are non-empty only, time-major order. */
  finish(): { readonly heatmap: Heatmap } {
    const buckets = this.buckets;
    const rows = HEATMAP_EDGES_US.length;
    const timeStartsUs = Array.from({ length: buckets.count }, (_, i) => buckets.startUs + i * buckets.widthUs);
    let minRow = Infinity;
    let maxRow = -Infinity;
    for (const key of this.cells.keys()) {
      minRow = Math.min(minRow, key % rows);
      maxRow = Math.max(maxRow, key % rows);
    }
    if (minRow === Infinity) return { heatmap: { bucketWidthUs: buckets.widthUs, timeStartsUs, durationEdgesUs: [], cells: [] } };
    const cells: HeatmapCell[] = [...this.cells.entries()]
      .sort(([a], [b]) => a - b)
      .map(([key, count]) => ({ timeIndex: Math.floor(key / rows), durationIndex: (key % rows) - minRow, count }));
    // One edge more than the rows used closes the last row; the top row is open-ended.
    const durationEdgesUs = HEATMAP_EDGES_US.slice(minRow, maxRow + 2);
    if (maxRow + 1 >= rows) durationEdgesUs.push(Number.MAX_SAFE_INTEGER);
    return { heatmap: { bucketWidthUs: buckets.widthUs, timeStartsUs, durationEdgesUs, cells } };
  }
}

export const heatmapMetric = defineMetric({
  definition: 'Counted spans per time bucket × log-spaced duration row (10 rows per decade; every µs below 10 µs its own row).',
  create: (context, state?: HeatmapState) => new HeatmapAccumulator(context.buckets, state),
  buffers: (state) => [state.buffer],
});
