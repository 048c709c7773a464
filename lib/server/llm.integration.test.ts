import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LlmResponse } from '@/lib/http/api-types';
import { readSeedManifest, type HarnessManifest } from '@/lib/testing/jaeger-harness';
import { requireTestEnv } from '@/lib/testing/post-otlp';
import { seedSpansAsStored } from '@/lib/testing/seed/as-stored';
import { buildSeedWorkload, type SeedSpan } from '@/lib/testing/seed/workload';

/**
 * GET /api/llm through the route handler against the harness's real Jaeger holding the seeded workload,
 * every service searched (no `service`), priced by a test price file. The expected numbers come from the
 * workload's own spans, read here attribute by attribute: calls, errors, tokens, percentiles and error
 * types per requested model, dollars from the file's prices by hand, who spends by the `actor_name` of
 * the nearest ancestor, and the request/response model mismatches. A span Jaeger v2.13 tore apart
 * (jaeger#9261, see as-stored.ts) is expected as Jaeger holds it.
 */

/** USD per million tokens, unlike any bundled price, so a total that matches came from this file. */
const TEST_PRICES = {
  'gemini-2.5-flash': { inputPerMTok: 0.5, outputPerMTok: 4 },
  'gemini-2.5-pro': { inputPerMTok: 2, outputPerMTok: 12 },
  'gpt-4o-mini': { inputPerMTok: 0.25, outputPerMTok: 1 },
  'claude-sonnet-4-5': { inputPerMTok: 5, outputPerMTok: 20 },
} as const;

const dir = mkdtempSync(join(tmpdir(), 'spanlens-llm-it-'));
let manifest: HarnessManifest;
let stored: readonly SeedSpan[];
let llmSpans: SeedSpan[];

beforeAll(async () => {
  manifest = readSeedManifest();
  const workload = buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId });
  stored = (await seedSpansAsStored(requireTestEnv('SPANLENS_TEST_JAEGER_URL').replace(/\/+$/, ''), workload, manifest)).spans;
  llmSpans = stored.filter((span) => typeof span.attributes['gen_ai.request.model'] === 'string');
  writeFileSync(join(dir, 'prices.json'), JSON.stringify({ models: TEST_PRICES }));
});

afterAll(() => {
  delete process.env.SPANLENS_PRICES;
  rmSync(dir, { recursive: true, force: true });
});

const attr = (span: SeedSpan, key: string) => span.attributes[key];
const num = (span: SeedSpan, key: string) => {
  const value = attr(span, key);
  return typeof value === 'number' ? value : 0;
};
const mismatches = (span: SeedSpan) =>
  attr(span, 'gen_ai.response.model') !== undefined && String(attr(span, 'gen_ai.response.model')) !== String(attr(span, 'gen_ai.request.model'));
/** The ⌈q·n⌉-th smallest (design §4). */
const rank = (sorted: readonly number[], q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];

async function llm(jaegerUrl: string, extra: Record<string, string> = {}): Promise<LlmResponse> {
  vi.resetModules();
  process.env.JAEGER_URL = jaegerUrl;
  process.env.SPANLENS_PRICES = join(dir, 'prices.json');
  delete process.env.JAEGER_UI_URL;
  delete process.env.JAEGER_API;
  const route = await import('@/app/api/llm/route');
  const params = new URLSearchParams({
    tags: `${manifest.runAttribute}=${manifest.runId}`,
    // ms precision in the URL: widen to whole ms so every seeded span stays inside.
    start: new Date(Math.floor(manifest.startUs / 1_000)).toISOString(),
    end: new Date(Math.ceil(manifest.endUs / 1_000) + 1).toISOString(),
    ...extra,
  });
  const response = await route.GET(new Request(`http://spanlens.test/api/llm?${params}`));
  expect(response.status).toBe(200);
  return (await response.json()) as LlmResponse;
}

describe.each([
  ['the real Jaeger (legacy API)', 'SPANLENS_TEST_JAEGER_URL'],
  ['the v3-only proxy (Jaeger after jaeger#9260)', 'SPANLENS_TEST_V3_ONLY_URL'],
] as const)('GET /api/llm on %s', (_, urlVariable) => {
  let jaegerUrl: string;
  beforeAll(() => {
    jaegerUrl = requireTestEnv(urlVariable).replace(/\/+$/, '');
  });

  it('gives each seeded model its exact calls, errors, tokens, percentiles and cost from the price file', async () => {
    const answer = await llm(jaegerUrl);
    expect(answer.service).toBeNull();
    expect(answer.coverage).toMatchObject({ complete: true, partial: false });

    const models = [...new Set(llmSpans.map((span) => String(attr(span, 'gen_ai.request.model'))))].sort();
    const expected = models.map((model) => {
      const spans = llmSpans.filter((span) => attr(span, 'gen_ai.request.model') === model);
      const durations = spans.map((span) => span.durationUs).sort((a, b) => a - b);
      const inputTokens = spans.reduce((n, span) => n + num(span, 'gen_ai.usage.input_tokens'), 0);
      const outputTokens = spans.reduce((n, span) => n + num(span, 'gen_ai.usage.output_tokens'), 0);
      const price: { inputPerMTok: number; outputPerMTok: number } | undefined = TEST_PRICES[model as keyof typeof TEST_PRICES];
      const errorTypes = new Map<string, number>();
      for (const span of spans.filter((s) => s.error))
        errorTypes.set(String(attr(span, 'error.type')), (errorTypes.get(String(attr(span, 'error.type'))) ?? 0) + 1);
      return {
        model,
        provider: String(attr(spans[0] as SeedSpan, 'gen_ai.provider.name')),
        calls: spans.length,
        errorCount: spans.filter((span) => span.error).length,
        errorsByType: Object.fromEntries(errorTypes),
        p50Us: rank(durations, 0.5),
        p95Us: rank(durations, 0.95),
        p99Us: rank(durations, 0.99),
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        cachedInputTokens: 0,
        costUsd: price === undefined ? null : (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000,
        priceOrigin: price === undefined ? undefined : 'file',
        modelMismatches: spans.filter(mismatches).length,
      };
    });
    const actual = answer.models
      .map((row) => ({
        model: row.model,
        provider: row.provider,
        calls: row.calls,
        errorCount: row.errorCount,
        errorsByType: Object.fromEntries(row.errorsByType.map((e) => [e.errorType, e.count])),
        p50Us: row.p50Us,
        p95Us: row.p95Us,
        p99Us: row.p99Us,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        totalTokens: row.totalTokens,
        cachedInputTokens: row.cachedInputTokens,
        costUsd: row.costUsd,
        priceOrigin: row.price?.origin,
        modelMismatches: row.modelMismatches,
      }))
      .sort((a, b) => (a.model < b.model ? -1 : 1));
    expect(actual).toEqual(expected);

    const dollars = expected.reduce((n, row) => n + (row.costUsd ?? 0), 0);
    const unpriced = expected.filter((row) => row.costUsd === null);
    expect(answer.totals).toMatchObject({
      calls: llmSpans.length,
      unpricedCalls: unpriced.reduce((n, row) => n + row.calls, 0),
      unpricedModels: unpriced.map((row) => row.model),
    });
    expect(answer.totals.costUsd).toBeCloseTo(dollars, 12);
    expect(answer.timeline.points.reduce((n, p) => n + p.calls, 0)).toBe(llmSpans.length);
    expect(answer.timeline.points.reduce((n, p) => n + p.costUsd, 0)).toBeCloseTo(dollars, 12);
  });

  it('says who spends by the actor_name of the nearest ancestor, (none) where the chain is broken', async () => {
    const answer = await llm(jaegerUrl, { groupBy: 'tag:actor_name' });
    const byId = new Map(stored.map((span) => [`${span.traceId}/${span.spanId}`, span]));
    const actorOf = (span: SeedSpan): string => {
      for (let at: SeedSpan | undefined = span; at !== undefined;) {
        const name = attr(at, 'actor_name');
        if (typeof name === 'string') return name;
        at = at.parentSpanId === null ? undefined : byId.get(`${at.traceId}/${at.parentSpanId}`);
      }
      return '(none)';
    };
    const expected = new Map<string, { calls: number; totalTokens: number }>();
    for (const span of llmSpans) {
      const entry = expected.get(actorOf(span)) ?? { calls: 0, totalTokens: 0 };
      entry.calls += 1;
      entry.totalTokens += num(span, 'gen_ai.usage.input_tokens') + num(span, 'gen_ai.usage.output_tokens');
      expected.set(actorOf(span), entry);
    }
    expect(expected.get('(none)')?.calls).toBeGreaterThan(0); // the orphan shape's first LLM call
    expect(answer.spenders.omitted).toBe(0);
    expect(new Map(answer.spenders.rows.map((row) => [row.values[0], { calls: row.calls, totalTokens: row.totalTokens }]))).toEqual(expected);
  });

  it('lists the earliest request/response model mismatches with links into Jaeger', async () => {
    const answer = await llm(jaegerUrl);
    const mismatching = llmSpans.filter(mismatches).sort((a, b) => a.startUs - b.startUs || (a.traceId < b.traceId ? -1 : 1));
    expect(answer.totals.modelMismatches).toBe(mismatching.length);
    expect(answer.mismatches.map((m) => [m.spanId, m.requestModel, m.responseModel])).toEqual(
      mismatching.slice(0, 20).map((span) => [span.spanId, String(attr(span, 'gen_ai.request.model')), String(attr(span, 'gen_ai.response.model'))]),
    );
    for (const m of answer.mismatches) expect(m.jaegerUrl).toBe(`${jaegerUrl}/trace/${m.traceId}?uiFind=${m.spanId}`);
  });
});
