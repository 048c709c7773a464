import { expect, test } from '@playwright/test';
import { DrilldownPage } from './models/drilldown-page.ts';
import { OverviewPage } from './models/overview-page.ts';
import { SpmPanel } from './models/spm-panel.ts';
import { startSpmStack, type SpmStack } from './support/spm-stack.ts';

let stack: SpmStack;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  stack = await startSpmStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

test.describe('An engineer whose Jaeger has SPM compares its Monitor-tab numbers with the exact ones', () => {
  test('sees exact and SPM columns side by side on the overview, and folds the ID-laden names into one row', async ({ page }) => {
    const overview = new OverviewPage(page);
    const spm = new SpmPanel(page);
    await page.goto(`${stack.appUrl}/?service=${encodeURIComponent(stack.service)}&lookback=5m`);
    await overview.waitForRows();
    await overview.assertNoErrorState();
    await expect(page.getByText('bucket estimates over a trailing rate() window of 5m')).toBeVisible();

    // 20 checkouts sent, 4 failed; SPM's rate is rate() over 5m (an estimate), exact is every span / 300 s.
    const checkout = await spm.row('checkout');
    expect(checkout['Rate exact']).toBe(`${20 / 5}/min`);
    expect(checkout['Rate SPM']).toMatch(/\/min/);
    expect(checkout['Error rate exact']).toBe('20%');
    expect(checkout['Error rate SPM']).toMatch(/^20%/);
    // 40–49 ms spans in the stock (10, 50] ms bucket: SPM's p95 is interpolated, exact is a real duration.
    expect(checkout['p95 exact']).toBe('49 ms');
    expect(checkout['p95 SPM']).not.toBe('—');
    expect(await spm.row('GET /items/101')).toMatchObject({ 'Rate exact': `${stack.sent['GET /items/101']! / 5}/min` });
    await page.screenshot({ path: 'public/screenshots/spm.png', fullPage: true });

    await spm.toggleFolding();
    await expect(page).toHaveURL(/fold=1/);
    await expect(spm.foldToggle()).toBeChecked();
    await expect(spm.foldedNotice()).toHaveText(/3 names folded into 1 row/);
    const items = await spm.row('GET /items/{id}');
    expect(items['Rate exact']).toBe(`${(stack.sent['GET /items/101']! * 3) / 5}/min`);
    expect(items['Rate SPM']).toMatch(/\/min/);
    await expect(overview.row('GET /items/{id}')).toHaveCount(1);

    await spm.foldedNotice().getByRole('button', { name: 'Undo' }).click();
    await expect(page).not.toHaveURL(/fold=1/);
    await expect(spm.foldToggle()).not.toBeChecked();
    await expect(overview.row('GET /items/202')).toHaveCount(1);
  });

  test('opens a folded row: the drill-down counts every span whose name folds to it', async ({ page }) => {
    const overview = new OverviewPage(page);
    const drilldown = new DrilldownPage(page);
    await page.goto(`${stack.appUrl}/?service=${encodeURIComponent(stack.service)}&lookback=5m&fold=1`);
    await overview.waitForRows();
    await overview.openOperation('GET /items/{id}');
    await expect(page).toHaveURL(/\/operation\?.*fold=1/);
    await drilldown.waitForData();
    const cells = await drilldown.heatmapCellReadings();
    expect(cells.reduce((sum, cell) => sum + cell.count, 0)).toBe(stack.sent['GET /items/101']! * 3);
    await overview.assertNoErrorState();
  });

  test('sees SPM per service on the services home', async ({ page }) => {
    const spm = new SpmPanel(page);
    await page.goto(`${stack.appUrl}/?lookback=5m`);
    const row = await (async () => {
      await expect(spm.table()).toBeVisible({ timeout: 60_000 });
      return spm.row(stack.service);
    })();
    const total = Object.values(stack.sent).reduce((sum, n) => sum + n, 0);
    expect(row['Rate exact']).toBe(`${total / 5}/min`);
    expect(row['Rate SPM']).toMatch(/\/min/);
  });
});
