import { describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, costOf, lookupPrice, priceTableWith } from './llm-prices.ts';

describe('lookupPrice', () => {
  const bundled = priceTableWith(null);

  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gemini-2.5-flash-001', 'gemini-2.5-flash'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
  ])('prices %s by the entry %s', (model, entry) => {
    expect(lookupPrice(bundled, model)?.entry).toBe(entry);
  });

  it.each(['llama-3.1-70b', 'gpt-4o-mini-tts', 'gemini-2.5-flash-preview-05-20', 'claude-sonnet-4-7', 'models/gemini-2.5-flash', ''])(
    'gives no price for %j (only snapshot suffixes are cut, never a variant name)',
    (model) => {
      expect(lookupPrice(bundled, model)).toBeNull();
    },
  );

  it('never falls back from a variant to its family: gpt-4o-mini is not priced as gpt-4o', () => {
    const onlyFamily = priceTableWith({ models: { 'acme-7': { inputPerMTok: 1, outputPerMTok: 1 } } });
    expect(lookupPrice(onlyFamily, 'acme-7-mini')).toBeNull();
    expect(lookupPrice(onlyFamily, 'acme-7-20250101')?.entry).toBe('acme-7');
  });

  it('lets a price file replace a bundled entry and add its own, keeping the other bundled ones', () => {
    const table = priceTableWith({
      models: { 'gpt-4o': { inputPerMTok: 5, outputPerMTok: 20 }, 'house-model': { inputPerMTok: 0.5, outputPerMTok: 1 } },
    });
    expect(lookupPrice(table, 'gpt-4o-2024-08-06')).toEqual({ entry: 'gpt-4o', origin: 'file', price: { inputPerMTok: 5, outputPerMTok: 20 } });
    expect(lookupPrice(table, 'house-model')?.origin).toBe('file');
    expect(lookupPrice(table, 'gemini-2.5-pro')).toMatchObject({ origin: 'bundled', price: { inputPerMTok: 1.25, outputPerMTok: 10 } });
  });
});

describe('costOf', () => {
  it('bills cached input at the cached price, the rest at the input price, output at the output price', () => {
    // gpt-4o: $2.50 in, $1.25 cached, $10 out per million: 800 × 2.5 + 200 × 1.25 + 500 × 10 = 7,250 µ$.
    expect(costOf({ inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 }, BUNDLED_PRICES['gpt-4o']!)).toBe(0.00725);
  });

  it('bills cached input at the input price when the table has no cached price', () => {
    expect(costOf({ inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 10 }, { inputPerMTok: 1, outputPerMTok: 2 })).toBe(0.00102);
  });

  it('bills no uncached input when an SDK reports more cached than input tokens', () => {
    expect(costOf({ inputTokens: 100, cachedInputTokens: 300, outputTokens: 0 }, { inputPerMTok: 4, outputPerMTok: 8, cachedInputPerMTok: 1 })).toBe(
      0.0003,
    );
  });
});

describe('BUNDLED_PRICES', () => {
  it('says for every entry when its price was known and where it comes from', () => {
    for (const [model, price] of Object.entries(BUNDLED_PRICES)) {
      expect(price.asOf, model).toMatch(/^20\d\d-\d\d$/);
      expect(price.source, model).toMatch(/^https:\/\/[a-z.]+\//);
      expect(price.inputPerMTok, model).toBeGreaterThan(0);
      expect(price.outputPerMTok, model).toBeGreaterThan(price.inputPerMTok);
    }
  });
});
