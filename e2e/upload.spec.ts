import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from './models/overview-page.ts';

// Real-world exports live beside the repo (../shared/fixtures/jaeger), read in place, never copied in.
const fixture = resolve(__dirname, '../../shared/fixtures/jaeger/hotrod-1.21-locust-5traces.json');

test('an engineer uploads a Jaeger JSON export and gets the same dashboard over it', async ({ page }) => {
  test.skip(!existsSync(fixture), `shared fixture ${fixture} is absent`);
  await page.goto('/upload');
  await page.getByLabel('Jaeger JSON file').setInputFiles(fixture);
  await page.getByRole('button', { name: 'Analyse' }).click();
  await expect(page).toHaveURL(/source=upload%3A/);
  const overview = new OverviewPage(page);
  await overview.waitForRows();
  await expect(overview.modeLabel()).toContainText('Uploaded file: hotrod-1.21-locust-5traces.json');
  await overview.assertNoErrorState();
  await overview.screenshot('upload');
});
