import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { aggregateTraces, aggregatorFromState, createAggregator } from './aggregator.ts';
import type { AggregationOptions } from './types.ts';

const SECOND = 1_000_000;
const T0 = 1_700_000_000 * SECOND;
const window: AggregationOptions = { windowStartUs: T0, windowEndUs: T0 + 60 * SECOND };

function trace(id: number, spans: Span[]): Trace {
  return aTrace(spans, hexId(id, 32));
}

describe('aggregateTraces', () => {
  it('counts only the queried service; other spans of the trace are context', () => {
    const root = aSpan().withService('frontend').withOperation('GET /').withStart(T0).withDuration(900).build();
    const db = aSpan()
      .withService('db')
      .withOperation('query')
      .childOf(root)
      .withStart(T0 + 100)
      .withDuration(300)
      .build();
    const result = aggregateTraces([trace(1, [root, db])], { ...window, service: 'frontend' });
    expect(result.spansCounted).toBe(1);
    expect(result.groups.map((g) => g.key)).toEqual(['service=frontend&operation=GET%20%2F']);
    // Self time 900 − 300; share of the one 900 µs trace.
    expect(result.selfTime).toEqual([
      { service: 'frontend', operation: 'GET /', count: 1, totalSelfUs: 600, meanSelfUs: 600, p95SelfUs: 600, shareOfTraceTime: 600 / 900 },
    ]);
    expect(result.serviceDependencies).toEqual([{ parent: 'frontend', child: 'db', calls: 1, errors: 0, p95Us: 300 }]);
    expect(result.operationDependencies).toEqual([{ parent: 'frontend::GET /', child: 'db::query', calls: 1, errors: 0, p95Us: 300 }]);
  });

  it('applies operation, tag, duration and window filters per span', () => {
    const spans = [
      aSpan().withOperation('a').withDuration(10).withTag('http.route', '/x').withStart(T0).build(),
      aSpan().withOperation('a').withDuration(20).withTag('http.route', '/y').withStart(T0).build(),
      aSpan().withOperation('a').withDuration(30).withTag('http.route', '/x').withStart(T0).build(),
      aSpan().withOperation('b').withDuration(30).withTag('http.route', '/x').withStart(T0).build(),
      aSpan()
        .withOperation('a')
        .withDuration(30)
        .withTag('http.route', '/x')
        .withStart(T0 - 1)
        .build(),
    ];
    const result = aggregateTraces([trace(2, spans)], {
      ...window,
      operation: 'a',
      tags: { 'http.route': '/x' },
      minDurationUs: 15,
      maxDurationUs: 30,
    });
    expect(result.spansCounted).toBe(1);
    expect(result.groups[0]?.durations.maxUs).toBe(30);
  });

  it('gives exact stats for a single span (n = 1) and for two spans (n = 2)', () => {
    const one = aggregateTraces([trace(3, [aSpan().withStart(T0).withDuration(5).build()])], window);
    expect(one.groups[0]?.durations).toEqual({
      count: 1,
      minUs: 5,
      meanUs: 5,
      maxUs: 5,
      p50: { valueUs: 5, interval: null },
      p90: { valueUs: 5, interval: null },
      p95: { valueUs: 5, interval: null },
      p99: { valueUs: 5, interval: null },
    });
    const two = aggregateTraces([trace(4, [aSpan().withStart(T0).withDuration(3).build(), aSpan().withStart(T0).withDuration(9).build()])], window);
    expect(two.groups[0]?.durations).toMatchObject({ p50: { valueUs: 3 }, p90: { valueUs: 9 }, meanUs: 6 });
  });

  it('counts every span as an error when all fail, and rates over the window seconds', () => {
    const spans = [1, 2, 3].map((i) =>
      aSpan()
        .withStart(T0 + i)
        .withTag('error', true)
        .build(),
    );
    const [group] = aggregateTraces([trace(5, spans)], window).groups;
    expect(group).toMatchObject({ count: 3, errorCount: 3, errorRate: 1, ratePerSecond: 3 / 60 });
  });

  it('counts client 4xx as errors only when asked', () => {
    const span = aSpan().withStart(T0).withKind('client').withTag('http.status_code', 404).build();
    const server = aSpan().withStart(T0).withKind('server').withTag('http.response.status_code', '404').build();
    expect(aggregateTraces([trace(6, [span, server])], window).groups[0]?.errorCount).toBe(0);
    expect(aggregateTraces([trace(6, [span, server])], { ...window, clientErrorsFrom4xx: true }).groups[0]?.errorCount).toBe(1);
  });

  it('groups by tag keys, including process tags, with (none) for a missing value', () => {
    const spans = [
      aSpan().withStart(T0).withTag('gen_ai.request.model', 'gpt-4o').withProcessTag('host.name', 'h1').build(),
      aSpan().withStart(T0).withTag('gen_ai.request.model', 'gpt-4o').build(),
      aSpan().withStart(T0).withProcessTag('host.name', 'h1').build(),
    ];
    const result = aggregateTraces([trace(7, spans)], {
      ...window,
      groupBy: ['tag:gen_ai.request.model', 'tag:process.host.name'],
    });
    expect(result.groups.map((g) => [g.tags, g.count])).toEqual([
      [{ 'gen_ai.request.model': '(none)', 'process.host.name': 'h1' }, 1],
      [{ 'gen_ai.request.model': 'gpt-4o', 'process.host.name': '(none)' }, 1],
      [{ 'gen_ai.request.model': 'gpt-4o', 'process.host.name': 'h1' }, 1],
    ]);
    expect(result.groups[0]).toMatchObject({ service: null, operation: null });
  });

  it('rejects more than two tag keys', () => {
    expect(() => createAggregator({ ...window, groupBy: ['tag:a', 'tag:b', 'tag:c'] })).toThrow(RangeError);
  });

  it('handles zero and huge durations in stats, timeline and heatmap', () => {
    const spans = [
      aSpan().withStart(T0).withDuration(0).build(),
      aSpan()
        .withStart(T0 + 60 * SECOND)
        .withDuration(3_600 * SECOND * 24 * 30)
        .build(),
    ];
    const result = aggregateTraces([trace(8, spans)], window);
    expect(result.groups[0]?.durations).toMatchObject({ minUs: 0, maxUs: 2_592_000_000_000 });
    expect(result.timeline.points[0]).toMatchObject({ count: 1, p50Us: 0 });
    expect(result.timeline.points.at(-1)).toMatchObject({ count: 1, p99Us: 2_592_000_000_000 });
    expect(result.heatmap.cells.map((c) => c.count)).toEqual([1, 1]);
    expect(result.heatmap.durationEdgesUs[0]).toBe(0);
  });

  it('keeps the slowest spans with ties broken by IDs', () => {
    const spans = [5, 9, 9, 1].map((d, i) =>
      aSpan()
        .withSpanId(hexId(100 + i))
        .withStart(T0)
        .withDuration(d)
        .build(),
    );
    const result = aggregateTraces([trace(9, spans)], { ...window, slowestLimit: 2 });
    expect(result.slowest.map((s) => [s.spanId, s.durationUs])).toEqual([
      [hexId(101), 9],
      [hexId(102), 9],
    ]);
  });

  it('reports trace quality: no root, orphans, duplicates, depth, clock skew, cycles', () => {
    const orphanTrace = trace(10, [aSpan().withStart(T0).childOf('00000000000000aa').build()]);
    const root = aSpan().withSpanId('r').withStart(T0).withDuration(100).build();
    const child = aSpan()
      .withSpanId('c')
      .childOf(root)
      .withStart(T0 - 5)
      .withDuration(10)
      .build();
    const grandChild = aSpan().withSpanId('g').childOf(child).withStart(T0).withDuration(1).build();
    const duplicate = aSpan()
      .withSpanId('g')
      .childOf(child)
      .withStart(T0)
      .withDuration(1)
      .withWarning('clock skew adjustment disabled; not applying calculated delta of -3ms')
      .build();
    const deepTrace = trace(11, [root, child, grandChild, duplicate]);
    const a = aSpan().withSpanId('a').childOf('b').withStart(T0).build();
    const b = aSpan().withSpanId('b').childOf('a').withStart(T0).build();
    const cycleTrace = trace(12, [a, b]);
    const quality = aggregateTraces([orphanTrace, deepTrace, cycleTrace], window).traceQuality;
    expect(quality).toMatchObject({
      traces: 3,
      tracesWithoutRoot: 2,
      orphanSpans: 1,
      duplicateSpanIds: 1,
      spansPerTrace: { p50: 2, p95: 4, max: 4 },
      depth: { p50: 2, p95: 3, max: 3 },
      // c starts before its parent; the duplicate g carries Jaeger's skew warning.
      clockSkew: { spans: 2, startsBeforeParent: 1, endsAfterParent: 0, jaegerWarnings: 1 },
      warnings: 1,
      spansOnReferenceCycles: 2,
    });
  });

  it('summarises LLM calls by model with fallbacks, tokens, provider and mismatches', () => {
    const spans = [
      aSpan()
        .withStart(T0)
        .withDuration(100)
        .withTag('gen_ai.request.model', 'gpt-4o')
        .withTag('gen_ai.response.model', 'gpt-4o-2024-08-06')
        .withTag('gen_ai.provider.name', 'openai')
        .withTag('gen_ai.usage.input_tokens', 10)
        .withTag('gen_ai.usage.output_tokens', 3)
        .build(),
      aSpan()
        .withStart(T0)
        .withDuration(300)
        .withTag('gen_ai.response.model', 'gpt-4o')
        .withTag('gen_ai.system', 'openai')
        .withTag('gen_ai.usage.prompt_tokens', '7')
        .withTag('gen_ai.usage.completion_tokens', 2)
        .withError()
        .build(),
      aSpan()
        .withStart(T0)
        .withDuration(50)
        .withTag('llm.model_name', 'claude')
        .withTag('llm.token_count.prompt', 4)
        .withTag('llm.token_count.completion', 1)
        .build(),
      aSpan().withStart(T0).withDuration(50).build(),
    ];
    expect(aggregateTraces([trace(13, spans)], window).llm).toMatchObject([
      { model: 'gpt-4o', provider: 'openai', calls: 2, errors: 1, p50Us: 100, p95Us: 300, inputTokens: 17, outputTokens: 5, modelMismatches: 1 },
      { model: 'claude', provider: null, calls: 1, errors: 0, p50Us: 50, p95Us: 50, inputTokens: 4, outputTokens: 1, modelMismatches: 0 },
    ]);
  });

  it('groups errors by operation and type, from tags, exception events, status description or log message', () => {
    const spans = [
      aSpan()
        .withSpanId('1')
        .withStart(T0 + 3)
        .withTag('error', true)
        .withTag('error.type', 'Timeout')
        .build(),
      aSpan()
        .withSpanId('2')
        .withStart(T0 + 1)
        .withTag('error', true)
        .withLog(T0, { event: 'exception', 'exception.type': 'Timeout' })
        .build(),
      aSpan().withSpanId('3').withStart(T0).withTag('otel.status_code', 'ERROR').withTag('otel.status_description', 'boom').build(),
      aSpan().withSpanId('4').withStart(T0).withTag('error', 'true').withLog(T0, { message: 'redis timeout' }).build(),
      aSpan().withSpanId('5').withStart(T0).withTag('error', true).build(),
    ];
    const errors = aggregateTraces([trace(14, spans)], window).errors;
    expect(errors.map((e) => [e.errorType, e.count, e.examples.map((x) => x.spanId)])).toEqual([
      ['Timeout', 2, ['2']], // both in trace 14: one example per trace, its earliest span
      ['(unknown)', 1, ['5']],
      ['boom', 1, ['3']],
      ['redis timeout', 1, ['4']],
    ]);
  });

  it('shows error examples from distinct traces, each its earliest span, whatever the arrival order', () => {
    const failing = (traceNo: number, spanId: string, startUs: number) =>
      aSpan()
        .withTraceId(hexId(traceNo, 32))
        .withSpanId(spanId)
        .withStart(T0 + startUs)
        .withTag('error', true)
        .withTag('error.type', 'Timeout')
        .build();
    // Trace 1 holds the three earliest errors; traces 2, 3 and 4 one each, later.
    const traces = [
      aTrace([failing(1, 'a3', 3), failing(1, 'a1', 1), failing(1, 'a2', 2)], hexId(1, 32)),
      aTrace([failing(2, 'b1', 10)], hexId(2, 32)),
      aTrace([failing(3, 'c1', 5)], hexId(3, 32)),
      aTrace([failing(4, 'd1', 20)], hexId(4, 32)),
    ];
    const expected = [
      { traceId: hexId(1, 32), spanId: 'a1' },
      { traceId: hexId(3, 32), spanId: 'c1' },
      { traceId: hexId(2, 32), spanId: 'b1' },
    ];
    expect(aggregateTraces(traces, window).errors).toEqual([{ service: 'svc', operation: 'op', errorType: 'Timeout', count: 6, examples: expected }]);
    const reversed = [...traces].reverse().map((t) => aTrace([...t.spans].reverse(), t.traceId));
    expect(aggregateTraces(reversed, window).errors[0]?.examples).toEqual(expected);
  });
});

/** Seeded random traces: several services, trees, errors, tags; IDs unique per trace. */
const arbitraryTraces = fc
  .array(
    fc.array(
      fc.record({
        service: fc.constantFrom('a', 'b', 'c'),
        operation: fc.constantFrom('x', 'y'),
        parent: fc.nat(),
        offsetUs: fc.integer({ min: 0, max: 59 * SECOND }),
        durationUs: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 5_000_000_000 })),
        error: fc.boolean(),
        model: fc.option(fc.constantFrom('m1', 'm2')),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    { minLength: 1, maxLength: 25 },
  )
  .map((traces) =>
    traces.map((specs, t) => {
      const spans: Span[] = [];
      specs.forEach((spec, i) => {
        let builder = aSpan()
          .withSpanId(hexId(i + 1))
          .withService(spec.service)
          .withOperation(spec.operation)
          .withStart(T0 + spec.offsetUs)
          .withDuration(spec.durationUs)
          .withError(spec.error);
        if (i > 0) builder = builder.childOf(hexId((spec.parent % i) + 1));
        if (spec.model !== null) builder = builder.withTag('gen_ai.request.model', spec.model);
        spans.push(builder.build());
      });
      return trace(t + 1, spans);
    }),
  );

describe('createAggregator merge', () => {
  it('gives the same result for any split of the traces, merged directly or through toState', () => {
    fc.assert(
      fc.property(arbitraryTraces, fc.array(fc.nat()), (traces, cuts) => {
        const options = { ...window, slowestLimit: 5 };
        const whole = aggregateTraces(traces, options);
        const points = [...new Set(cuts.map((c) => c % (traces.length + 1)))].sort((x, y) => x - y);
        const parts = [0, ...points, traces.length].slice(0, -1).map((from, i, all) => traces.slice(from, all[i + 1] ?? traces.length));
        const viaMerge = createAggregator(options);
        const viaState = createAggregator(options);
        for (const part of parts.reverse()) {
          const partial = createAggregator(options);
          for (const t of part) partial.addTrace(t);
          viaState.merge(aggregatorFromState(options, structuredClone(partial.toState())));
          viaMerge.merge(partial);
        }
        expect(viaMerge.finish()).toEqual(whole);
        expect(viaState.finish()).toEqual(whole);
      }),
      { seed: 42, numRuns: 150 },
    );
    // 150 runs of every metric: ~4 s alone, more on a loaded machine; the property, not the time, is under test.
  }, 30_000);

  it('gives exact percentiles equal to sorting every counted duration', () => {
    fc.assert(
      fc.property(arbitraryTraces, (traces) => {
        const result = aggregateTraces(traces, { ...window, service: 'a', groupBy: ['service'] });
        const durations = traces.flatMap((t) => t.spans.filter((s) => s.service === 'a').map((s) => s.durationUs));
        if (durations.length === 0) return result.groups.length === 0;
        durations.sort((x, y) => x - y);
        const rank = (q: number) => durations[Math.ceil((q * durations.length) / 100) - 1];
        const stats = result.groups[0]!.durations;
        return (
          stats.p50.valueUs === rank(50) &&
          stats.p90.valueUs === rank(90) &&
          stats.p95.valueUs === rank(95) &&
          stats.p99.valueUs === rank(99) &&
          stats.maxUs === durations.at(-1) &&
          result.timeline.points.reduce((n, p) => n + p.count, 0) === durations.length
        );
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
