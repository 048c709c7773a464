import type { Span, TagValue } from '../jaeger/span.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type SpanVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import type { LlmModelRow } from './types.ts';

/**
 * The LLM tags of a span, read in one pass over its tags (most spans have none, so the pass must be
 * cheap): for each field, the first key of its list that is present wins (design §4 "LLM": current
 * OTel GenAI names first, then the older ones).
 */
const FIELD_KEYS = {
  requested: ['gen_ai.request.model'],
  responded: ['gen_ai.response.model'],
  openInference: ['llm.model_name'],
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
  input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'],
  output: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'],
} as const;
type Field = keyof typeof FIELD_KEYS;
const FIELD_OF_KEY = new Map<string, { readonly field: Field; readonly priority: number }>(
  (Object.entries(FIELD_KEYS) as [Field, readonly string[]][]).flatMap(([field, keys]) =>
    keys.map((key, priority) => [key, { field, priority }] as const),
  ),
);

interface LlmTags {
  values: Partial<Record<Field, TagValue>>;
  priorities: Partial<Record<Field, number>>;
}

function readLlmTags(span: Span): LlmTags | null {
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

function tokenCount(value: TagValue | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

type LlmState = readonly (Omit<ModelCell, 'durations'> & { readonly durations: Float64Array })[];

interface ModelCell {
  readonly model: string;
  provider: string | null;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  modelMismatches: number;
  readonly durations: FloatList;
}

/**
 * Per model over the counted spans that name one: model = request model, else response model,
 * else `llm.model_name`; a mismatch is a span whose request and response models are both set and
 * differ; tokens read the current key, then the legacy ones.
 */
class LlmAccumulator implements MetricAccumulator<LlmState, { readonly llm: readonly LlmModelRow[] }> {
  readonly cells = new Map<string, ModelCell>();

  constructor(state: LlmState = []) {
    for (const cell of state) this.cells.set(cell.model, { ...cell, durations: FloatList.from(cell.durations) });
  }

  addSpan({ span, error }: SpanVisit): void {
    const tags = readLlmTags(span);
    if (tags === null) return;
    const { requested, responded, openInference, provider, input, output } = tags.values;
    const model = requested ?? responded ?? openInference;
    if (model === undefined) return;
    const name = String(model);
    let cell = this.cells.get(name);
    if (cell === undefined) {
      cell = { model: name, provider: null, errors: 0, inputTokens: 0, outputTokens: 0, modelMismatches: 0, durations: new FloatList() };
      this.cells.set(name, cell);
    }
    if (provider !== undefined && (cell.provider === null || String(provider) < cell.provider)) cell.provider = String(provider);
    if (error) cell.errors++;
    cell.inputTokens += tokenCount(input);
    cell.outputTokens += tokenCount(output);
    if (requested !== undefined && responded !== undefined && String(requested) !== String(responded)) cell.modelMismatches++;
    cell.durations.push(span.durationUs);
  }

  toState(): LlmState {
    return [...this.cells.values()].map((cell) => ({ ...cell, durations: cell.durations.toFloat64Array() }));
  }

  merge(other: LlmAccumulator): void {
    for (const [name, cell] of other.cells) {
      const mine = this.cells.get(name);
      if (mine === undefined) {
        this.cells.set(name, { ...cell, durations: FloatList.from(cell.durations.view()) });
        continue;
      }
      if (cell.provider !== null && (mine.provider === null || cell.provider < mine.provider)) mine.provider = cell.provider;
      mine.errors += cell.errors;
      mine.inputTokens += cell.inputTokens;
      mine.outputTokens += cell.outputTokens;
      mine.modelMismatches += cell.modelMismatches;
      mine.durations.append(cell.durations);
    }
  }

  finish(): { readonly llm: readonly LlmModelRow[] } {
    const llm = [...this.cells.values()]
      .map((cell) => {
        const sorted = cell.durations.sorted();
        return {
          model: cell.model,
          provider: cell.provider,
          calls: sorted.length,
          errors: cell.errors,
          p50Us: nearestRank(sorted, 0.5),
          p95Us: nearestRank(sorted, 0.95),
          inputTokens: cell.inputTokens,
          outputTokens: cell.outputTokens,
          modelMismatches: cell.modelMismatches,
        };
      })
      .sort((a, b) => b.calls - a.calls || compareCodeUnits(a.model, b.model));
    return { llm };
  }
}

export const llmMetric = defineMetric({
  definition:
    'Per LLM model (gen_ai.request.model, else gen_ai.response.model, else llm.model_name) of the counted spans: calls, errors, ' +
    'exact p50/p95, input and output tokens (current gen_ai.usage names first, then the older ones), and request/response model mismatches.',
  create: (_context, state?: LlmState) => new LlmAccumulator(state),
  buffers: (state) => state.map((cell) => cell.durations.buffer),
});
