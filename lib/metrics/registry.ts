import { criticalPathMetric } from './critical-path-metric.ts';
import { dependenciesMetric } from './dependencies.ts';
import { errorsMetric } from './errors.ts';
import { groupsMetric } from './group-accumulator.ts';
import { heatmapMetric } from './heatmap.ts';
import { llmMetric } from './llm.ts';
import type { MetricDefinition } from './metric.ts';
import { selfTimeMetric } from './self-time.ts';
import { slowestMetric } from './slowest.ts';
import { traceQualityMetric } from './trace-quality.ts';

/**
 * Every metric the aggregator can compute, by the name a query asks for it with (`include=`). A new
 * metric is one file exporting a MetricDefinition plus one line here.
 */
export const METRICS = {
  groups: groupsMetric,
  heatmap: heatmapMetric,
  slowest: slowestMetric,
  errors: errorsMetric,
  selfTime: selfTimeMetric,
  dependencies: dependenciesMetric,
  traceQuality: traceQualityMetric,
  llm: llmMetric,
  criticalPath: criticalPathMetric,
} as const;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as readonly MetricName[];

type OutputOf<D> = D extends MetricDefinition<infer _State, infer Output> ? Output : never;
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** The result fields a set of metrics produces, e.g. MetricsOf<'groups'> = { spansCounted, groups, timeline }. */
export type MetricsOf<N extends MetricName> = UnionToIntersection<OutputOf<(typeof METRICS)[N]>>;
/** Every metric's state by name, as a worker posts it. */
export type MetricStates = { readonly [N in MetricName]?: (typeof METRICS)[N] extends MetricDefinition<infer State, object> ? State : never };
