import { expect, test } from '@playwright/test';
import { testIds } from '../lib/test-ids.ts';
import { OverviewPage } from './models/overview-page.ts';

test('an engineer saves the current view, renames it, opens it again and deletes it', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open('service=actor-server&lookback=3h&sort=p95');
  await overview.waitForRows();
  const panel = await overview.openSavedViews();
  const name = `p95 of actor-server ${Date.now()}`;
  await panel.getByLabel('Name for this view').fill(name);
  await panel.getByRole('button', { name: 'Save view' }).click();
  const item = panel.getByTestId(testIds.savedViewItem).filter({ hasText: name });
  await expect(item).toHaveCount(1);

  await item.getByRole('button', { name: `Rename ${name}` }).click();
  await panel.getByLabel(`New name for ${name}`).fill(`${name} (renamed)`);
  await panel.getByRole('button', { name: 'Rename', exact: true }).click();
  const renamed = panel.getByTestId(testIds.savedViewItem).filter({ hasText: `${name} (renamed)` });
  await expect(renamed).toHaveCount(1);
  await expect(renamed.getByRole('link')).toHaveAttribute('href', '/?service=actor-server&lookback=3h&sort=p95');

  await page.goto('/?service=actor-server');
  await overview.openSavedViews();
  await renamed.getByRole('link').click();
  await expect(page).toHaveURL(/\/\?service=actor-server&lookback=3h&sort=p95$/);
  await overview.waitForRows();

  await overview.openSavedViews();
  await renamed.getByRole('button', { name: `Delete ${name} (renamed)` }).click();
  await expect(renamed).toHaveCount(0);
  await overview.assertNoErrorState();
});
