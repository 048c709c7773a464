import { expect, test } from '@playwright/test';
import { testIds } from '../lib/test-ids.ts';
import { DashboardPage } from './models/dashboard-page.ts';
import { seededRun } from './support/seed.ts';

const SERVICE = 'actor-server';

test('an engineer lists the errors of a service, grouped by error type, with example traces', async ({ page }) => {
  const run = seededRun();
  await page.goto(`/errors?service=${SERVICE}&${run.windowParams}`);
  const rows = page.getByTestId(testIds.errorGroupRow);
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const dashboard = new DashboardPage(page);
  await dashboard.assertNoErrorState();
  let total = 0;
  for (const row of await rows.all()) total += Number(((await row.locator('td').nth(3).textContent()) ?? '').replace(/,/g, ''));
  expect(total).toBe(run.summary.perService[SERVICE].errors);
  await expect(rows.first().getByRole('link').first()).toHaveAttribute('href', /\/trace\/[0-9a-f]+\?uiFind=[0-9a-f]+$/);
  await dashboard.screenshot('errors');
});
