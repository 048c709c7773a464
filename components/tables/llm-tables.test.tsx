// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LlmModelResponse } from '@/lib/http/api-types';
import { LlmModelsTable, LlmSpendersTable } from './llm-tables';

afterEach(cleanup);

const row = (fields: Partial<LlmModelResponse>): LlmModelResponse => ({
  model: 'm',
  provider: null,
  calls: 1,
  errorCount: 0,
  errorsByType: [],
  p50Us: 1_000,
  p95Us: 2_000,
  p99Us: 3_000,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cachedInputTokens: 0,
  outputTokensPerSecond: null,
  costUsd: null,
  price: null,
  carriedCostUsd: null,
  carriedCostCalls: 0,
  modelMismatches: 0,
  ...fields,
});

const cells = (model: string) => within(screen.getByRole('rowheader', { name: model }).closest('tr') as HTMLElement).getAllByRole('cell');

describe('LlmModelsTable', () => {
  it('shows "no price" for a model without one, never $0, and the price and its source in the title of a priced cost', () => {
    render(
      <LlmModelsTable
        rows={[
          row({
            model: 'gpt-4o-2024-08-06',
            provider: 'openai',
            calls: 1_200,
            costUsd: 0.014,
            carriedCostUsd: 0.02,
            carriedCostCalls: 3,
            price: {
              entry: 'gpt-4o',
              origin: 'bundled',
              inputPerMTok: 2.5,
              outputPerMTok: 10,
              cachedInputPerMTok: 1.25,
              asOf: '2025-08',
              source: 'https://openai.com/api/pricing/',
            },
          }),
          row({ model: 'house-llm', costUsd: null, price: null }),
        ]}
      />,
    );
    const priced = cells('gpt-4o-2024-08-06');
    expect(priced[0]).toHaveProperty('textContent', 'openai');
    expect(priced[1]).toHaveProperty('textContent', '1,200');
    expect(priced[11]?.textContent).toBe('$0.01400list');
    expect(priced[11]?.getAttribute('title')).toBe(
      '$0.014 — Priced as gpt-4o: $2.5 in, $10 out, cached $1.25 per million tokens; bundled list price as of 2025-08 (https://openai.com/api/pricing/), check it',
    );
    expect(priced[12]?.textContent).toBe('$0.02000 (3 of 1,200 calls)');
    const unpriced = cells('house-llm');
    expect(unpriced[11]?.textContent).toBe('no price');
    expect(unpriced[12]?.textContent).toBe('—');
  });
});

describe('LlmSpendersTable', () => {
  it('heads each groupBy key by its tag name and counts unpriced calls apart', () => {
    render(
      <LlmSpendersTable
        groupBy={['tag:actor_name']}
        rows={[
          {
            values: ['planner'],
            calls: 3,
            errorCount: 1,
            inputTokens: 10,
            outputTokens: 5,
            totalTokens: 15,
            cachedInputTokens: 0,
            costUsd: null,
            unpricedCalls: 3,
            carriedCostUsd: null,
            models: [{ model: 'house-llm', calls: 3, totalTokens: 15, costUsd: null }],
          },
        ]}
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'actor_name' })).toBeDefined();
    expect(cells('planner').map((cell) => cell.textContent)).toEqual(['3', '1', '15', 'no price', '3', 'house-llm ×3']);
  });
});
