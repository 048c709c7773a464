import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmResponse } from '@/lib/http/api-types';

/**
 * GET /api/llm called as Next calls it, in demo mode over a file of ten agent → LLM traces with known
 * numbers, priced by a price file (SPANLENS_PRICES). Env is set before the route loads (lib/env reads it once).
 *   trace i (0…9): agent span `plan` tagged tenant = acme (i < 6) or globex, with one LLM client span under it:
 *   even i: gpt-4o (response gpt-4o-2024-08-06), 1,000 input of which 200 cached, 100 output
 *   odd i:  house-llm (no price anywhere), 500 input, 50 output; i = 1 fails with error.type rate_limit; i = 3 carries $0.01
 */
const dir = mkdtempSync(join(tmpdir(), 'spanlens-llm-route-'));
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const tag = (key: string, value: string | number | boolean) => ({
  key,
  type: typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float64',
  value,
});

function dataSet(endUs: number) {
  return {
    data: Array.from({ length: 10 }, (_, i) => {
      const traceID = hex(i + 1, 32);
      const rootID = hex(100 + i, 16);
      const startTime = endUs - 10 * 60_000_000 + i * 60_000_000;
      const even = i % 2 === 0;
      const llmTags = even
        ? [
            tag('gen_ai.provider.name', 'openai'),
            tag('gen_ai.request.model', 'gpt-4o'),
            tag('gen_ai.response.model', 'gpt-4o-2024-08-06'),
            tag('gen_ai.usage.input_tokens', 1_000),
            tag('gen_ai.usage.cache_read.input_tokens', 200),
            tag('gen_ai.usage.output_tokens', 100),
          ]
        : [
            tag('gen_ai.request.model', 'house-llm'),
            tag('gen_ai.usage.input_tokens', 500),
            tag('gen_ai.usage.output_tokens', 50),
            ...(i === 1 ? [tag('error', true), tag('error.type', 'rate_limit')] : []),
            ...(i === 3 ? [tag('gen_ai.usage.cost', 0.01)] : []),
          ];
      return {
        traceID,
        spans: [
          {
            traceID,
            spanID: rootID,
            operationName: 'plan',
            references: [],
            startTime,
            duration: 3_000_000,
            tags: [tag('span.kind', 'server'), tag('tenant', i < 6 ? 'acme' : 'globex')],
            logs: [],
            processID: 'p1',
            warnings: null,
          },
          {
            traceID,
            spanID: hex(200 + i, 16),
            operationName: 'chat',
            references: [{ refType: 'CHILD_OF', traceID, spanID: rootID }],
            startTime: startTime + 1_000,
            duration: (i + 1) * 100_000,
            tags: [tag('span.kind', 'client'), ...llmTags],
            logs: [],
            processID: 'p2',
            warnings: null,
          },
        ],
        processes: { p1: { serviceName: 'agent', tags: [] }, p2: { serviceName: 'llm', tags: [] } },
        warnings: null,
      };
    }),
  };
}

let route: typeof import('./llm/route');
let uploads: typeof import('./uploads/route');

beforeAll(async () => {
  writeFileSync(join(dir, 'traces.json'), JSON.stringify(dataSet(Date.now() * 1_000)));
  writeFileSync(join(dir, 'prices.json'), JSON.stringify({ models: { 'gpt-4o': { inputPerMTok: 2, outputPerMTok: 8 } } }));
  delete process.env.JAEGER_URL;
  delete process.env.JAEGER_UI_URL;
  process.env.SPANLENS_DATA_FILE = join(dir, 'traces.json');
  process.env.SPANLENS_PRICES = join(dir, 'prices.json');
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  route = await import('./llm/route');
  uploads = await import('./uploads/route');
});

afterAll(() => {
  delete process.env.SPANLENS_PRICES;
  rmSync(dir, { recursive: true, force: true });
});

const llm = async (search: string) => {
  const response = await route.GET(new Request(`http://spanlens.test/api/llm${search}`));
  return { status: response.status, body: (await response.json()) as LlmResponse & { error?: { code: string; field?: string } } };
};

describe('GET /api/llm', () => {
  it('counts calls, errors and tokens per model across every service, priced from the price file', async () => {
    const { status, body } = await llm('');
    expect(status).toBe(200);
    expect(body.service).toBeNull();
    expect(body.servicesSearched).toBe(2);
    expect(body.traces).toBe(10);
    expect(body.models).toMatchObject([
      {
        model: 'gpt-4o',
        provider: 'openai',
        calls: 5,
        errorCount: 0,
        inputTokens: 5_000,
        outputTokens: 500,
        totalTokens: 5_500,
        cachedInputTokens: 1_000,
        // The file gives no cached price: cached input is billed at the input price. (4,000 + 1,000) × $2 + 500 × $8 per million.
        costUsd: 0.014,
        price: { entry: 'gpt-4o', origin: 'file', inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: null, asOf: null, source: null },
        carriedCostUsd: null,
        modelMismatches: 5,
        // Durations 100, 300, 500, 700, 900 ms.
        p50Us: 500_000,
        p95Us: 900_000,
        p99Us: 900_000,
      },
      {
        model: 'house-llm',
        provider: null,
        calls: 5,
        errorCount: 1,
        errorsByType: [{ errorType: 'rate_limit', count: 1 }],
        inputTokens: 2_500,
        outputTokens: 250,
        costUsd: null,
        price: null,
        carriedCostUsd: 0.01,
        carriedCostCalls: 1,
      },
    ]);
    expect(body.totals).toEqual({
      calls: 10,
      errorCount: 1,
      inputTokens: 7_500,
      outputTokens: 750,
      totalTokens: 8_250,
      cachedInputTokens: 1_000,
      costUsd: 0.014,
      pricedCalls: 5,
      unpricedCalls: 5,
      unpricedModels: ['house-llm'],
      carriedCostUsd: 0.01,
      carriedCostCalls: 1,
      modelMismatches: 5,
    });
    expect(body.prices.file).toBe('prices.json');
    expect(body.definitions.attributes.requestModel).toEqual(['gen_ai.request.model', 'llm.request.model_name']);
  });

  it('lists the model mismatches, oldest first, without Jaeger links in demo mode', async () => {
    const { body } = await llm('');
    expect(body.mismatches.map((m) => [m.traceId, m.spanId, m.requestModel, m.responseModel, m.jaegerUrl])).toEqual(
      [0, 2, 4, 6, 8].map((i) => [hex(i + 1, 32), hex(200 + i, 16), 'gpt-4o', 'gpt-4o-2024-08-06', null]),
    );
  });

  it('says who spends by a tag of the calling span, unpriced calls counted apart', async () => {
    const { body } = await llm('?groupBy=tag:tenant');
    expect(body.spenders.groupBy).toEqual(['tag:tenant']);
    expect(
      body.spenders.rows.map(({ values, calls, costUsd, unpricedCalls, totalTokens }) => ({ values, calls, costUsd, unpricedCalls, totalTokens })),
    ).toEqual([
      // acme: gpt-4o in traces 0, 2, 4 (3 × 2,800 µ$) and house-llm in 1, 3, 5.
      { values: ['acme'], calls: 6, costUsd: 0.0084, unpricedCalls: 3, totalTokens: 3 * 1_100 + 3 * 550 },
      { values: ['globex'], calls: 4, costUsd: 0.0056, unpricedCalls: 2, totalTokens: 2 * 1_100 + 2 * 550 },
    ]);
  });

  it('lays tokens and cost over time buckets that add up to the totals', async () => {
    const { body } = await llm('');
    const points = body.timeline.points;
    expect(points.reduce((n, p) => n + p.calls, 0)).toBe(10);
    expect(points.reduce((n, p) => n + p.inputTokens, 0)).toBe(7_500);
    expect(points.reduce((n, p) => n + p.unpricedCalls, 0)).toBe(5);
    expect(points.reduce((n, p) => n + p.costUsd, 0)).toBeCloseTo(0.014, 12);
    expect(points.reduce((n, p) => n + (p.tokensByModel['house-llm'] ?? 0), 0)).toBe(2_750);
  });

  it('counts only the chosen service’s spans', async () => {
    const { body } = await llm('?service=agent');
    expect(body.servicesSearched).toBe(1);
    expect(body.models).toEqual([]);
    expect(body.totals).toMatchObject({ calls: 0, costUsd: 0, unpricedCalls: 0 });
    const llmOnly = await llm('?service=llm&tags=gen_ai.request.model=gpt-4o');
    expect(llmOnly.body.models.map((m) => [m.model, m.calls])).toEqual([['gpt-4o', 5]]);
  });

  it('reads an uploaded export with source=upload:ID', async () => {
    const form = new FormData();
    form.append('file', new File([JSON.stringify(dataSet(1_700_000_000_000_000))], 'agents.json'));
    const uploaded = await uploads.POST(new Request('http://spanlens.test/api/uploads', { method: 'POST', body: form }));
    expect(uploaded.status).toBe(201);
    const { upload } = (await uploaded.json()) as { upload: { source: string } };
    // The upload's spans end at 1,700,000,000 s: an absolute window around them.
    const { status, body } = await llm(`?source=${upload.source}&start=2023-11-14T21:50:00Z&end=2023-11-14T22:20:00Z`);
    expect(status).toBe(200);
    expect(body.source).toEqual({ mode: 'upload', label: 'agents.json' });
    expect(body.models.map((m) => [m.model, m.calls, m.costUsd])).toEqual([
      ['gpt-4o', 5, 0.014],
      ['house-llm', 5, null],
    ]);
  });

  it.each([
    ['?lookback=banana', 'lookback'],
    ['?groupBy=model', 'groupBy'],
    ['?limit=0', 'limit'],
    ['?source=elsewhere', 'source'],
  ])('answers 400 naming the param for %s', async (search, field) => {
    const { status, body } = await llm(search);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_query', field });
  });
});
