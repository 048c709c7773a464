import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from './models/overview-page.ts';
import { DEMO_APP_URL } from './support/apps.ts';

/** What the bundled data set holds, as recorded beside it (scripts/record-demo.ts writes both). */
const meta = JSON.parse(readFileSync(resolve(__dirname, '../lib/demo/demo-meta.json'), 'utf8')) as {
  readonly services: Readonly<Record<string, { readonly spans: number; readonly traces: number }>>;
};
const recorded = (service: string) => {
  const counts = meta.services[service];
  if (counts === undefined) throw new Error(`lib/demo/demo-meta.json has no service ${service}`);
  return counts;
};

// Each request shifts the recording to end just before now (lib/server/sources.ts). It spans 59.5
// minutes, so the default 1h would hold it with seconds to spare; 3h holds all of it with room.
const wholeRecording = 'lookback=3h';

test.describe('Someone tries Spanlens without a Jaeger', () => {
  test.use({ baseURL: DEMO_APP_URL });

  test('sees the demo data set, labelled as demo data, offering exactly its nine services', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.open('');
    await expect(overview.modeLabel()).toHaveText('Demo data');
    const services = page.getByLabel('Service', { exact: true }).locator('option:not([value=""])');
    await expect(services).toHaveCount(9);
    expect(await services.allTextContents()).toEqual(Object.keys(meta.services).sort());

    await page.getByLabel('Service', { exact: true }).selectOption('api-gateway');
    await overview.waitForRows();
    await expect(overview.modeLabel()).toHaveText('Demo data');
    await overview.assertNoErrorState();
    await overview.screenshot('demo');
  });

  test('sees all 256 spans of the seeded api-gateway, from 256 traces, in its one operation', async ({ page }) => {
    const { spans, traces } = recorded('api-gateway');
    expect({ spans, traces }).toEqual({ spans: 256, traces: 256 });
    const overview = new OverviewPage(page);
    await overview.open(`service=api-gateway&${wholeRecording}`);
    await overview.waitForRows();
    await overview.assertNoErrorState();
    await expect(overview.coverageBadge()).toContainText(`complete: ${traces} traces`);
    expect([...(await overview.table()).entries()]).toEqual([['POST /v1/actors/:actor/run', { count: spans, errors: expect.any(Number) }]]);
  });

  test('sees every span of the HotROD frontend, 1,361 from 116 traces, spread over its operations', async ({ page }) => {
    const { spans, traces } = recorded('frontend');
    expect({ spans, traces }).toEqual({ spans: 1_361, traces: 116 });
    const overview = new OverviewPage(page);
    await overview.open(`service=frontend&${wholeRecording}`);
    await overview.waitForRows();
    await overview.assertNoErrorState();
    await expect(overview.coverageBadge()).toContainText(`complete: ${traces} traces`);
    const table = await overview.table();
    expect(table.size).toBeGreaterThan(1);
    expect([...table.values()].reduce((n, row) => n + row.count, 0)).toBe(spans);
  });
});
