import { describe, expect, it } from 'vitest';
import { createJaegerSource } from '../jaeger/jaeger-source.ts';
import { referenceBreakdown, type RawTrace } from '../testing/jaeger-ui-reference.ts';
import { requireTestEnv } from '../testing/post-otlp.ts';
import { parseMetricsQuery } from '../query/dashboard-query.ts';
import { computeMetrics } from './metrics-service.ts';

/**
 * /api/metrics' selfTime and criticalPath for HotROD's frontend /dispatch on the harness Jaeger, through
 * either API, against the jaeger-ui v1.76.0 transcription run on the same traces fetched as legacy JSON.
 */
describe.each(['legacy', 'v3'] as const)('include=selfTime,criticalPath on HotROD through the %s API', (api) => {
  it("equals jaeger-ui's rules run on the same traces", async () => {
    const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
    const endUs = Date.now() * 1000;
    const startUs = endUs - 24 * 3600 * 1_000_000;
    const search = `service=frontend&operation=${encodeURIComponent('/dispatch')}&start=${startUs}&end=${endUs}&limit=1500`;
    const { data } = (await (await fetch(`${jaegerUrl}/api/traces?${search}`)).json()) as { data: RawTrace[] };
    const expected = referenceBreakdown(
      data,
      (service, operation, start) => service === 'frontend' && operation === '/dispatch' && start >= startUs && start <= endUs,
    );
    expect(expected.traces).toBeGreaterThanOrEqual(10);

    const source = createJaegerSource({
      baseUrl: jaegerUrl,
      api,
      timeoutMs: 30_000,
      maxConcurrency: 4,
      maxResponseBytes: 256 * 1024 * 1024,
      cacheTtlMs: 0,
    });
    const query = parseMetricsQuery(
      `service=frontend&operation=%2Fdispatch&start=${new Date(startUs / 1000).toISOString()}&end=${new Date(endUs / 1000).toISOString()}&include=selfTime,criticalPath`,
    );
    const result = await computeMetrics(
      query,
      { source, info: { mode: 'live', label: jaegerUrl }, jaegerUiUrl: null },
      { nowMs: endUs / 1000, maxTraces: 1500 },
    );
    await source.client.close();

    expect(result.coverage.complete).toBe(true);
    const { criticalPath, selfTime } = result;
    expect(criticalPath?.traces).toBe(expected.traces);
    expect(new Map(criticalPath?.operations.map((r) => [`${r.service}\t${r.operation}`, [r.traces, r.spans, r.totalCriticalUs]]))).toEqual(
      new Map([...expected.criticalPath].map(([key, r]) => [key, [r.traces, r.spans, r.totalCriticalUs]])),
    );
    for (const row of criticalPath?.operations ?? []) {
      expect(row.averageShare).toBeCloseTo(expected.criticalPath.get(`${row.service}\t${row.operation}`)?.averageShare ?? NaN, 12);
    }
    expect(selfTime?.map((r) => [r.service, r.operation, r.count, r.totalSelfUs, r.p95SelfUs])).toEqual(
      [...expected.selfTime].map(([key, r]) => [...key.split('\t'), r.spans, r.totalSelfUs, r.p95SelfUs]),
    );
    expect(new Map(criticalPath?.slowVsFast?.operations.map((r) => [`${r.service}\t${r.operation}`, r.growthUs]))).toEqual(
      expected.slowVsFast.growthUs,
    );
  });
});
