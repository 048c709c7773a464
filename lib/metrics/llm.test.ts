import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { aggregateTraces, aggregatorFromState, createAggregator } from './aggregator.ts';
import type { AggregationOptions } from './types.ts';

const SECOND = 1_000_000;
const T0 = 1_700_000_000 * SECOND;
/** 60 s: 120 buckets of 0.5 s (lib/metrics/timeline.ts). */
const window: AggregationOptions = { windowStartUs: T0, windowEndUs: T0 + 60 * SECOND };

const trace = (id: number, spans: Span[]): Trace => aTrace(spans, hexId(id, 32));
const llmOf = (traces: Trace[], options: Partial<AggregationOptions> = {}) => {
  const { llm, llmTimeline, llmSpenders, llmMismatches } = aggregateTraces(traces, { ...window, ...options });
  return { llm, llmTimeline, llmSpenders, llmMismatches };
};

describe('llm metric', () => {
  it('reads the current OTel GenAI names, the older ones and OpenInference', () => {
    const spans = [
      aSpan()
        .withStart(T0)
        .withDuration(2 * SECOND)
        .withTag('gen_ai.request.model', 'gemini-2.5-flash')
        .withTag('gen_ai.provider.name', 'gcp.gemini')
        .withTag('gen_ai.usage.input_tokens', 1000)
        .withTag('gen_ai.usage.output_tokens', 200)
        .withTag('gen_ai.usage.cache_read.input_tokens', 400)
        .withTag('gen_ai.usage.cost', 0.0012)
        .build(),
      aSpan()
        .withStart(T0)
        .withDuration(SECOND)
        .withTag('gen_ai.response.model', 'gpt-4o')
        .withTag('gen_ai.system', 'openai')
        .withTag('gen_ai.usage.prompt_tokens', '300')
        .withTag('gen_ai.usage.completion_tokens', 50)
        .withTag('gen_ai.usage.cache_read_input_tokens', 100)
        .build(),
      aSpan()
        .withStart(T0)
        .withDuration(SECOND / 2)
        .withTag('gen_ai.request.model', 'gpt-4o')
        .withTag('gen_ai.provider.name', 'openai')
        .withTag('gen_ai.usage.input_tokens', 200)
        .withTag('gen_ai.usage.output_tokens', 20)
        .withTag('gen_ai.usage.input_tokens.cached', 50)
        .build(),
      aSpan()
        .withStart(T0)
        .withDuration(4 * SECOND)
        .withTag('llm.model_name', 'claude-sonnet-4-5')
        .withTag('llm.provider', 'anthropic')
        .withTag('llm.token_count.prompt', 500)
        .withTag('llm.token_count.completion', 100)
        .withTag('llm.token_count.prompt_details.cache_read', 250)
        .withTag('llm.cost.total', 0.003)
        .build(),
      aSpan().withStart(T0).withTag('llm.request.model_name', 'x').withTag('llm.response.model_name', 'y').withTag('llm.system', 'acme').build(),
      aSpan().withStart(T0).withTag('http.route', '/not-an-llm-call').build(),
    ];
    const { llm } = llmOf([trace(1, spans)]);
    expect(llm.map((row) => row.model)).toEqual(['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'x']);
    expect(llm).toMatchObject([
      {
        provider: 'openai',
        calls: 2,
        inputTokens: 500,
        outputTokens: 70,
        cachedInputTokens: 150,
        totalTokens: 570,
        carriedCostUsd: null,
        carriedCostCalls: 0,
        outputTokensPerSecond: 70 / 1.5,
        modelMismatches: 0,
      },
      {
        provider: 'anthropic',
        calls: 1,
        inputTokens: 500,
        outputTokens: 100,
        cachedInputTokens: 250,
        carriedCostUsd: 0.003,
        outputTokensPerSecond: 25,
      },
      {
        provider: 'gcp.gemini',
        calls: 1,
        inputTokens: 1000,
        outputTokens: 200,
        cachedInputTokens: 400,
        carriedCostUsd: 0.0012,
        outputTokensPerSecond: 100,
      },
      { provider: 'acme', calls: 1, inputTokens: 0, outputTokens: 0, outputTokensPerSecond: null, modelMismatches: 1 },
    ]);
  });

  it('takes each field from its first key in precedence order, whatever order the tags come in', () => {
    const spans = [
      aSpan()
        .withStart(T0)
        .withTag('llm.model_name', 'c')
        .withTag('gen_ai.response.model', 'b')
        .withTag('gen_ai.request.model', 'a')
        .withTag('llm.provider', 'prov')
        .withTag('gen_ai.system', 'sys')
        .withTag('llm.token_count.prompt', 999)
        .withTag('gen_ai.usage.prompt_tokens', 99)
        .withTag('gen_ai.usage.input_tokens', 10)
        .withTag('llm.token_count.completion', 7)
        .withTag('gen_ai.usage.completion_tokens', 5)
        .withTag('llm.token_count.prompt_details.cache_read', 4)
        .withTag('gen_ai.usage.cache_read.input_tokens', 3)
        .withTag('llm.cost.total', 0.7)
        .withTag('gen_ai.usage.cost', 0.5)
        .build(),
      aSpan().withStart(T0).withTag('llm.model_name', 'c').withTag('gen_ai.response.model', 'b').build(),
      aSpan().withStart(T0).withTag('gen_ai.response.model', 'e').withTag('llm.request.model_name', 'd').build(),
      aSpan().withStart(T0).withTag('gen_ai.request.model', '').withTag('llm.model_name', 'f').build(),
    ];
    const { llm } = llmOf([trace(2, spans)]);
    expect(
      llm.map(({ model, provider, inputTokens, outputTokens, cachedInputTokens, carriedCostUsd, modelMismatches }) => ({
        model,
        provider,
        inputTokens,
        outputTokens,
        cachedInputTokens,
        carriedCostUsd,
        modelMismatches,
      })),
    ).toEqual([
      { model: 'a', provider: 'sys', inputTokens: 10, outputTokens: 5, cachedInputTokens: 3, carriedCostUsd: 0.5, modelMismatches: 1 },
      { model: 'b', provider: null, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, carriedCostUsd: null, modelMismatches: 0 },
      { model: 'd', provider: null, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, carriedCostUsd: null, modelMismatches: 1 },
      // An empty request model counts as absent.
      { model: 'f', provider: null, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, carriedCostUsd: null, modelMismatches: 0 },
    ]);
  });

  it('keeps a model served by two providers (or by one that does not say) as separate rows', () => {
    const call = (provider?: string) => {
      const span = aSpan().withStart(T0).withTag('gen_ai.request.model', 'gpt-4o');
      if (provider !== undefined) span.withTag('gen_ai.provider.name', provider);
      return span.build();
    };
    const { llm, llmTimeline } = llmOf([trace(8, [call('openai'), call('openai'), call('azure.ai.openai'), call()])]);
    expect(llm.map((row) => [row.model, row.provider, row.calls])).toEqual([
      ['gpt-4o', 'openai', 2],
      ['gpt-4o', null, 1],
      ['gpt-4o', 'azure.ai.openai', 1],
    ]);
    expect(llmTimeline.models.map((series) => [series.provider, series.calls[0]])).toEqual([
      ['openai', 2],
      [null, 1],
      ['azure.ai.openai', 1],
    ]);
  });

  it('ignores token counts and costs that are no numbers', () => {
    const spans = [
      aSpan()
        .withStart(T0)
        .withTag('gen_ai.request.model', 'm')
        .withTag('gen_ai.usage.input_tokens', 'many')
        .withTag('gen_ai.usage.output_tokens', -4)
        .withTag('gen_ai.usage.cost', 'free')
        .build(),
    ];
    expect(llmOf([trace(3, spans)]).llm).toMatchObject([
      { model: 'm', calls: 1, inputTokens: 0, outputTokens: 0, carriedCostUsd: null, carriedCostCalls: 0 },
    ]);
  });

  it('gives exact p50/p95/p99 and the errors by type', () => {
    const durations = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1); // 1..100, shuffled
    const spans = durations.map((durationUs, i) => {
      const span = aSpan().withStart(T0).withDuration(durationUs).withTag('gen_ai.request.model', 'm');
      if (i < 3) span.withError().withTag('error.type', 'rate_limit');
      if (i === 3) span.withError().withTag('otel.status_description', 'boom');
      if (i === 4) span.withError();
      return span.build();
    });
    expect(llmOf([trace(4, spans)]).llm).toMatchObject([
      {
        calls: 100,
        errors: 5,
        p50Us: 50,
        p95Us: 95,
        p99Us: 99,
        errorsByType: [
          { errorType: 'rate_limit', count: 3 },
          { errorType: '(unknown)', count: 1 },
          { errorType: 'boom', count: 1 },
        ],
      },
    ]);
  });

  it('lays calls, tokens and carried cost over the time buckets', () => {
    const call = (startUs: number, input: number, cost: number) =>
      aSpan()
        .withStart(startUs)
        .withTag('gen_ai.request.model', 'm')
        .withTag('gen_ai.usage.input_tokens', input)
        .withTag('gen_ai.usage.output_tokens', 1)
        .withTag('gen_ai.usage.cost', cost)
        .build();
    const { llmTimeline } = llmOf([trace(5, [call(T0, 10, 0.1), call(T0 + 30 * SECOND, 20, 0.2), call(T0 + 30.2 * SECOND, 30, 0.3)])]);
    expect(llmTimeline.bucketWidthUs).toBe(SECOND / 2);
    expect(llmTimeline.startsUs).toHaveLength(120);
    expect(llmTimeline.startsUs[60]).toBe(T0 + 30 * SECOND);
    const [series] = llmTimeline.models;
    expect(series?.calls[0]).toBe(1);
    expect(series?.calls[60]).toBe(2);
    expect(series?.inputTokens[60]).toBe(50);
    expect(series?.outputTokens[60]).toBe(2);
    expect(series?.carriedCostUsd[60]).toBe(0.5);
    expect(series?.calls.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('groups who spends by a tag of the LLM span, else of its nearest ancestor carrying it', () => {
    const actor = aSpan().withService('actor').withOperation('actor::execute').withStart(T0).withTag('actor_name', 'planner').build();
    const narrative = aSpan().withService('actor').withOperation('narrative').childOf(actor).withStart(T0).build();
    const server = aSpan().withService('gw').withOperation('POST /v1/generate').childOf(narrative).withStart(T0).build();
    const llmCall = (parent: Span | string, input: number) =>
      aSpan()
        .withService('gw')
        .withOperation('generate')
        .childOf(parent)
        .withStart(T0)
        .withTag('gen_ai.request.model', 'm')
        .withTag('gen_ai.usage.input_tokens', input)
        .withTag('gen_ai.usage.output_tokens', 0);
    const spans = [
      actor,
      narrative,
      server,
      llmCall(server, 100).build(),
      llmCall(server, 40).build(),
      llmCall(server, 10).withTag('actor_name', 'critic').build(),
      llmCall('ffffffffffffffff', 1).build(), // its parent never arrived: the chain is broken
    ];
    const byActor = llmOf([trace(6, spans)], { groupBy: ['tag:actor_name'] }).llmSpenders;
    expect(byActor.groupBy).toEqual(['tag:actor_name']);
    expect(byActor.rows.map(({ values, model, calls, inputTokens }) => ({ values, model, calls, inputTokens }))).toEqual([
      { values: ['planner'], model: 'm', calls: 2, inputTokens: 140 },
      { values: ['critic'], model: 'm', calls: 1, inputTokens: 10 },
      { values: ['(none)'], model: 'm', calls: 1, inputTokens: 1 },
    ]);
    const byDefault = llmOf([trace(6, spans)]).llmSpenders;
    expect(byDefault.rows.map((row) => [row.values, row.calls])).toEqual([[['gw', 'generate'], 4]]);
  });

  it('keeps the 20 earliest mismatches, in start order, and counts them all', () => {
    const spans = Array.from({ length: 25 }, (_, i) =>
      aSpan()
        .withSpanId(hexId(100 + i))
        .withStart(T0 + (25 - i))
        .withTag('gen_ai.request.model', 'gemini-2.5-pro')
        .withTag('gen_ai.response.model', 'gemini-2.5-flash')
        .build(),
    );
    const { llm, llmMismatches } = llmOf([trace(7, spans)]);
    expect(llm[0]?.modelMismatches).toBe(25);
    expect(llmMismatches).toHaveLength(20);
    expect(llmMismatches.map((m) => m.startUs)).toEqual(Array.from({ length: 20 }, (_, i) => T0 + 1 + i));
    expect(llmMismatches[0]).toEqual({
      traceId: hexId(7, 32),
      spanId: hexId(124),
      service: 'svc',
      operation: 'op',
      startUs: T0 + 1,
      requestModel: 'gemini-2.5-pro',
      responseModel: 'gemini-2.5-flash',
    });
  });

  it('merges states of disjoint traces into what one pass gives', () => {
    const traces = Array.from({ length: 12 }, (_, t) => {
      const root = aSpan()
        .withStart(T0 + t * SECOND)
        .withTag('tenant', `t${t % 3}`)
        .build();
      const calls = Array.from({ length: 3 }, (_, c) =>
        aSpan()
          .childOf(root)
          .withStart(T0 + t * 4 * SECOND + c)
          .withDuration(1_000 * (t + c + 1))
          .withError((t + c) % 4 === 0)
          .withTag('gen_ai.request.model', c === 0 ? 'a' : 'b')
          .withTag('gen_ai.response.model', c === 2 ? 'b-2025' : c === 0 ? 'a' : 'b')
          .withTag('gen_ai.usage.input_tokens', 10 * t + c)
          .withTag('gen_ai.usage.output_tokens', t + 1)
          .withTag('gen_ai.usage.cost', 0.001 * (t + 1))
          .build(),
      );
      return trace(20 + t, [root, ...calls]);
    });
    const options = { ...window, groupBy: ['tag:tenant'] as const };
    const whole = createAggregator(options, ['llm']);
    for (const t of traces) whole.addTrace(t);
    const first = createAggregator(options, ['llm']);
    const second = createAggregator(options, ['llm']);
    traces.forEach((t, i) => (i % 2 === 0 ? first : second).addTrace(t));
    const merged = aggregatorFromState(options, structuredClone(first.toState()), ['llm']);
    merged.mergeState(structuredClone(second.toState()));
    expect(merged.finish()).toEqual(whole.finish());
  });
});
