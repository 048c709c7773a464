import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import type { TraceSource } from '../jaeger/source.ts';
import { parseLlmQuery } from '../query/dashboard-query.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { computeSharedLlm } from './llm-service.ts';
import type { ResolvedSource } from './sources.ts';

const T0 = 1_700_000_000_000_000;
const WINDOW = { start: new Date(T0 / 1000).toISOString(), end: new Date(T0 / 1000 + 60_000).toISOString() };

/** One trace: agent `plan` (tenant acme) → llm `chat` (gpt-4o, 1,000 in / 100 out); the source counts its calls. */
function countingSource() {
  const root = aSpan()
    .withService('agent')
    .withOperation('plan')
    .withStart(T0 + 1_000)
    .withTag('tenant', 'acme')
    .build();
  const call = aSpan()
    .withService('llm')
    .withOperation('chat')
    .childOf(root)
    .withStart(T0 + 2_000)
    .withTag('gen_ai.request.model', 'gpt-4o')
    .withTag('gen_ai.usage.input_tokens', 1_000)
    .withTag('gen_ai.usage.output_tokens', 100)
    .build();
  const inner = createFileSource([aTrace([root, call], hexId(1, 32))]);
  const calls = { listServices: 0, searchTraces: 0 };
  const source: TraceSource = {
    kind: 'file',
    listServices: (options) => {
      calls.listServices += 1;
      return inner.listServices(options);
    },
    listOperations: (service, options) => inner.listOperations(service, options),
    searchTraces: (search, onBatch, options) => {
      calls.searchTraces += 1;
      return inner.searchTraces(search, onBatch, options);
    },
    getTrace: (traceId, options) => inner.getTrace(traceId, options),
  };
  const resolved: ResolvedSource = { source, info: { mode: 'upload', label: 'agents' }, jaegerUiUrl: null };
  return { resolved, calls };
}

const context = { nowMs: T0 / 1000 + 60_000, maxTraces: 2_000, prices: null, priceFile: undefined };

describe('computeSharedLlm', () => {
  it('answers identical requests in flight with one fan-out: one service list, one search per service', async () => {
    const { resolved, calls } = countingSource();
    const query = parseLlmQuery({ ...WINDOW, groupBy: 'tag:tenant' });
    const [a, b] = await Promise.all([computeSharedLlm(query, resolved, context), computeSharedLlm(query, resolved, context)]);
    expect(calls).toEqual({ listServices: 1, searchTraces: 2 });
    expect(b).toBe(a);
    // gpt-4o at the bundled $2.50 in / $10 out: 1,000 × 2.5 + 100 × 10 = 3,500 µ$.
    expect(a.models.map((m) => [m.model, m.calls, m.costUsd])).toEqual([['gpt-4o', 1, 0.0035]]);
    expect(a.spenders.rows.map((row) => [row.values, row.calls])).toEqual([[['acme'], 1]]);
  });

  it('computes a different query on its own', async () => {
    const { resolved, calls } = countingSource();
    await Promise.all([
      computeSharedLlm(parseLlmQuery(WINDOW), resolved, context),
      computeSharedLlm(parseLlmQuery({ ...WINDOW, service: 'llm' }), resolved, context),
    ]);
    expect(calls).toEqual({ listServices: 1, searchTraces: 3 });
  });
});
