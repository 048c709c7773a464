/**
 * The exporter's cardinality guard: at most `cap` label-value combinations per metric. A new
 * combination past the cap has every label not in the metric's `keep` list replaced by `other`
 * (spanmetrics keeps service, kind and status, whose values are few; everything else folds), and is
 * counted as folded. Memory: per metric, the cap plus the folded combinations of the kept labels.
 */
export const FOLDED_LABEL_VALUE = 'other';

export interface GuardedMetric {
  readonly name: string;
  readonly labelNames: readonly string[];
  /** Labels whose values survive folding. */
  readonly keep: readonly string[];
}

export class LabelGuard {
  private readonly seen = new Map<string, Set<string>>();
  private readonly foldedCounts = new Map<string, number>();

  private readonly cap: number;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`the label-value cap must be a whole number ≥ 1, got ${cap}`);
    this.cap = cap;
  }

  /** The values to export for `values` (in labelNames order): themselves, or folded past the cap. */
  admit(metric: GuardedMetric, values: readonly string[]): readonly string[] {
    let seen = this.seen.get(metric.name);
    if (seen === undefined) {
      seen = new Set();
      this.seen.set(metric.name, seen);
    }
    const key = values.join('\u0000');
    if (seen.has(key)) return values;
    if (seen.size < this.cap) {
      seen.add(key);
      return values;
    }
    this.foldedCounts.set(metric.name, (this.foldedCounts.get(metric.name) ?? 0) + 1);
    const folded = values.map((value, index) => (metric.keep.includes(metric.labelNames[index] as string) ? value : FOLDED_LABEL_VALUE));
    seen.add(folded.join('\u0000'));
    return folded;
  }

  /** Observations folded into `other`, per metric. */
  folded(): ReadonlyMap<string, number> {
    return this.foldedCounts;
  }

  /** Distinct label-value combinations exported, per metric. */
  labelSets(): ReadonlyMap<string, number> {
    return new Map([...this.seen].map(([name, set]) => [name, set.size]));
  }
}
