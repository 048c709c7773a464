import { expect, it } from 'vitest';
import { normalizeTracesResponse } from '../jaeger/normalize.ts';
import type { Trace } from '../jaeger/span.ts';
import { describeWithSharedFixtures, readSharedFixture, sharedFixtureNames } from '../testing/fixtures.ts';
import { aggregateTraces, aggregatorFromState, createAggregator } from './aggregator.ts';
import type { AggregationOptions } from './types.ts';
import type { MetricsResult } from './aggregator.ts';

function load(name: string): Trace[] {
  return normalizeTracesResponse(readSharedFixture(name)).traces;
}

/** A window exactly covering every span start, so all spans count. */
function windowOf(traces: readonly Trace[]): AggregationOptions {
  let start = Infinity;
  let end = -Infinity;
  for (const trace of traces) {
    for (const span of trace.spans) {
      start = Math.min(start, span.startUs);
      end = Math.max(end, span.startUs);
    }
  }
  return { windowStartUs: start, windowEndUs: end };
}

/** jaeger-ui shows ms with two decimals (TraceStatistics/tableValues.ts). */
const uiMs = (us: number): number => Math.round(us / 10) / 100;

function selfTotal(result: MetricsResult, service: string, operation?: string): number {
  return result.selfTime
    .filter((row) => row.service === service && (operation === undefined || row.operation === operation))
    .reduce((sum, row) => sum + row.totalSelfUs, 0);
}

describeWithSharedFixtures('self time on jaeger-ui Trace Statistics fixtures', () => {
  // Expected values from jaeger-ui TraceStatistics/tableValues.test.js ("check self time" and the
  // testTraceNormal cases), in the UI's rounded milliseconds; ours are exact µs.
  it.each([
    { file: 'jaeger-ui-stats-overlapping-children.json', service: 'service-one', ms: 0, us: 3 },
    { file: 'jaeger-ui-stats-child-longer-than-parent.json', service: 'service-one', ms: 0.03, us: 30 },
    { file: 'jaeger-ui-stats-child-starts-after-parent.json', service: 'service-one', ms: 0.04, us: 40 },
    { file: 'jaeger-ui-stats-normal.json', service: 'api-gateway', ms: 3.16, us: 3163 },
    { file: 'jaeger-ui-stats-normal.json', service: 'customers-service', ms: 1.74, us: 1739 },
  ])('gives $service in $file a self total of $ms ms, as jaeger-ui', ({ file, service, ms, us }) => {
    const traces = load(file);
    const result = aggregateTraces(traces, windowOf(traces));
    expect(selfTotal(result, service)).toBe(us);
    expect(uiMs(selfTotal(result, service))).toBe(ms);
  });

  it.each([
    { operation: 'GET /api/customer/owners/8/pets/10', count: 1, ms: 2.4 },
    { operation: 'GET /owners/8/pets/10', count: 2, ms: 2.43 },
    { operation: 'HikariProxyPreparedStatement.executeQuery', count: 2, ms: 0.07 },
  ])('matches jaeger-ui per operation on testTraceNormal: $operation', ({ operation, count, ms }) => {
    const traces = load('jaeger-ui-stats-normal.json');
    const result = aggregateTraces(traces, windowOf(traces));
    const rows = result.selfTime.filter((row) => row.operation === operation);
    expect(rows.reduce((n, row) => n + row.count, 0)).toBe(count);
    expect(uiMs(rows.reduce((n, row) => n + row.totalSelfUs, 0))).toBe(ms);
  });

  it('groups spans lacking app.test under (none), 2 and 2 as jaeger-ui does', () => {
    const traces = load('jaeger-ui-stats-same-value-different-tags.json');
    const result = aggregateTraces(traces, { ...windowOf(traces), groupBy: ['tag:app.test'] });
    expect(result.groups.map((g) => [g.tags['app.test'], g.count]).sort()).toEqual([
      ['(none)', 2],
      ['1', 2],
    ]);
  });
});

describeWithSharedFixtures('aggregation of every real fixture file', () => {
  const files = sharedFixtureNames();

  it.each(files)('%s: counts every span once and merges per trace to the same result', (file) => {
    const traces = load(file);
    const options = windowOf(traces);
    const whole = aggregateTraces(traces, options);
    const spans = traces.reduce((n, t) => n + t.spans.length, 0);
    expect(whole.spansCounted).toBe(spans);
    expect(whole.timeline.points.reduce((n, p) => n + p.count, 0)).toBe(spans);
    expect(whole.heatmap.cells.reduce((n, c) => n + c.count, 0)).toBe(spans);
    const merged = createAggregator(options);
    for (const trace of traces) {
      const one = createAggregator(options);
      one.addTrace(trace);
      merged.merge(aggregatorFromState(options, structuredClone(one.toState())));
    }
    expect(merged.finish()).toEqual(whole);
  });

  it('reports the HotROD redis timeouts as errors by type, with example IDs', () => {
    const traces = load('hotrod-frontend-dispatch-2traces.json');
    const result = aggregateTraces(traces, { ...windowOf(traces), service: 'redis' });
    const total = result.groups.reduce((n, g) => n + g.errorCount, 0);
    expect(total).toBeGreaterThan(0);
    expect(result.errors.reduce((n, e) => n + e.count, 0)).toBe(total);
    expect(result.errors.every((e) => e.service === 'redis' && e.examples.length > 0)).toBe(true);
  });

  it('flags the duplicate span, the missing parent and the missing root of the telemetrygen trace', () => {
    const traces = load('telemetrygen-duplicate-span-missing-parent.json');
    expect(aggregateTraces(traces, windowOf(traces)).traceQuality).toMatchObject({
      traces: 1,
      tracesWithoutRoot: 1,
      orphanSpans: 2,
      duplicateSpanIds: 1,
    });
  });

  // Expected values counted from the fixture JSON by hand (PROVENANCE.md lists the warnings; the timing by reading each span).
  it('counts the clock-skew warnings Jaeger put on the Istio and java-agent spans, and children outside their parent', () => {
    const istio = load('istio-bookinfo-envoy-5traces.json');
    expect(aggregateTraces(istio, windowOf(istio)).traceQuality).toMatchObject({
      clockSkew: { spans: 9, startsBeforeParent: 0, endsAfterParent: 4, jaegerWarnings: 8 },
      warnings: 8,
    });
    const java = load('java-otel-agent-mysql-clock-skew-2traces.json');
    expect(aggregateTraces(java, windowOf(java)).traceQuality.clockSkew).toMatchObject({
      spans: 2,
      startsBeforeParent: 1,
      endsAfterParent: 1,
      jaegerWarnings: 2,
    });
  });

  it("keeps Jaeger's invalid-parent warnings out of clock skew: the orphan is an orphan, the HotROD spans with their parent present are neither", () => {
    const orphan = load('observatorium-otlp-orphan-span-warning.json');
    expect(aggregateTraces(orphan, windowOf(orphan)).traceQuality).toMatchObject({
      orphanSpans: 1,
      tracesWithoutRoot: 1,
      missingParentWarnings: 1,
      clockSkew: { spans: 0, jaegerWarnings: 0 },
    });
    const hotrod = load('hotrod-1.21-locust-5traces.json');
    expect(aggregateTraces(hotrod, windowOf(hotrod)).traceQuality).toMatchObject({
      orphanSpans: 0,
      missingParentWarnings: 15,
      clockSkew: { spans: 2, startsBeforeParent: 0, endsAfterParent: 2, jaegerWarnings: 0 },
    });
  });

  it('reads the gen_ai tags of the generated agent trace into per-model rows', () => {
    const traces = load('genai-agent-trace-generated-jaeger-ui.json');
    const llm = aggregateTraces(traces, windowOf(traces)).llm;
    expect(llm.length).toBeGreaterThan(0);
    expect(llm.every((row) => row.calls > 0 && row.inputTokens > 0 && row.provider !== null)).toBe(true);
  });
});
