import { expect, test } from '@playwright/test';
import { OverviewPage } from './models/overview-page.ts';
import { DEMO_APP_URL } from './support/apps.ts';

test.describe('Someone tries Spanlens without a Jaeger', () => {
  test.use({ baseURL: DEMO_APP_URL });

  test('sees the demo data set, labelled as demo data, with rows', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.open('');
    await expect(overview.modeLabel()).toHaveText('Demo data');
    const picker = page.getByLabel('Service');
    const firstService = await picker.locator('option:not([value=""])').first().getAttribute('value');
    expect(firstService).toBeTruthy();
    await picker.selectOption(firstService!);
    await overview.waitForRows();
    expect(await overview.rows().count()).toBeGreaterThan(0);
    await expect(overview.modeLabel()).toHaveText('Demo data');
    await overview.assertNoErrorState();
    await overview.screenshot('demo');
  });
});
