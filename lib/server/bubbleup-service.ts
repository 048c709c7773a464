import type { BubbleUpResponse } from '../http/bubbleup-types.ts';
import { BUBBLEUP_DEFINITIONS, createBubbleUp, type ResolvedCohortCondition } from '../metrics/bubbleup.ts';
import { formatCohort, type CohortCondition } from '../query/cohort.ts';
import { serializeQuery, type BubbleupQuery } from '../query/dashboard-query.ts';
import { countedSpansOptions, metricsDefinitions, traceSearchFor } from './metrics-service.ts';
import { computeSharedMetrics, type SharedMetricsContext } from './shared-metrics.ts';
import type { ResolvedSource } from './sources.ts';

/** The query without its cohorts: what the metrics service and serializeQuery take. */
function withoutCohorts(query: BubbleupQuery): Omit<BubbleupQuery, 'cohort' | 'baselineCohort'> {
  const { cohort: _cohort, baselineCohort: _baselineCohort, ...data } = query;
  return data;
}

/**
 * `slowerThan:pN` → `minDuration:(pN + 1 µs)`: durations are whole µs, so "longer than" the exact
 * nearest-rank percentile is "at least one µs more". The percentile comes from the metrics service
 * over the same query (one group: the service), so it is the number the dashboard shows.
 */
async function resolveCohorts(
  query: BubbleupQuery,
  resolved: ResolvedSource,
  context: SharedMetricsContext,
): Promise<{ cohort: ResolvedCohortCondition[]; baselineCohort: ResolvedCohortCondition[] | undefined }> {
  const percentiles = [...query.cohort, ...(query.baselineCohort ?? [])].some((condition) => condition.kind === 'slowerThan')
    ? (
        await computeSharedMetrics({ ...withoutCohorts(query), groupBy: ['service'], include: ['groups'] }, resolved, {
          nowMs: context.nowMs,
          maxTraces: context.maxTraces,
          resultCacheTtlMs: context.resultCacheTtlMs,
          signal: context.signal,
        })
      ).groups?.[0]?.durations
    : undefined;
  const resolve = (condition: CohortCondition): ResolvedCohortCondition => {
    if (condition.kind !== 'slowerThan') return condition;
    // No counted span: no percentile, and no span can be slower than it.
    const valueUs = percentiles?.[condition.percentile].valueUs;
    return { kind: 'minDuration', durationUs: valueUs === undefined ? Number.MAX_SAFE_INTEGER : valueUs + 1 };
  };
  return { cohort: query.cohort.map(resolve), baselineCohort: query.baselineCohort?.map(resolve) };
}

/**
 * BubbleUp over one query's window: the query's search (metrics-service traceSearchFor), every batch
 * tallied as it arrives and dropped (lib/metrics/bubbleup.ts keeps counts, never spans), then the
 * tests. A `slowerThan` condition (in the cohort or the baseline) reads the window once more first, for its percentile.
 */
export async function computeBubbleUp(query: BubbleupQuery, resolved: ResolvedSource, context: SharedMetricsContext): Promise<BubbleUpResponse> {
  const search = traceSearchFor(query, context);
  const { cohort, baselineCohort } = await resolveCohorts(query, resolved, context);
  const bubbleUp = createBubbleUp({ ...countedSpansOptions(query, search), cohort, baselineCohort });
  const coverage = await resolved.source.searchTraces(
    search,
    (traces) => {
      for (const trace of traces) bubbleUp.addTrace(trace);
    },
    { signal: context.signal },
  );
  const cohortSpec = formatCohort(query.cohort);
  const params = new URLSearchParams(serializeQuery(withoutCohorts(query)));
  params.append('cohort', cohortSpec);
  if (query.baselineCohort !== undefined) params.append('baselineCohort', formatCohort(query.baselineCohort));
  return {
    ...bubbleUp.finish(),
    source: resolved.info,
    query: params.toString(),
    cohort: {
      spec: cohortSpec,
      resolved: formatCohort(cohort),
      ...(baselineCohort !== undefined && { baseline: formatCohort(baselineCohort) }),
    },
    windowStartUs: search.startUs,
    windowEndUs: search.endUs,
    coverage,
    definitions: { ...BUBBLEUP_DEFINITIONS, errorRule: metricsDefinitions(query.clientErrors, []).errorRule },
  };
}
