import { beforeAll, describe, expect, it } from 'vitest';
import { createJaegerSource } from '../jaeger/jaeger-source.ts';
import type { Trace } from '../jaeger/span.ts';
import { aggregateResponseBytes } from '../pipeline/aggregate-bytes.ts';
import { createAggregationPool } from '../pipeline/parallel-aggregate.ts';
import { readSeedManifest, type HarnessManifest } from '../testing/jaeger-harness.ts';
import { requireTestEnv } from '../testing/post-otlp.ts';
import { SEED_SERVICES, buildSeedWorkload, summarizeSeedWorkload, type SeedSummary } from '../testing/seed/workload.ts';
import { aggregateTraces } from './aggregator.ts';
import type { AggregationOptions } from './types.ts';
import type { MetricsResult } from './aggregator.ts';

/**
 * lib/metrics and lib/pipeline on what the real Jaeger harness returns for the seeded workload
 * (lib/testing/seed/workload.ts, exact durations known): counts, errors, nearest-rank percentiles, LLM
 * usage and trace quality must equal the workload's own summary, whether the traces come through
 * the Jaeger TraceSource, as raw legacy bytes, as raw api_v3 bytes, or through worker threads.
 */

let manifest: HarnessManifest;
let summary: SeedSummary;
let jaegerUrl: string;
let window: AggregationOptions;
/** Every seeded trace, fetched once per service through the TraceSource and deduplicated. */
const tracesByService = new Map<string, Trace[]>();

beforeAll(async () => {
  manifest = readSeedManifest();
  summary = summarizeSeedWorkload(buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId }));
  jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
  window = {
    windowStartUs: manifest.startUs,
    windowEndUs: manifest.endUs,
    // Counts only this run's spans, should the harness Jaeger hold other data too.
    tags: { [manifest.runAttribute]: manifest.runId },
  };
  const source = createJaegerSource({
    baseUrl: jaegerUrl,
    api: 'legacy',
    timeoutMs: 30_000,
    maxConcurrency: 4,
    maxResponseBytes: 256 * 1024 * 1024,
    cacheTtlMs: 0,
  });
  for (const service of SEED_SERVICES) {
    const traces: Trace[] = [];
    const coverage = await source.searchTraces(
      { service, tags: { [manifest.runAttribute]: manifest.runId }, startUs: manifest.startUs, endUs: manifest.endUs, limit: 5_000 },
      (batch) => traces.push(...batch),
    );
    expect(coverage.complete).toBe(true);
    tracesByService.set(service, traces);
  }
});

function operationRows(result: MetricsResult) {
  return result.groups
    .map((g) => ({
      operation: g.operation,
      count: g.count,
      errorCount: g.errorCount,
      p50Us: g.durations.p50.valueUs,
      p95Us: g.durations.p95.valueUs,
      p99Us: g.durations.p99.valueUs,
      maxUs: g.durations.maxUs,
    }))
    .sort((a, b) => ((a.operation ?? '') < (b.operation ?? '') ? -1 : 1));
}

function expectedRows(service: string) {
  return summary.operations
    .filter((op) => op.service === service)
    .map(({ operation, count, errorCount, p50Us, p95Us, p99Us, maxUs }) => ({ operation, count, errorCount, p50Us, p95Us, p99Us, maxUs }));
}

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function legacySearchUrl(service: string): string {
  const params = new URLSearchParams({
    service,
    start: String(manifest.startUs),
    end: String(manifest.endUs),
    limit: '5000',
    tags: JSON.stringify({ [manifest.runAttribute]: manifest.runId }),
  });
  return `${jaegerUrl}/api/traces?${params}`;
}

function v3SearchUrl(service: string): string {
  // snake_case parameters work on every Jaeger v2; num_traces is required (jaeger-api.md §4).
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': new Date(Math.floor(manifest.startUs / 1_000)).toISOString(),
    'query.start_time_max': new Date(Math.ceil(manifest.endUs / 1_000) + 1).toISOString(),
    'query.num_traces': '5000',
  });
  return `${jaegerUrl}/api/v3/traces?${params}`;
}

describe('aggregateTraces on the seeded workload from the real Jaeger', () => {
  it.each(SEED_SERVICES)('gives exact counts, errors and p50/p95/p99/max per operation of %s', (service) => {
    const result = aggregateTraces(tracesByService.get(service) ?? [], { ...window, service });
    expect(operationRows(result)).toEqual(expectedRows(service));
    expect(result.spansCounted).toBe(summary.perService[service].spans);
    for (const group of result.groups) expect(group.errorRate).toBe(group.errorCount / group.count);
  });

  it('gives exact LLM calls, errors, tokens and model mismatches per requested model', () => {
    const all = uniqueTraces();
    const llm = aggregateTraces(all, window).llm;
    const expected = Object.entries(summary.byModel)
      .map(([model, m]) => ({
        model,
        calls: m.calls,
        errors: m.errors,
        inputTokens: m.inputTokens,
        outputTokens: m.outputTokens,
        modelMismatches: m.responseModelMismatches,
      }))
      .sort((a, b) => (a.model < b.model ? -1 : 1));
    const actual = llm
      .map(({ model, calls, errors, inputTokens, outputTokens, modelMismatches }) => ({
        model,
        calls,
        errors,
        inputTokens,
        outputTokens,
        modelMismatches,
      }))
      .sort((a, b) => (a.model < b.model ? -1 : 1));
    expect(actual).toEqual(expected);
  });

  it('finds exactly the seeded orphans, rootless traces and depth, and every error span', () => {
    const result = aggregateTraces(uniqueTraces(), window);
    expect(result.spansCounted).toBe(summary.spanCount);
    expect(result.traceQuality).toMatchObject({
      traces: summary.traceCount,
      orphanSpans: summary.orphanSpanIds.length,
      tracesWithoutRoot: summary.noRootTraceIds.length,
      duplicateSpanIds: 0,
      depth: expect.objectContaining({ max: summary.maxDepth }),
    });
    expect(result.errors.reduce((n, e) => n + e.count, 0)).toBe(summary.errorSpanCount);
  });
});

describe('lib/pipeline on raw bytes from the real Jaeger', () => {
  it.each(SEED_SERVICES)('legacy and api_v3 bytes of %s give the same metrics as the TraceSource path', async (service) => {
    const options = { ...window, service };
    const expected = aggregateTraces(tracesByService.get(service) ?? [], options);
    const legacy = aggregateResponseBytes(await fetchBytes(legacySearchUrl(service)), 'legacy', options, 64 * 1024);
    const v3 = aggregateResponseBytes(await fetchBytes(v3SearchUrl(service)), 'v3', options, 64 * 1024);
    expect(operationRows(legacy)).toEqual(expectedRows(service));
    expect(operationRows(v3)).toEqual(expectedRows(service));
    expect(legacy.groups).toEqual(expected.groups);
    expect(v3.groups).toEqual(expected.groups);
    expect(v3.traceQuality).toEqual(legacy.traceQuality);
  });

  it('worker threads give the single-threaded result on the llm-gateway response', async () => {
    const bytes = await fetchBytes(legacySearchUrl('llm-gateway'));
    const options = { ...window, service: 'llm-gateway' };
    const pool = createAggregationPool(2);
    try {
      expect(await pool.aggregate(bytes, 'legacy', options)).toEqual(aggregateResponseBytes(bytes, 'legacy', options));
    } finally {
      await pool.close();
    }
  });
});

function uniqueTraces(): Trace[] {
  const byId = new Map<string, Trace>();
  for (const traces of tracesByService.values()) for (const trace of traces) byId.set(trace.traceId, trace);
  return [...byId.values()];
}
