import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { seedSpansAsStored } from '../lib/testing/seed/as-stored.ts';
import type { SeedSpan } from '../lib/testing/seed/workload.ts';
import { LlmPage } from './models/llm-page.ts';
import { seededRun } from './support/seed.ts';

/**
 * The main app prices LLM calls from e2e/fixtures/prices.json (playwright.config.ts SPANLENS_PRICES).
 * Every expected number is computed here from the seeded workload's span attributes (as Jaeger holds
 * them: see lib/testing/seed/as-stored.ts) and the file's prices, never from the app.
 */
const PRICES = (
  JSON.parse(readFileSync('e2e/fixtures/prices.json', 'utf8')) as { models: Record<string, { inputPerMTok: number; outputPerMTok: number }> }
).models;

interface Manifest {
  readonly jaegerUrl: string;
  readonly startUs: number;
  readonly endUs: number;
  readonly runAttribute: string;
}

const count = (n: number) => n.toLocaleString('en-US');
/** As the page writes dollars below $100: four significant digits. */
const usd = (n: number) => `$${n.toPrecision(4)}`;
const tokens = (span: SeedSpan, key: string) => {
  const value = span.attributes[key];
  return typeof value === 'number' ? value : 0;
};

async function expectedUsage() {
  const run = seededRun();
  const manifest = JSON.parse(readFileSync(process.env['SPANLENS_TEST_SEED_MANIFEST'] as string, 'utf8')) as Manifest;
  const { spans } = await seedSpansAsStored(manifest.jaegerUrl.replace(/\/+$/, ''), run.workload, manifest);
  const llm = spans.filter((span) => typeof span.attributes['gen_ai.request.model'] === 'string');
  const models = [...new Set(llm.map((span) => String(span.attributes['gen_ai.request.model'])))].map((model) => {
    const calls = llm.filter((span) => span.attributes['gen_ai.request.model'] === model);
    const input = calls.reduce((n, span) => n + tokens(span, 'gen_ai.usage.input_tokens'), 0);
    const output = calls.reduce((n, span) => n + tokens(span, 'gen_ai.usage.output_tokens'), 0);
    const price = PRICES[model];
    return {
      model,
      calls: calls.length,
      errors: calls.filter((span) => span.error).length,
      input,
      output,
      costUsd: price === undefined ? null : (input * price.inputPerMTok + output * price.outputPerMTok) / 1_000_000,
    };
  });
  const byId = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span]));
  const actorOf = (span: SeedSpan): string => {
    for (
      let at: SeedSpan | undefined = span;
      at !== undefined;
      at = at.parentSpanId === null ? undefined : byId.get(`${at.traceId}/${at.parentSpanId}`)
    ) {
      if (typeof at.attributes['actor_name'] === 'string') return at.attributes['actor_name'];
    }
    return '(none)';
  };
  const actors = new Map<string, number>();
  for (const span of llm) actors.set(actorOf(span), (actors.get(actorOf(span)) ?? 0) + 1);
  return { run, models, actors, calls: llm.length };
}

test.describe('An engineer running LLM-heavy services sees what the calls cost', () => {
  test('/llm shows the seeded models’ exact calls, errors, tokens and cost from the price file', async ({ page }) => {
    const { run, models, actors, calls } = await expectedUsage();
    const llm = new LlmPage(page);
    await llm.open(`${run.windowParams}&tags=spanlens.seed.run_id%3D${encodeURIComponent(run.manifest.runId)}&groupBy=tag%3Aactor_name`);
    await expect(page.getByRole('heading', { name: 'LLM usage and cost' })).toBeVisible();
    await llm.waitForAnswer();
    await llm.assertNoErrorState();

    expect((await llm.modelNames()).sort()).toEqual(models.map((m) => m.model).sort());
    for (const m of models) {
      await expect(llm.modelCell(m.model, 'calls'), m.model).toHaveText(count(m.calls));
      await expect(llm.modelErrors(m.model), m.model).toHaveText(count(m.errors));
      await expect(llm.modelCell(m.model, 'input'), m.model).toHaveText(count(m.input));
      await expect(llm.modelCell(m.model, 'output'), m.model).toHaveText(count(m.output));
      await expect(llm.modelCell(m.model, 'total'), m.model).toHaveText(count(m.input + m.output));
      if (m.costUsd === null) {
        await expect(llm.modelCell(m.model, 'cost'), m.model).toHaveText('no price');
      } else {
        await expect(llm.modelCell(m.model, 'cost'), m.model).toHaveText(usd(m.costUsd));
        // The title holds the exact dollars and which price was used.
        const title = (await llm.modelCell(m.model, 'cost').getAttribute('title')) ?? '';
        expect(Number(/^\$([0-9.e-]+)/.exec(title)?.[1]), m.model).toBeCloseTo(m.costUsd, 12);
        expect(title, m.model).toContain(`Priced as ${m.model}`);
        expect(title, m.model).toContain('from SPANLENS_PRICES');
      }
    }

    const priced = models.filter((m) => m.costUsd !== null);
    const unpricedCalls = models.filter((m) => m.costUsd === null).reduce((n, m) => n + m.calls, 0);
    await expect(llm.tile('LLM calls')).toContainText(count(calls));
    await expect(llm.tile('Errors')).toContainText(count(models.reduce((n, m) => n + m.errors, 0)));
    await expect(llm.tile('Tokens')).toContainText(count(models.reduce((n, m) => n + m.input + m.output, 0)));
    await expect(llm.tile('Cost')).toContainText(usd(priced.reduce((n, m) => n + (m.costUsd ?? 0), 0)));
    await expect(llm.tile('Cost')).toContainText(
      unpricedCalls === 0 ? 'every call priced' : `${count(unpricedCalls)} call${unpricedCalls === 1 ? '' : 's'} without a price`,
    );

    for (const [actor, n] of actors) await expect(llm.spenderRow(actor).getByRole('cell').first(), actor).toHaveText(count(n));
    const link = llm.mismatchLinks().first();
    await expect(link).toHaveAttribute('href', /\/trace\/[0-9a-f]{32}\?uiFind=[0-9a-f]{16}$/);
    await expect(page.getByText('Tokens (input + output) by model')).toBeVisible();
    await llm.screenshotForReadme();
  });

  test('a service without LLM calls says which attributes are looked for', async ({ page }) => {
    const run = seededRun();
    const llm = new LlmPage(page);
    await llm.open(`${run.windowParams}&service=api-gateway`);
    await llm.waitForAnswer();
    await llm.assertNoErrorState();
    await expect(page.getByText('No LLM calls in this window')).toBeVisible();
    await expect(page.getByText(/requestModel: gen_ai\.request\.model, llm\.request\.model_name/)).toBeVisible();
    await expect(page.getByLabel('Service')).toHaveValue('api-gateway');
  });
});
