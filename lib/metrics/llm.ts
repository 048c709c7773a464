import type { Span, TagValue } from '../jaeger/span.ts';
import { FloatList } from './float-list.ts';
import { nearestRank } from './percentiles.ts';
import { cmp } from './self-time.ts';
import { findTag } from './span-match.ts';
import type { LlmModelRow } from './types.ts';

/** Current OTel GenAI names first, then the older ones (design §4 "LLM"). */
const REQUEST_MODEL_KEYS = ['gen_ai.request.model'];
const RESPONSE_MODEL_KEYS = ['gen_ai.response.model'];
const OPENINFERENCE_MODEL_KEYS = ['llm.model_name'];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system'];
const INPUT_TOKEN_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'];
const OUTPUT_TOKEN_KEYS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'];

function firstTag(span: Span, keys: readonly string[]): TagValue | undefined {
  for (const key of keys) {
    const value = findTag(span.tags, key);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** `gen_ai.*` or `llm.*`: most spans have neither, and this check is one pass over the keys. */
function hasLlmTag(span: Span): boolean {
  const tags = span.tags;
  for (let i = 0; i < tags.length; i++) {
    const key = (tags[i] as { readonly key: string }).key;
    const c = key.charCodeAt(0);
    if ((c === 0x67 && key.startsWith('gen_ai.')) || (c === 0x6c && key.startsWith('llm.'))) return true;
  }
  return false;
}

function tokenCount(span: Span, keys: readonly string[]): number {
  const value = Number(firstTag(span, keys) ?? 0);
  return Number.isFinite(value) ? value : 0;
}

export type LlmState = readonly (Omit<ModelCell, 'durations'> & { readonly durations: Float64Array })[];

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
export class LlmAccumulator {
  readonly cells = new Map<string, ModelCell>();

  add(span: Span, error: boolean): void {
    if (!hasLlmTag(span)) return;
    const requested = firstTag(span, REQUEST_MODEL_KEYS);
    const responded = firstTag(span, RESPONSE_MODEL_KEYS);
    const model = requested ?? responded ?? firstTag(span, OPENINFERENCE_MODEL_KEYS);
    if (model === undefined) return;
    const name = String(model);
    let cell = this.cells.get(name);
    if (cell === undefined) {
      cell = { model: name, provider: null, errors: 0, inputTokens: 0, outputTokens: 0, modelMismatches: 0, durations: new FloatList(8) };
      this.cells.set(name, cell);
    }
    const provider = firstTag(span, PROVIDER_KEYS);
    if (provider !== undefined && (cell.provider === null || String(provider) < cell.provider)) cell.provider = String(provider);
    if (error) cell.errors++;
    cell.inputTokens += tokenCount(span, INPUT_TOKEN_KEYS);
    cell.outputTokens += tokenCount(span, OUTPUT_TOKEN_KEYS);
    if (requested !== undefined && responded !== undefined && String(requested) !== String(responded)) cell.modelMismatches++;
    cell.durations.push(span.durationUs);
  }

  toState(): LlmState {
    return [...this.cells.values()].map((cell) => ({ ...cell, durations: cell.durations.view().slice() }));
  }

  static fromState(state: LlmState): LlmAccumulator {
    const acc = new LlmAccumulator();
    for (const cell of state) acc.cells.set(cell.model, { ...cell, durations: FloatList.from(cell.durations) });
    return acc;
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

  finish(): LlmModelRow[] {
    return [...this.cells.values()]
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
      .sort((a, b) => b.calls - a.calls || cmp(a.model, b.model));
  }
}
