import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../jaeger/span.ts';
import { buildSeedWorkload, type SeedTrace } from '../testing/seed/workload.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { aggregateTraces, aggregatorFromState, createAggregator } from './aggregator.ts';
import type { AggregationOptions, TraceQuality } from './types.ts';

const T0 = 1_700_000_000_000_000;
const window: AggregationOptions = { windowStartUs: T0 - 60_000_000, windowEndUs: T0 + 60_000_000 };
const quality = (traces: readonly Trace[]): TraceQuality => aggregateTraces(traces, window).traceQuality;

/** A span of `service` with a short hex ID of its own, starting `offsetUs` after T0. */
function span(id: number, service: string, operation: string, offsetUs: number, durationUs: number) {
  return aSpan()
    .withSpanId(hexId(id))
    .withService(service)
    .withOperation(operation)
    .withStart(T0 + offsetUs)
    .withDuration(durationUs);
}

/** gateway (server) → gateway client → llm server: the call whose context arrives. */
function linkedCall(traceNumber: number): Trace {
  const root = span(1, 'gateway', 'POST /run', 0, 1_000).withKind('server').build();
  const call = span(2, 'gateway', 'POST /generate', 10, 900).withKind('client').childOf(root).build();
  const server = span(3, 'llm', 'POST /generate', 20, 800).withKind('server').childOf(call).build();
  return aTrace([root, call, server], hexId(traceNumber, 32));
}

/** The same call where the llm server span names a parent that was never exported. */
function brokenCall(traceNumber: number): Trace {
  const root = span(1, 'gateway', 'POST /run', 0, 1_000).withKind('server').build();
  const work = span(2, 'gateway', 'build prompt', 5, 950).withKind('internal').childOf(root).build();
  const server = span(3, 'llm', 'POST /generate', 20, 800).withKind('server').childOf('00000000000000ff').build();
  return aTrace([root, work, server], hexId(traceNumber, 32));
}

describe('traceQuality: orphans, roots, duplicates and clock skew', () => {
  it('counts an orphan as an orphan only, even with Jaeger\'s "invalid parent … clock skew" warning and an early start', () => {
    const root = span(1, 'a', 'root', 100, 1_000).build();
    const orphan = span(2, 'b', 'lost', 0, 5_000)
      .childOf('00000000000000ee')
      .withWarning('invalid parent span IDs=00000000000000ee; skipping clock skew adjustment')
      .build();
    // Jaeger v2's wording, on a span whose parent is present (it can be added while the trace is still arriving).
    const child = span(3, 'a', 'child', 200, 10)
      .childOf(root)
      .withWarning('parent span ID=0000000000000001 is not in the trace; skipping clock skew adjustment')
      .build();
    const result = quality([aTrace([root, orphan, child])]);
    expect(result.orphanSpans).toBe(1);
    expect(result.missingParentWarnings).toBe(2);
    expect(result.clockSkew).toEqual({ spans: 0, startsBeforeParent: 0, endsAfterParent: 0, jaegerWarnings: 0, examples: [] });
    expect(result.byService.find((row) => row.service === 'b')).toMatchObject({ orphanSpans: 1, clockSkewSpans: 0, problemSpans: 1 });
  });

  it('counts a child that starts before or ends after its CHILD_OF parent as clock skew, and a FOLLOWS_FROM child that outlives it as nothing', () => {
    const parent = span(1, 'a', 'parent', 100, 100).build();
    const early = span(2, 'a', 'early', 90, 20).childOf(parent).build();
    const late = span(3, 'a', 'late', 150, 100).childOf(parent).build();
    const async = span(4, 'a', 'async', 150, 100).followsFrom(parent).build();
    const warned = span(5, 'a', 'warned', 110, 10)
      .childOf(parent)
      .withWarning('clock skew adjustment disabled; not applying calculated delta of -3ms')
      .build();
    const dup = span(6, 'a', 'dup', 110, 10).childOf(parent).withWarning('duplicate span IDs; skipping clock skew adjustment').build();
    const result = quality([aTrace([parent, early, late, async, warned, dup])]);
    expect(result.clockSkew).toMatchObject({ spans: 3, startsBeforeParent: 1, endsAfterParent: 1, jaegerWarnings: 1 });
    expect(result.clockSkew.examples).toEqual([{ traceId: hexId(1, 32), spanId: hexId(2) }]);
    expect(result.orphanSpans).toBe(0);
  });

  it('counts duplicate copies and rootless traces, each with an example to open', () => {
    const first = span(1, 'a', 'x', 10, 10).childOf('00000000000000aa').build();
    const copy = span(1, 'a', 'x', 20, 10).childOf('00000000000000aa').build();
    const result = quality([aTrace([copy, first], hexId(7, 32))]);
    expect(result).toMatchObject({ tracesWithoutRoot: 1, orphanSpans: 2, duplicateSpanIds: 1 });
    // The trace's earliest span stands for it; the duplicate is the copy met second.
    expect(result.rootlessExamples).toEqual([{ traceId: hexId(7, 32), spanId: hexId(1) }]);
    expect(result.duplicateExamples).toEqual([{ traceId: hexId(7, 32), spanId: hexId(1) }]);
    expect(result.byService[0]).toMatchObject({ service: 'a', rootlessTraces: 1, duplicateSpanIds: 1, problemSpans: 2, problemShare: 1 });
  });

  it('draws spans per trace and depth as buckets up to the largest, empty buckets included', () => {
    const single = (n: number) => aTrace([span(1, 'a', 'x', 0, 10).build()], hexId(n, 32));
    const chain = (n: number, length: number) => {
      const spans: Span[] = [span(1, 'a', 'x', 0, 10).build()];
      for (let i = 1; i < length; i++)
        spans.push(
          span(i + 1, 'a', 'x', 0, 10)
            .childOf(spans[i - 1] as Span)
            .build(),
        );
      return aTrace(spans, hexId(n, 32));
    };
    const result = quality([single(1), single(2), chain(3, 2), chain(4, 7)]);
    expect(result.spansPerTrace).toEqual({
      p50: 1,
      p95: 7,
      max: 7,
      buckets: [
        { from: 1, to: 1, traces: 2 },
        { from: 2, to: 2, traces: 1 },
        { from: 3, to: 3, traces: 0 },
        { from: 4, to: 4, traces: 0 },
        { from: 5, to: 5, traces: 0 },
        { from: 6, to: 10, traces: 1 },
      ],
    });
    expect(result.depth.buckets.map((b) => b.traces)).toEqual([2, 1, 0, 0, 0, 0, 1]);
    expect(result.depth.buckets.at(-1)).toEqual({ from: 7, to: 7, traces: 1 });
  });
});

describe('traceQuality: where propagation breaks', () => {
  it('locates an orphaned server span to the caller that encloses it and calls it with context elsewhere: "gateway → llm loses context in 1 of 3"', () => {
    const result = quality([linkedCall(1), linkedCall(2), brokenCall(3)]);
    expect(result.propagation.breaks).toEqual([
      {
        caller: 'gateway',
        callee: 'llm',
        linked: 2,
        orphanedCalls: 1,
        unansweredCalls: 0,
        lost: 1,
        calls: 3,
        calleeOperations: ['POST /generate'],
        examples: [{ traceId: hexId(3, 32), spanId: hexId(3) }],
      },
    ]);
    expect(result.propagation.unlocated).toEqual([]);
    expect(result.byService.map((row) => [row.service, row.orphanSpans, row.problemSpans])).toEqual([
      ['llm', 1, 1],
      ['gateway', 0, 0],
    ]);
  });

  it('locates an orphan enclosed by a childless client call even when the link never works, and counts that call once', () => {
    const root = span(1, 'gateway', 'POST /run', 0, 1_000).withKind('server').build();
    const call = span(2, 'gateway', 'POST /generate', 10, 900).withKind('client').childOf(root).build();
    const server = span(3, 'llm', 'POST /generate', 20, 800).withKind('server').childOf('00000000000000ff').build();
    expect(quality([aTrace([root, call, server])]).propagation.breaks).toMatchObject([
      { caller: 'gateway', callee: 'llm', linked: 0, orphanedCalls: 1, unansweredCalls: 0, lost: 1, calls: 1 },
    ]);
  });

  it('counts a childless client call toward an instrumented service as lost, by peer.service or by what the same operation reaches elsewhere', () => {
    const newTrace = (n: number) => aTrace([span(1, 'llm', 'POST /generate', 20, 800).withKind('server').build()], hexId(n, 32));
    const unanswered = (n: number, peer?: string) => {
      const root = span(1, 'gateway', 'POST /run', 0, 1_000).withKind('server').build();
      const call = span(2, 'gateway', 'POST /generate', 10, 900).withKind('client').childOf(root);
      return aTrace([root, (peer === undefined ? call : call.withTag('peer.service', peer)).build()], hexId(n, 32));
    };
    // No linked call anywhere: only the peer name says where it went.
    expect(quality([unanswered(1, 'llm'), newTrace(2)]).propagation.breaks).toMatchObject([
      { caller: 'gateway', callee: 'llm', linked: 0, orphanedCalls: 0, unansweredCalls: 1, lost: 1, calls: 1 },
    ]);
    // With a linked call, the untagged one is known by its operation; llm's root is a new trace that should not be one.
    const result = quality([linkedCall(1), unanswered(2), newTrace(3)]);
    expect(result.propagation.breaks).toMatchObject([{ caller: 'gateway', callee: 'llm', linked: 1, unansweredCalls: 1, lost: 1, calls: 2 }]);
    expect(result.propagation.unlocated).toEqual([
      {
        service: 'llm',
        operation: 'POST /generate',
        reason: 'new_trace',
        spans: 1,
        expectedCallers: ['gateway'],
        examples: [{ traceId: hexId(3, 32), spanId: hexId(1) }],
      },
    ]);
    expect(result.byService[0]).toMatchObject({ service: 'llm', unexpectedRoots: 1, rootSpans: 1, problemSpans: 1, problemShare: 0.5 });
  });

  it('leaves a childless call to an uninstrumented peer (a database) out of the breaks', () => {
    const root = span(1, 'gateway', 'POST /run', 0, 1_000).withKind('server').build();
    const db = span(2, 'gateway', 'SELECT', 10, 100).withKind('client').childOf(root).withTag('server.address', 'postgres.internal').build();
    expect(quality([aTrace([root, db])]).propagation).toEqual({ breaks: [], unlocated: [] });
  });

  it('says the caller is absent when the learned caller has no span in the orphan\'s trace, and "no known caller" when nobody calls it with context', () => {
    const linked = linkedCall(1);
    const server = span(3, 'llm', 'POST /generate', 20, 800).withKind('server').childOf('00000000000000ff').build();
    const child = span(4, 'llm', 'provider call', 30, 700).withKind('client').childOf(server).build();
    const lonely = span(5, 'batch', 'nightly', 0, 10).withKind('internal').childOf('00000000000000fe').build();
    const result = quality([linked, aTrace([server, child], hexId(2, 32)), aTrace([lonely], hexId(3, 32))]);
    expect(result.propagation.breaks).toEqual([]);
    expect(
      result.propagation.unlocated.map(({ service, operation, reason, spans, expectedCallers }) => ({
        service,
        operation,
        reason,
        spans,
        expectedCallers,
      })),
    ).toEqual([
      { service: 'batch', operation: 'nightly', reason: 'no_known_caller', spans: 1, expectedCallers: [] },
      { service: 'llm', operation: 'POST /generate', reason: 'caller_absent', spans: 1, expectedCallers: ['gateway'] },
    ]);
  });

  it('gives the same findings and examples whether the traces arrive together or are merged one by one through toState', () => {
    const traces = [
      linkedCall(1),
      brokenCall(2),
      brokenCall(3),
      linkedCall(4),
      brokenCall(5),
      brokenCall(6),
      brokenCall(7),
      brokenCall(8),
      brokenCall(9),
    ];
    const whole = aggregateTraces(traces, window).traceQuality;
    const merged = createAggregator(window, ['traceQuality']);
    for (const trace of [...traces].reverse()) {
      const one = createAggregator(window, ['traceQuality']);
      one.addTrace(trace);
      merged.merge(aggregatorFromState(window, structuredClone(one.toState()), ['traceQuality']));
    }
    expect(merged.finish().traceQuality).toEqual(whole);
    // Five examples at most, the earliest traces first (all start together: by trace ID).
    expect(whole.propagation.breaks[0]?.examples.map((e) => e.traceId)).toEqual([2, 3, 5, 6, 7].map((n) => hexId(n, 32)));
  });
});

describe('traceQuality on the seed workload (expected values from its own definition)', () => {
  /** The seed's spans as the normaliser gives them: kind, service, operation, times and the one parent reference. */
  function toTrace(seed: SeedTrace): Trace {
    const spans = seed.spans.map((s) => {
      const built = aSpan()
        .withSpanId(s.spanId)
        .withService(s.service)
        .withOperation(s.name)
        .withKind(s.kind)
        .withStart(s.startUs)
        .withDuration(s.durationUs);
      return (s.parentSpanId === null ? built : built.childOf(s.parentSpanId)).build();
    });
    return aTrace(spans, seed.traceId);
  }

  it('finds the orphans by service, the rootless traces, and locates actor-server → llm-gateway as the broken call', () => {
    const workload = buildSeedWorkload({ anchorMs: 1_800_000_000_000, runId: 'quality-unit' });
    const traces = workload.traces.map(toTrace);
    const result = aggregateTraces(traces, { windowStartUs: 0, windowEndUs: 2e15 }).traceQuality;

    // From the workload: an orphan is a span whose parent is one of its trace's droppedSpanIds.
    const orphansByService = new Map<string, number>();
    let linkedToLlm = 0;
    let lostToLlm = 0;
    for (const trace of workload.traces) {
      const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
      for (const s of trace.spans) {
        if (s.parentSpanId !== null && trace.droppedSpanIds.includes(s.parentSpanId)) {
          orphansByService.set(s.service, (orphansByService.get(s.service) ?? 0) + 1);
          if (s.service === 'llm-gateway' && trace.spans.some((o) => o.service === 'actor-server')) lostToLlm++;
        }
        const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
        if (s.service === 'llm-gateway' && parent?.service === 'actor-server') linkedToLlm++;
      }
    }
    const noRoot = workload.traces.filter((t) => t.shape === 'no_root');
    expect(lostToLlm).toBe(workload.traces.filter((t) => t.shape === 'orphan').length);

    expect(result.tracesWithoutRoot).toBe(noRoot.length);
    expect(result.orphanSpans).toBe([...orphansByService.values()].reduce((a, b) => a + b, 0));
    for (const [service, orphans] of orphansByService)
      expect(result.byService.find((row) => row.service === service)?.orphanSpans, service).toBe(orphans);
    expect(result.clockSkew.spans).toBe(0);
    expect(result.propagation.breaks).toEqual([
      expect.objectContaining({
        caller: 'actor-server',
        callee: 'llm-gateway',
        linked: linkedToLlm,
        orphanedCalls: lostToLlm,
        lost: lostToLlm,
        calls: linkedToLlm + lostToLlm,
      }),
    ]);
    // The no_root traces' actor spans lost the gateway root: the gateway has no span there to blame.
    expect(result.propagation.unlocated).toEqual([
      expect.objectContaining({
        service: 'actor-server',
        operation: 'actor::execute',
        reason: 'caller_absent',
        spans: noRoot.length,
        expectedCallers: ['api-gateway'],
      }),
    ]);
  });
});

describe('traceQuality: bounded work and merge algebra', () => {
  it('stops looking for enclosing spans after a million span visits per trace: later orphans keep only the caller-in-trace rule', () => {
    // One childless gateway client call enclosing 1,100 llm orphans, nobody calling llm with context anywhere:
    // only the enclosing call can locate them. Each orphan's scan visits all 1,102 spans: ⌊1,000,000 / 1,102⌋ = 907 scans fit.
    const root = span(1, 'gateway', 'POST /run', 0, 10_000).withKind('server').build();
    const call = span(2, 'gateway', 'POST /generate', 10, 9_000).withKind('client').childOf(root).build();
    const orphans = Array.from({ length: 1_100 }, (_, i) =>
      span(100 + i, 'llm', 'POST /generate', 20 + i, 5)
        .withKind('server')
        .childOf('ffffffffffffffff')
        .build(),
    );
    const result = quality([aTrace([root, call, ...orphans])]);
    expect(result.propagation.breaks).toMatchObject([{ caller: 'gateway', callee: 'llm', orphanedCalls: 907, unansweredCalls: 0, lost: 907 }]);
    expect(result.propagation.unlocated).toMatchObject([{ service: 'llm', reason: 'no_known_caller', spans: 193 }]);
  });

  const arbitraryTraces = fc
    .array(
      fc.array(
        fc.record({
          service: fc.constantFrom('a', 'b', 'c'),
          operation: fc.constantFrom('x', 'y'),
          kind: fc.constantFrom('server', 'client', 'producer', 'consumer', 'internal'),
          // 0: root, 1: a parent never exported, 2: FOLLOWS_FROM an earlier span, else CHILD_OF an earlier span.
          link: fc.nat({ max: 5 }),
          parent: fc.nat(),
          reuseId: fc.boolean(),
          offsetUs: fc.integer({ min: 0, max: 5_000 }),
          durationUs: fc.integer({ min: 0, max: 5_000 }),
          peer: fc.option(fc.constantFrom('a', 'b', 'db')),
          warning: fc.option(
            fc.constantFrom(
              'clock skew adjustment disabled; not applying calculated delta of 1ms',
              'invalid parent span IDs=ff; skipping clock skew adjustment',
            ),
          ),
        }),
        { minLength: 1, maxLength: 10 },
      ),
      { minLength: 1, maxLength: 20 },
    )
    .map((traces) =>
      traces.map((specs, t) => {
        const spans: Span[] = [];
        specs.forEach((spec, i) => {
          const id = spec.reuseId && i > 0 ? (spans[spec.parent % i] as Span).spanId : hexId(i + 1);
          let builder = span(0, spec.service, spec.operation, spec.offsetUs, spec.durationUs).withSpanId(id).withKind(spec.kind);
          if (spec.link === 1) builder = builder.childOf('00000000000000ff');
          else if (spec.link >= 2 && i > 0) {
            const parent = spans[spec.parent % i] as Span;
            builder = spec.link === 2 ? builder.followsFrom(parent) : builder.childOf(parent);
          }
          if (spec.peer !== null) builder = builder.withTag('peer.service', spec.peer);
          if (spec.warning !== null) builder = builder.withWarning(spec.warning);
          spans.push(builder.build());
        });
        return aTrace(spans, hexId(t + 1, 32));
      }),
    );

  it('gives the same findings for any split of the traces, merged directly or through toState, and never counts an orphan as skew', () => {
    fc.assert(
      fc.property(arbitraryTraces, fc.array(fc.nat()), (traces, cuts) => {
        const whole = quality(traces);
        const merged = createAggregator(window, ['traceQuality']);
        let start = 0;
        for (const cut of [...cuts.map((c) => c % (traces.length + 1)).sort((a, b) => a - b), traces.length]) {
          const part = createAggregator(window, ['traceQuality']);
          for (const trace of traces.slice(start, cut)) part.addTrace(trace);
          start = Math.max(start, cut);
          if (cut % 2 === 0) merged.merge(part);
          else merged.mergeState(structuredClone(part.toState()));
        }
        expect(merged.finish().traceQuality).toEqual(whole);
        const perService = whole.byService.reduce((n, row) => n + row.orphanSpans + row.clockSkewSpans, 0);
        expect(perService).toBe(whole.orphanSpans + whole.clockSkew.spans);
        for (const row of whole.byService) expect(row.problemSpans).toBeLessThanOrEqual(row.spans);
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});
