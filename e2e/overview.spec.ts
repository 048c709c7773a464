import { expect, test } from '@playwright/test';
import { OverviewPage } from './models/overview-page.ts';
import { seededRun } from './support/seed.ts';

const SERVICE = 'actor-server';

test.describe('An engineer reads the overview of a service', () => {
  test('sees every seeded operation with its exact span and error counts', async ({ page }) => {
    const run = seededRun();
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}&${run.windowParams}`);
    await overview.waitForRows();
    await overview.assertNoErrorState();
    await expect(overview.coverageBadge()).toContainText('complete');

    const expected = new Map(
      run.summary.operations.filter((op) => op.service === SERVICE).map((op) => [op.operation, { count: op.count, errors: op.errorCount }]),
    );
    expect(await overview.table()).toEqual(expected);
    await overview.screenshot('overview');
  });

  test('groups by actor_name and gets one row per actor', async ({ page }) => {
    const run = seededRun();
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}&operation=${encodeURIComponent('actor::execute')}&${run.windowParams}`);
    await overview.waitForRows();
    await overview.groupBy('actor_name');
    await expect(page).toHaveURL(/groupBy=tag%3Aactor_name/);
    const expected = new Map(Object.entries(run.summary.byActorName).map(([actor, { count, errorCount }]) => [actor, { count, errors: errorCount }]));
    await expect(overview.rows()).toHaveCount(expected.size);
    expect(await overview.table()).toEqual(expected);
    await overview.assertNoErrorState();
    await overview.screenshot('overview-by-actor');
  });

  test('copies a link that a colleague opens in a fresh browser and sees the same table', async ({ page, browser }) => {
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}`);
    await overview.waitForRows();
    const mine = await overview.table();
    const link = await overview.copyLink();
    // A relative window is pinned to absolute times so the link shows the same data later.
    expect(link).toMatch(/[?&]start=.*&end=/);

    const context = await browser.newContext();
    try {
      const theirs = new OverviewPage(await context.newPage());
      await theirs.page.goto(link);
      await theirs.waitForRows();
      expect(await theirs.table()).toEqual(mine);
      await theirs.assertNoErrorState();
    } finally {
      await context.close();
    }
  });

  test('back and forward replay the controls, because the URL is the state', async ({ page }) => {
    const run = seededRun();
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}&${run.windowParams}`);
    await overview.waitForRows();
    const byOperation = await overview.rows().count();
    await overview.groupBy('actor_name');
    await expect(page).toHaveURL(/groupBy=tag%3Aactor_name/);
    await page.goBack();
    await expect(page).not.toHaveURL(/groupBy=/);
    await expect(overview.rows()).toHaveCount(byOperation);
    await page.reload();
    await expect(overview.rows()).toHaveCount(byOperation);
  });
});
