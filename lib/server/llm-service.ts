import { basename } from 'node:path';
import type { LlmModelResponse, LlmPriceInfo, LlmResponse, LlmSpenderResponse, LlmTimelinePoint, LlmTotals } from '../http/api-types.ts';
import { RequestCoalescer } from '../jaeger/coalesce.ts';
import { buildSpanLink } from '../links/jaeger-links.ts';
import { LLM_ATTRIBUTES } from '../metrics/llm.ts';
import { BUNDLED_PRICES, costOf, lookupPrice, priceTableWith, type PriceLookup, type PriceTable } from '../metrics/llm-prices.ts';
import { METRICS } from '../metrics/registry.ts';
import type { LlmModelRow, LlmSpenderRow, LlmUsage } from '../metrics/types.ts';
import { serializeQuery, type LlmQuery } from '../query/dashboard-query.ts';
import { resolveWindow } from '../query/window.ts';
import { metricsDefinitions } from './metrics-service.ts';
import { aggregateQueryAcrossServices, type AcrossServicesContext } from './per-service.ts';
import { sharedRequestKey } from './shared-metrics.ts';
import type { ResolvedSource } from './sources.ts';

export type LlmContext = AcrossServicesContext & {
  readonly prices: PriceTable | null;
  readonly priceFile: string | undefined;
};

/** "Who spends" rows answered; the rest are counted in `omitted`. */
const MAX_SPENDER_ROWS = 100;

const PRICE_RULE =
  'cost = (input − cached input) × inputPerMTok + cached input × cachedInputPerMTok (the input price when the table has none) + ' +
  'output × outputPerMTok, per million tokens, USD. A model is priced by its exact name, else a dated snapshot ' +
  '(-2024-08-06, -20241022, -001, -latest) by its longest base name. A model with no price has no cost: it is left out of ' +
  'every total and its calls are counted as unpriced.';

const SPENDER_RULE =
  'Each LLM call is grouped by the groupBy keys: service and operation are the LLM span’s own; a tag is read from the LLM span, ' +
  'else from its nearest ancestor in the trace that carries it; "(none)" when neither does (also when the chain is broken).';

function priceInfo(lookup: PriceLookup): LlmPriceInfo {
  const bundled = lookup.origin === 'bundled' ? BUNDLED_PRICES[lookup.entry] : undefined;
  return {
    entry: lookup.entry,
    origin: lookup.origin,
    inputPerMTok: lookup.price.inputPerMTok,
    outputPerMTok: lookup.price.outputPerMTok,
    cachedInputPerMTok: lookup.price.cachedInputPerMTok ?? null,
    asOf: bundled?.asOf ?? null,
    source: bundled?.source ?? null,
  };
}

const sumOrNull = (values: readonly (number | null)[]): number | null =>
  values.some((value) => value !== null) ? values.reduce<number>((sum, value) => sum + (value ?? 0), 0) : null;

function modelRow(row: LlmModelRow, lookup: PriceLookup | null): LlmModelResponse {
  return {
    model: row.model,
    provider: row.provider,
    calls: row.calls,
    errorCount: row.errors,
    errorsByType: row.errorsByType,
    p50Us: row.p50Us,
    p95Us: row.p95Us,
    p99Us: row.p99Us,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    totalTokens: row.totalTokens,
    cachedInputTokens: row.cachedInputTokens,
    outputTokensPerSecond: row.outputTokensPerSecond,
    costUsd: lookup === null ? null : costOf(row, lookup.price),
    price: lookup === null ? null : priceInfo(lookup),
    carriedCostUsd: row.carriedCostUsd,
    carriedCostCalls: row.carriedCostCalls,
    modelMismatches: row.modelMismatches,
  };
}

function totalsOf(models: readonly LlmModelResponse[]): LlmTotals {
  const sum = (pick: (row: LlmModelResponse) => number) => models.reduce((n, row) => n + pick(row), 0);
  const priced = models.filter((row) => row.costUsd !== null);
  const calls = sum((row) => row.calls);
  const pricedCalls = priced.reduce((n, row) => n + row.calls, 0);
  return {
    calls,
    errorCount: sum((row) => row.errorCount),
    inputTokens: sum((row) => row.inputTokens),
    outputTokens: sum((row) => row.outputTokens),
    totalTokens: sum((row) => row.totalTokens),
    cachedInputTokens: sum((row) => row.cachedInputTokens),
    costUsd: calls > 0 && pricedCalls === 0 ? null : priced.reduce((n, row) => n + (row.costUsd ?? 0), 0),
    pricedCalls,
    unpricedCalls: calls - pricedCalls,
    unpricedModels: models.filter((row) => row.costUsd === null).map((row) => row.model),
    carriedCostUsd: sumOrNull(models.map((row) => row.carriedCostUsd)),
    carriedCostCalls: sum((row) => row.carriedCostCalls),
    modelMismatches: sum((row) => row.modelMismatches),
  };
}

function spenderRows(rows: readonly LlmSpenderRow[], priceOf: (model: string) => PriceLookup | null): LlmSpenderResponse[] {
  const groups = new Map<string, { values: readonly string[]; parts: { row: LlmUsage & { model: string }; costUsd: number | null }[] }>();
  for (const row of rows) {
    const key = row.values.join('\u0000');
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { values: row.values, parts: [] }));
    const lookup = priceOf(row.model);
    group.parts.push({ row, costUsd: lookup === null ? null : costOf(row, lookup.price) });
  }
  return [...groups.values()].map(({ values, parts }) => {
    const sum = (pick: (row: LlmUsage) => number) => parts.reduce((n, part) => n + pick(part.row), 0);
    const priced = parts.filter((part) => part.costUsd !== null);
    const calls = sum((row) => row.calls);
    const unpricedCalls = calls - priced.reduce((n, part) => n + part.row.calls, 0);
    return {
      values,
      calls,
      errorCount: sum((row) => row.errors),
      inputTokens: sum((row) => row.inputTokens),
      outputTokens: sum((row) => row.outputTokens),
      totalTokens: sum((row) => row.inputTokens + row.outputTokens),
      cachedInputTokens: sum((row) => row.cachedInputTokens),
      costUsd: priced.length === 0 ? null : priced.reduce((n, part) => n + (part.costUsd ?? 0), 0),
      unpricedCalls,
      carriedCostUsd: sumOrNull(parts.map((part) => part.row.carriedCostUsd)),
      models: parts.map((part) => ({
        model: part.row.model,
        calls: part.row.calls,
        totalTokens: part.row.inputTokens + part.row.outputTokens,
        costUsd: part.costUsd,
      })),
    };
  });
}

const bySpend = (a: LlmSpenderResponse, b: LlmSpenderResponse) =>
  (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.totalTokens - a.totalTokens || b.calls - a.calls;

/**
 * `GET /api/llm`: LLM calls over a window, every trace of every service once (aggregateAcrossServices),
 * or of one service; priced at query time from the bundled table and the `SPANLENS_PRICES` file.
 * The query's filters choose the counted spans; each service's search asks Jaeger for its newest
 * traces over the window (filters are not pushed into the search, since a tag may sit on another
 * service's span than the one searched).
 */
export async function computeLlm(query: LlmQuery, resolved: ResolvedSource, context: LlmContext): Promise<LlmResponse> {
  const { result, services, traces, coverage, window } = await aggregateQueryAcrossServices(
    query,
    {
      options: {
        service: query.service,
        operation: query.operation,
        tags: query.tags,
        minDurationUs: query.minDurationUs,
        maxDurationUs: query.maxDurationUs,
        groupBy: query.groupBy,
        clientErrorsFrom4xx: query.clientErrors,
      },
      include: ['llm'],
    },
    resolved,
    context,
  );
  const table = priceTableWith(context.prices);
  const lookups = new Map<string, PriceLookup | null>();
  const priceOf = (model: string) => {
    if (!lookups.has(model)) lookups.set(model, lookupPrice(table, model));
    return lookups.get(model) ?? null;
  };
  const models = result.llm.map((row) => modelRow(row, priceOf(row.model)));

  const timeline = result.llmTimeline;
  const points: LlmTimelinePoint[] = timeline.startsUs.map((startUs, i) => {
    let calls = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let cachedInputTokens = 0;
    let costUsd = 0;
    let unpricedCalls = 0;
    let carriedCostUsd = 0;
    const tokensByModel: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const series of timeline.models) {
      const usage = {
        inputTokens: series.inputTokens[i] ?? 0,
        outputTokens: series.outputTokens[i] ?? 0,
        cachedInputTokens: series.cachedInputTokens[i] ?? 0,
      };
      const bucketCalls = series.calls[i] ?? 0;
      calls += bucketCalls;
      inputTokens += usage.inputTokens;
      outputTokens += usage.outputTokens;
      cachedInputTokens += usage.cachedInputTokens;
      carriedCostUsd += series.carriedCostUsd[i] ?? 0;
      tokensByModel[series.model] = (tokensByModel[series.model] ?? 0) + usage.inputTokens + usage.outputTokens;
      const lookup = priceOf(series.model);
      if (lookup === null) unpricedCalls += bucketCalls;
      else costUsd += costOf(usage, lookup.price);
    }
    return { startUs, calls, inputTokens, outputTokens, cachedInputTokens, costUsd, unpricedCalls, carriedCostUsd, tokensByModel };
  });

  const spenders = spenderRows(result.llmSpenders.rows, priceOf).sort(bySpend);
  const ui = resolved.jaegerUiUrl;
  return {
    source: resolved.info,
    query: serializeQuery(query),
    service: query.service ?? null,
    windowStartUs: window.startUs,
    windowEndUs: window.endUs,
    servicesSearched: services.length,
    traces,
    coverage,
    models,
    totals: totalsOf(models),
    timeline: { bucketWidthUs: timeline.bucketWidthUs, points },
    spenders: {
      groupBy: result.llmSpenders.groupBy,
      rows: spenders.slice(0, MAX_SPENDER_ROWS),
      omitted: Math.max(0, spenders.length - MAX_SPENDER_ROWS),
    },
    mismatches: result.llmMismatches.map((mismatch) => ({ ...mismatch, jaegerUrl: buildSpanLink(ui, mismatch.traceId, mismatch.spanId) })),
    prices: { file: context.priceFile === undefined ? null : basename(context.priceFile), rule: PRICE_RULE },
    definitions: {
      llm: METRICS.llm.definition,
      errorRule: metricsDefinitions(query.clientErrors, []).errorRule,
      attributes: LLM_ATTRIBUTES,
      spenderRule: SPENDER_RULE,
    },
  };
}

const coalescer = new RequestCoalescer();

/**
 * computeLlm shared by every identical request in flight (design §8: N viewers of one view, one
 * upstream fan-out): same source, query, resolved window (relative windows end on an alignment step),
 * trace ceiling and price file. One caller leaving does not cancel the others (RequestCoalescer).
 */
export function computeSharedLlm(query: LlmQuery, resolved: ResolvedSource, context: LlmContext): Promise<LlmResponse> {
  const key = sharedRequestKey(resolved, query, resolveWindow(query, context.nowMs), context.maxTraces, context.priceFile ?? null);
  return coalescer.run(key, (signal) => computeLlm(query, resolved, { ...context, signal }), context.signal);
}
