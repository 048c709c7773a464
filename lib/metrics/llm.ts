import type { Span, TagValue } from '../jaeger/span.ts';
import { compareCodeUnits, spanTagValue } from '../jaeger/span-rules.ts';
import { errorType } from './errors.ts';
import { FloatList } from './float-list.ts';
import { MISSING_TAG_VALUE } from './groups.ts';
import { defineMetric, type MetricAccumulator, type MetricContext, type SpanVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import type { TimeBuckets } from './timeline.ts';
import type { GroupByKey, LlmMismatch, LlmModelRow, LlmSpenderRow, LlmSpenders, LlmTimeline, LlmUsage } from './types.ts';

/**
 * The LLM attributes read from a span, each field's keys in precedence order: the first key present
 * with a non-empty value wins. Current OTel GenAI names first, then their older names, then
 * OpenInference's (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/,
 * https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md):
 * - model: the request model, else the response model, else OpenInference's `llm.model_name`;
 * - cached input: `gen_ai.usage.cache_read.input_tokens` (semconv: "SHOULD be included in
 *   gen_ai.usage.input_tokens"), its older spellings, OpenInference's `prompt_details.cache_read`
 *   (OpenAI's `cached_tokens`, also inside the prompt count);
 * - cost a span carries itself: `gen_ai.usage.cost` (the name Langfuse reads), OpenInference's `llm.cost.total`.
 */
export const LLM_ATTRIBUTES = {
  requestModel: ['gen_ai.request.model', 'llm.request.model_name'],
  responseModel: ['gen_ai.response.model', 'llm.response.model_name'],
  modelName: ['llm.model_name'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'],
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'],
  outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'],
  cachedInputTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.input_tokens.cached',
    'llm.token_count.prompt_details.cache_read',
  ],
  costUsd: ['gen_ai.usage.cost', 'llm.cost.total'],
} as const;
type Field = keyof typeof LLM_ATTRIBUTES;
const FIELD_OF_KEY = new Map<string, { readonly field: Field; readonly priority: number }>(
  (Object.entries(LLM_ATTRIBUTES) as [Field, readonly string[]][]).flatMap(([field, keys]) =>
    keys.map((key, priority) => [key, { field, priority }] as const),
  ),
);

interface LlmTags {
  values: Partial<Record<Field, TagValue>>;
  priorities: Partial<Record<Field, number>>;
}

/** One pass over the span's tags (most spans have none of these, so the pass must be cheap). Also read by the /metrics exporter's llm set. */
export function readLlmTags(span: Span): LlmTags | null {
  let found: LlmTags | null = null;
  const tags = span.tags;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as { readonly key: string; readonly value: TagValue };
    const c = tag.key.charCodeAt(0);
    // 'g' (gen_ai.*) or 'l' (llm.*): one compare rejects almost every other key.
    if (c !== 0x67 && c !== 0x6c) continue;
    const slot = FIELD_OF_KEY.get(tag.key);
    if (slot === undefined || tag.value === '') continue;
    found ??= { values: {}, priorities: {} };
    const current = found.priorities[slot.field];
    if (current === undefined || slot.priority < current) {
      found.values[slot.field] = tag.value;
      found.priorities[slot.field] = slot.priority;
    }
  }
  return found;
}

/** A token count as a whole number; a value that is no count (text, negative, infinite) adds nothing. */
export function tokenCount(value: TagValue | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

/**
 * A carried cost in whole nano-dollars, or null when the span carries none (or junk). Integers add up
 * exactly in any order, so a window split across sub-windows or workers sums to the same dollars.
 */
function costNanoUsd(value: TagValue | undefined): number | null {
  if (value === undefined || typeof value === 'boolean') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e9) : null;
}

/** Calls, tokens and carried cost: the sums each model, bucket and spender keeps. */
interface UsageCell {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  carriedCostNanoUsd: number;
  carriedCostCalls: number;
}

const emptyUsage = (): UsageCell => ({
  calls: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  carriedCostNanoUsd: 0,
  carriedCostCalls: 0,
});

function addUsage(into: UsageCell, from: UsageCell): void {
  into.calls += from.calls;
  into.errors += from.errors;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.carriedCostNanoUsd += from.carriedCostNanoUsd;
  into.carriedCostCalls += from.carriedCostCalls;
}

function usageOut(cell: UsageCell): LlmUsage {
  return {
    calls: cell.calls,
    errors: cell.errors,
    inputTokens: cell.inputTokens,
    outputTokens: cell.outputTokens,
    cachedInputTokens: cell.cachedInputTokens,
    carriedCostUsd: cell.carriedCostCalls === 0 ? null : cell.carriedCostNanoUsd / 1e9,
    carriedCostCalls: cell.carriedCostCalls,
  };
}

/** Per bucket: calls, input, output, cached input tokens, carried nano-dollars. */
const BUCKET_FIELDS = 5;

interface ModelCell extends UsageCell {
  readonly model: string;
  readonly provider: string | null;
  modelMismatches: number;
  /** Output tokens and duration of the calls that reported output tokens: the tokens-per-second ratio. */
  timedOutputTokens: number;
  timedDurationUs: number;
  readonly errorTypes: Map<string, number>;
  readonly durations: FloatList;
  readonly buckets: Float64Array;
}

interface SpenderCell extends UsageCell {
  readonly values: readonly string[];
  readonly model: string;
}

const MAX_MISMATCH_EXAMPLES = 20;

type ModelState = Omit<ModelCell, 'durations' | 'errorTypes'> & {
  readonly durations: Float64Array;
  readonly errorTypes: readonly (readonly [string, number])[];
};
interface LlmState {
  readonly models: readonly ModelState[];
  readonly spenders: readonly SpenderCell[];
  readonly mismatches: readonly LlmMismatch[];
}

export interface LlmOutput {
  readonly llm: readonly LlmModelRow[];
  readonly llmTimeline: LlmTimeline;
  readonly llmSpenders: LlmSpenders;
  /** The earliest calls (by start, then IDs) whose response model differs from the request's, at most 20. */
  readonly llmMismatches: readonly LlmMismatch[];
}

const earlier = (a: LlmMismatch, b: LlmMismatch) =>
  a.startUs - b.startUs || compareCodeUnits(a.traceId, b.traceId) || compareCodeUnits(a.spanId, b.spanId);

/**
 * A group value for "who spends": `service` and `operation` are the LLM span's own; a tag is the LLM
 * span's own, else that of its nearest ancestor carrying it (parent references inside the trace), so
 * `actor_name` set on the actor's span names the LLM calls beneath it. A broken chain (an orphan) or
 * no carrier gives "(none)"; the walk stops after as many steps as the trace has spans (cycles).
 */
function spenderValue(visit: SpanVisit, key: GroupByKey): string {
  if (key === 'service') return visit.span.service;
  if (key === 'operation') return visit.span.operation;
  const tag = key.slice('tag:'.length);
  const own = spanTagValue(visit.span, tag);
  if (own !== undefined) return String(own);
  const { spans, parent } = visit.trace.index;
  let at = parent[visit.spanIndex] as number;
  for (let steps = 0; at >= 0 && steps < spans.length; steps++) {
    const value = spanTagValue(spans[at] as Span, tag);
    if (value !== undefined) return String(value);
    at = parent[at] as number;
  }
  return MISSING_TAG_VALUE;
}

/**
 * Per model and provider over the counted spans that name a model (see LLM_ATTRIBUTES for the precedence): calls,
 * errors by type, exact p50/p95/p99, tokens, carried cost; per time bucket; per group of the query's
 * groupBy keys and model; and example request/response model mismatches.
 */
class LlmAccumulator implements MetricAccumulator<LlmState, LlmOutput> {
  readonly models = new Map<string, ModelCell>();
  readonly spenders = new Map<string, SpenderCell>();
  mismatches: LlmMismatch[] = [];
  private readonly buckets: TimeBuckets;
  private readonly groupBy: readonly GroupByKey[];

  constructor(context: MetricContext, state?: LlmState) {
    this.buckets = context.buckets;
    this.groupBy = context.groupBy;
    if (state === undefined) return;
    for (const cell of state.models) {
      this.models.set(modelKey(cell.model, cell.provider), {
        ...cell,
        errorTypes: new Map(cell.errorTypes),
        durations: FloatList.from(cell.durations),
        buckets: Float64Array.from(cell.buckets),
      });
    }
    for (const cell of state.spenders) this.spenders.set(spenderKey(cell.values, cell.model), { ...cell });
    this.mismatches = [...state.mismatches];
  }

  private modelCell(model: string, provider: string | null): ModelCell {
    const key = modelKey(model, provider);
    let cell = this.models.get(key);
    if (cell === undefined) {
      cell = {
        model,
        provider,
        ...emptyUsage(),
        modelMismatches: 0,
        timedOutputTokens: 0,
        timedDurationUs: 0,
        errorTypes: new Map(),
        durations: new FloatList(),
        buckets: new Float64Array(this.buckets.count * BUCKET_FIELDS),
      };
      this.models.set(key, cell);
    }
    return cell;
  }

  private spenderCell(values: readonly string[], model: string): SpenderCell {
    const key = spenderKey(values, model);
    let cell = this.spenders.get(key);
    if (cell === undefined) {
      cell = { values, model, ...emptyUsage() };
      this.spenders.set(key, cell);
    }
    return cell;
  }

  addSpan(visit: SpanVisit): void {
    const { span, error, bucket } = visit;
    const tags = readLlmTags(span);
    if (tags === null) return;
    const { requestModel, responseModel, modelName, provider } = tags.values;
    const model = requestModel ?? responseModel ?? modelName;
    if (model === undefined) return;
    const cost = costNanoUsd(tags.values.costUsd);
    const usage: UsageCell = {
      calls: 1,
      errors: error ? 1 : 0,
      inputTokens: tokenCount(tags.values.inputTokens),
      outputTokens: tokenCount(tags.values.outputTokens),
      cachedInputTokens: tokenCount(tags.values.cachedInputTokens),
      carriedCostNanoUsd: cost ?? 0,
      carriedCostCalls: cost === null ? 0 : 1,
    };
    const cell = this.modelCell(String(model), provider === undefined ? null : String(provider));
    addUsage(cell, usage);
    if (error) {
      const type = errorType(span);
      cell.errorTypes.set(type, (cell.errorTypes.get(type) ?? 0) + 1);
    }
    if (usage.outputTokens > 0 && span.durationUs > 0) {
      cell.timedOutputTokens += usage.outputTokens;
      cell.timedDurationUs += span.durationUs;
    }
    cell.durations.push(span.durationUs);
    const at = bucket * BUCKET_FIELDS;
    const b = cell.buckets;
    b[at] = (b[at] as number) + 1;
    b[at + 1] = (b[at + 1] as number) + usage.inputTokens;
    b[at + 2] = (b[at + 2] as number) + usage.outputTokens;
    b[at + 3] = (b[at + 3] as number) + usage.cachedInputTokens;
    b[at + 4] = (b[at + 4] as number) + usage.carriedCostNanoUsd;

    if (requestModel !== undefined && responseModel !== undefined && String(requestModel) !== String(responseModel)) {
      cell.modelMismatches++;
      this.keepMismatches([
        {
          traceId: span.traceId,
          spanId: span.spanId,
          service: span.service,
          operation: span.operation,
          startUs: span.startUs,
          requestModel: String(requestModel),
          responseModel: String(responseModel),
        },
      ]);
    }

    const values = this.groupBy.map((key) => spenderValue(visit, key));
    addUsage(this.spenderCell(values, cell.model), usage);
  }

  private keepMismatches(incoming: readonly LlmMismatch[]): void {
    const last = this.mismatches[this.mismatches.length - 1];
    if (incoming.length === 1 && this.mismatches.length >= MAX_MISMATCH_EXAMPLES && last && earlier(incoming[0] as LlmMismatch, last) >= 0) return;
    this.mismatches = [...this.mismatches, ...incoming].sort(earlier).slice(0, MAX_MISMATCH_EXAMPLES);
  }

  toState(): LlmState {
    return {
      models: [...this.models.values()].map((cell) => ({
        ...cell,
        errorTypes: [...cell.errorTypes],
        durations: cell.durations.toFloat64Array(),
        buckets: Float64Array.from(cell.buckets),
      })),
      spenders: [...this.spenders.values()],
      mismatches: this.mismatches,
    };
  }

  merge(other: LlmAccumulator): void {
    for (const theirs of other.models.values()) {
      const mine = this.modelCell(theirs.model, theirs.provider);
      addUsage(mine, theirs);
      mine.modelMismatches += theirs.modelMismatches;
      mine.timedOutputTokens += theirs.timedOutputTokens;
      mine.timedDurationUs += theirs.timedDurationUs;
      for (const [type, count] of theirs.errorTypes) mine.errorTypes.set(type, (mine.errorTypes.get(type) ?? 0) + count);
      mine.durations.append(theirs.durations);
      for (let i = 0; i < mine.buckets.length; i++) mine.buckets[i] = (mine.buckets[i] as number) + (theirs.buckets[i] as number);
    }
    for (const theirs of other.spenders.values()) addUsage(this.spenderCell(theirs.values, theirs.model), theirs);
    this.keepMismatches(other.mismatches);
  }

  finish(): LlmOutput {
    const cells = [...this.models.values()].sort(
      (a, b) => b.calls - a.calls || compareCodeUnits(a.model, b.model) || compareCodeUnits(a.provider ?? '', b.provider ?? ''),
    );
    const llm = cells.map((cell): LlmModelRow => {
      const sorted = cell.durations.sorted();
      return {
        model: cell.model,
        provider: cell.provider,
        ...usageOut(cell),
        errorsByType: [...cell.errorTypes]
          .map(([type, count]) => ({ errorType: type, count }))
          .sort((a, b) => b.count - a.count || compareCodeUnits(a.errorType, b.errorType)),
        p50Us: nearestRank(sorted, 0.5),
        p95Us: nearestRank(sorted, 0.95),
        p99Us: nearestRank(sorted, 0.99),
        totalTokens: cell.inputTokens + cell.outputTokens,
        outputTokensPerSecond: cell.timedDurationUs === 0 ? null : (cell.timedOutputTokens * 1e6) / cell.timedDurationUs,
        modelMismatches: cell.modelMismatches,
      };
    });
    const { startUs, widthUs, count } = this.buckets;
    const field = (cell: ModelCell, offset: number) => Array.from({ length: count }, (_, i) => cell.buckets[i * BUCKET_FIELDS + offset] as number);
    const llmTimeline: LlmTimeline = {
      bucketWidthUs: widthUs,
      startsUs: Array.from({ length: count }, (_, i) => startUs + i * widthUs),
      models: cells.map((cell) => ({
        model: cell.model,
        provider: cell.provider,
        calls: field(cell, 0),
        inputTokens: field(cell, 1),
        outputTokens: field(cell, 2),
        cachedInputTokens: field(cell, 3),
        carriedCostUsd: field(cell, 4).map((nano) => nano / 1e9),
      })),
    };
    const rows = [...this.spenders.values()]
      .map((cell): LlmSpenderRow => ({ values: cell.values, model: cell.model, ...usageOut(cell) }))
      .sort(
        (a, b) =>
          b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) ||
          b.calls - a.calls ||
          compareCodeUnits(spenderKey(a.values, a.model), spenderKey(b.values, b.model)),
      );
    return { llm, llmTimeline, llmSpenders: { groupBy: this.groupBy, rows }, llmMismatches: this.mismatches };
  }
}

const spenderKey = (values: readonly string[], model: string) => [...values, model].join('\u0000');
/** A model served by two providers (OpenAI and Azure, say) is two rows: their prices and failures differ. */
const modelKey = (model: string, provider: string | null) => `${model}\u0000${provider ?? ''}`;

export const llmMetric = defineMetric({
  definition:
    'Per LLM model and provider of the counted spans that name a model (gen_ai.request.model, else llm.request.model_name, gen_ai.response.model, ' +
    'llm.response.model_name, llm.model_name): calls, errors by type (error.type, exception.type, otel.status_description or a log ' +
    'message), exact p50/p95/p99, input, output and cached input tokens (current gen_ai.usage names first, then the older ones, then ' +
    'OpenInference llm.token_count.*), output tokens per second (output tokens ÷ duration of the calls that reported them), the cost ' +
    'spans carry (gen_ai.usage.cost, else llm.cost.total), request/response model mismatches; the same per time bucket and per group ' +
    'of the groupBy keys (a tag read from the LLM span, else its nearest ancestor carrying it).',
  create: (context, state?: LlmState) => new LlmAccumulator(context, state),
  buffers: (state) => state.models.flatMap((cell) => [cell.durations.buffer, cell.buckets.buffer]),
});
