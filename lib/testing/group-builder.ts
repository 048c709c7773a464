import type { DurationStats, GroupMetrics, Percentile } from '../metrics/types.ts';

/** A percentile with a 95% interval around it, or `null` for one from too few spans. */
export function aPercentile(valueUs: number, interval: Percentile['interval'] = { lowerUs: valueUs, upperUs: valueUs }): Percentile {
  return { valueUs, interval };
}

/**
 * A GroupMetrics row for presentational tests: only what the test names is set; every other figure
 * is a plain constant, so tables and charts get well-formed props without an aggregation run.
 */
export function aGroup(fields: {
  readonly operation: string;
  readonly count: number;
  readonly errorCount?: number;
  readonly ratePerSecond?: number;
  readonly p50Us?: number;
  readonly p95Us?: number;
  readonly p99Us?: number;
}): GroupMetrics {
  const errorCount = fields.errorCount ?? 0;
  const p50Us = fields.p50Us ?? 1_000;
  const p95Us = fields.p95Us ?? p50Us;
  const p99Us = fields.p99Us ?? p95Us;
  const durations: DurationStats = {
    count: fields.count,
    minUs: p50Us,
    meanUs: p50Us,
    maxUs: p99Us,
    p50: aPercentile(p50Us),
    p90: aPercentile(p95Us),
    p95: aPercentile(p95Us),
    p99: aPercentile(p99Us),
  };
  return {
    key: `svc\u0000${fields.operation}`,
    service: 'svc',
    operation: fields.operation,
    tags: {},
    count: fields.count,
    errorCount,
    errorRate: fields.count === 0 ? 0 : errorCount / fields.count,
    ratePerSecond: fields.ratePerSecond ?? fields.count / 3_600,
    durations,
    timeline: [],
  };
}
