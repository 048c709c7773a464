import { expect, test } from '@playwright/test';
import { testIds } from '../lib/test-ids.ts';
import { DashboardPage } from './models/dashboard-page.ts';

test('a visitor opens Spanlens and is asked to choose a service', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByLabel('Service')).toBeVisible();
  await expect(page.getByTestId(testIds.emptyState)).toContainText('Choose a service');
  // The service list comes from the real Jaeger.
  await expect(page.getByLabel('Service').locator('option', { hasText: 'actor-server' })).toHaveCount(1);
  const home = new DashboardPage(page);
  await home.assertNoErrorState();
  await home.screenshot('home');
});

test('a link with a bad setting shows which setting is wrong instead of crashing', async ({ page }) => {
  await page.goto('/?service=actor-server&lookback=banana');
  const notice = page.getByTestId(testIds.invalidQuery);
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('lookback');
  await expect(notice).toContainText('lookback must be a duration such as');
  await notice.getByRole('link', { name: 'Open this page with default settings' }).click();
  await expect(page.getByTestId(testIds.invalidQuery)).toHaveCount(0);
  await new DashboardPage(page).screenshot('invalid-query');
});
