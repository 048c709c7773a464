import type { LlmUsage } from './types.ts';

/** USD per million tokens; cached input is billed at `cachedInputPerMTok` when given, else at the input price. */
export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number | undefined;
}

/** The `SPANLENS_PRICES` file's shape: `{"models":{"<model>":{"inputPerMTok":N,"outputPerMTok":N,"cachedInputPerMTok":N?}}}`. */
export interface PriceTable {
  readonly models: Readonly<Record<string, ModelPrice>>;
}

/** A bundled price with where and when it was read: list prices change, so each says how old it is. */
export interface BundledPrice extends ModelPrice {
  /** The month the price was known (not re-checked since). */
  readonly asOf: string;
  readonly source: string;
}

const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing';
const OPENAI = 'https://openai.com/api/pricing/';
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing';

/**
 * List prices of common models, standard (not batch) tier, text tokens; Gemini 2.5 Pro at its
 * ≤ 200k-token-prompt rate. Anthropic's cached input here is a cache read (cache writes cost more and
 * are not told apart by the conventions). Check them against the source before trusting a total.
 */
export const BUNDLED_PRICES: Readonly<Record<string, BundledPrice>> = {
  'gemini-2.5-pro': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.31, asOf: '2025-06', source: GOOGLE },
  'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5, cachedInputPerMTok: 0.075, asOf: '2025-06', source: GOOGLE },
  'gemini-2.5-flash-lite': { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025, asOf: '2025-07', source: GOOGLE },
  'gemini-2.0-flash': { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025, asOf: '2025-06', source: GOOGLE },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25, asOf: '2025-08', source: OPENAI },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075, asOf: '2025-08', source: OPENAI },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, asOf: '2025-08', source: OPENAI },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1, asOf: '2025-08', source: OPENAI },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125, asOf: '2025-08', source: OPENAI },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2, cachedInputPerMTok: 0.025, asOf: '2025-08', source: OPENAI },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, asOf: '2025-10', source: ANTHROPIC },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, asOf: '2025-10', source: ANTHROPIC },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1, asOf: '2025-10', source: ANTHROPIC },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4, cachedInputPerMTok: 0.08, asOf: '2025-10', source: ANTHROPIC },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, asOf: '2025-10', source: ANTHROPIC },
};

/** Where a model's price came from. */
export type PriceOrigin = 'file' | 'bundled';

export interface PriceLookup {
  /** The table entry that priced the model: its own name, or the base a dated snapshot matched. */
  readonly entry: string;
  readonly price: ModelPrice;
  readonly origin: PriceOrigin;
}

/**
 * The prices in force: the bundled table with the file's entries on top (a file entry replaces the
 * bundled one of the same name; the other bundled entries stay).
 */
export function priceTableWith(file: PriceTable | null): ReadonlyMap<string, { readonly price: ModelPrice; readonly origin: PriceOrigin }> {
  const table = new Map<string, { price: ModelPrice; origin: PriceOrigin }>();
  for (const [model, price] of Object.entries(BUNDLED_PRICES)) table.set(model, { price, origin: 'bundled' });
  for (const [model, price] of Object.entries(file?.models ?? {})) table.set(model, { price, origin: 'file' });
  return table;
}

/**
 * A version suffix a provider adds to a base model name: a date (`-2024-08-06`, `-20241022`), a
 * three-digit revision (`-001`) or `-latest`. Only these are cut, so `gpt-4o-mini` never falls back
 * to `gpt-4o`'s price, nor `claude-sonnet-4-5` to `claude-sonnet-4`'s.
 */
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3}|latest)$/;

/**
 * The price of a model: its exact name first; else, for a dated snapshot such as
 * `gpt-4o-2024-08-06` or `gemini-2.5-flash-001`, the longest base name left after cutting snapshot
 * suffixes at `-` boundaries; else null (no price: never counted as 0).
 */
export function lookupPrice(table: ReturnType<typeof priceTableWith>, model: string): PriceLookup | null {
  let name = model;
  for (;;) {
    const hit = table.get(name);
    if (hit !== undefined) return { entry: name, price: hit.price, origin: hit.origin };
    const cut = name.replace(SNAPSHOT_SUFFIX, '');
    if (cut === name || cut === '') return null;
    name = cut;
  }
}

/**
 * USD for these tokens: cached input at the cached price (else the input price), the rest of the
 * input at the input price, output at the output price. Cached tokens are part of the input count
 * (OTel GenAI: cache_read "SHOULD be included in gen_ai.usage.input_tokens"); more cached than input
 * tokens (an SDK counting them apart) bills the cached ones and no uncached input.
 */
export function costOf(usage: Pick<LlmUsage, 'inputTokens' | 'outputTokens' | 'cachedInputTokens'>, price: ModelPrice): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  const cachedPrice = price.cachedInputPerMTok ?? price.inputPerMTok;
  return (uncached * price.inputPerMTok + usage.cachedInputTokens * cachedPrice + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
