import { expect, test } from '@playwright/test';
import { testIds } from '../lib/test-ids.ts';
import { SEED_SERVICES } from '../lib/testing/seed/workload.ts';
import { DashboardPage } from './models/dashboard-page.ts';
import { ServicesHomePage } from './models/services-home-page.ts';
import { seededRun } from './support/seed.ts';

const HOTROD_SERVICES = ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route'] as const;

test.describe('An engineer opens Spanlens and sees every service at once', () => {
  test('the home lists every seeded service with its exact counts, and every HotROD service', async ({ page }) => {
    const run = seededRun();
    const home = new ServicesHomePage(page);
    await home.open(run.windowParams);
    await expect(page.getByRole('heading', { name: 'Services' })).toBeVisible();
    await home.waitForAllRows();
    await home.assertNoErrorState();

    const counts = await home.counts();
    for (const service of SEED_SERVICES) {
      const expected = run.summary.perService[service];
      // Under the home's default budget of 500 traces per service, so the row is complete, not sampled.
      expect(expected.traces).toBeLessThan(500);
      expect(counts.get(service), service).toEqual({ count: expected.spans, errors: expected.errors });
      await expect(home.row(service).getByText(/^complete/)).toBeVisible();
    }
    for (const service of HOTROD_SERVICES) {
      expect(counts.get(service)?.count ?? 0, service).toBeGreaterThan(0);
    }
    // Totals add up over the rows; the slowest spans and latest errors each open one span in Jaeger.
    const total = [...counts.values()].reduce((n, c) => n + c.count, 0);
    await expect(home.tile('Total rate')).toContainText(`${total.toLocaleString('en-US')} spans`);
    const slowest = page.getByTestId(testIds.slowestTable).first().getByTestId(testIds.slowestLink).first();
    await expect(slowest).toHaveAttribute('href', /\/trace\/[0-9a-f]{32}\?uiFind=[0-9a-f]{16}$/);
    await home.screenshot('home');
    await home.screenshotForReadme();
  });

  test('filters and sorts in the URL, and a row opens that service with the same window', async ({ page }) => {
    const run = seededRun();
    const home = new ServicesHomePage(page);
    await home.open(run.windowParams);
    await home.waitForAllRows();
    await home.filter('gateway');
    await expect(page).toHaveURL(/filter=gateway/);
    await expect(home.rows()).toHaveCount(2);
    await home.sortBy('Count (n)');
    await expect(page).toHaveURL(/order=count/);
    expect([...(await home.counts()).keys()]).toEqual(
      ['api-gateway', 'llm-gateway'].sort(
        (a, b) => run.summary.perService[b as 'api-gateway'].spans - run.summary.perService[a as 'api-gateway'].spans,
      ),
    );
    await page.reload();
    await expect(home.rows()).toHaveCount(2);

    await home.openService('api-gateway');
    await expect(page).toHaveURL(/[?&]service=api-gateway/);
    await expect(page).toHaveURL(new RegExp(`start=${encodeURIComponent(new Date(run.startMs).toISOString())}`));
    await expect(page.getByRole('heading', { name: 'Overview: api-gateway' })).toBeVisible();
    await new DashboardPage(page).assertNoErrorState();
  });
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
