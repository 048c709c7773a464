import { expect, test } from '@playwright/test';
import { buildComparison, COMPARE_OPERATIONS, plantComparison, SLOW_OPERATION, type PlantedComparison } from '../lib/testing/compare-workload.ts';
import { requireTestEnv } from '../lib/testing/post-otlp.ts';
import { testIds } from '../lib/test-ids.ts';
import { ComparedOverviewPage } from './models/compared-overview-page.ts';

/**
 * Compare two windows on the real Jaeger: spans of this run's own service (lib/testing/compare-workload.ts),
 * the same duration distribution in two adjacent 10-minute windows except POST /checkout, twice as
 * slow in the later one. The overview of the later window against the previous one flags that
 * operation, and only it, as a regression.
 */

let planted: PlantedComparison;

test.beforeAll(async () => {
  planted = buildComparison(`e2e${Date.now().toString(36)}`, Date.now());
  await plantComparison(requireTestEnv('SPANLENS_TEST_OTLP_URL'), requireTestEnv('SPANLENS_TEST_JAEGER_URL'), planted);
});

const iso = (us: number) => new Date(us / 1_000).toISOString();
const currentWindow = () => `start=${iso(planted.current.startUs)}&end=${iso(planted.current.endUs)}`;

test.describe('An engineer asks what changed since the window before', () => {
  test('the planted slow operation is flagged a regression, the unchanged ones are not', async ({ page }) => {
    const overview = new ComparedOverviewPage(page);
    await overview.open(`service=${encodeURIComponent(planted.service)}&${currentWindow()}`);
    await overview.waitForRows();
    // No baseline: no Δ columns.
    await expect(overview.verdicts()).toHaveCount(0);

    await overview.compareWith('the previous window');
    await expect(page).toHaveURL(/[?&]baseline=previous/);
    await overview.waitForComparison();
    await overview.assertNoErrorState();

    const expected = new Map(COMPARE_OPERATIONS.map((operation) => [operation, operation === SLOW_OPERATION ? 'regression' : 'none']));
    expect(await overview.verdictByOperation()).toEqual(expected);
    await expect(overview.delta(SLOW_OPERATION, 'p95')).toHaveAttribute('data-flag', 'regression');
    await expect(overview.delta(SLOW_OPERATION, 'p95')).toHaveAttribute('title', /95% interval for the difference .* \(excludes 0: regression\)/);
    await expect(overview.delta('GET /cart', 'p95')).toHaveAttribute('data-flag', 'none');
    await expect(overview.delta('GET /cart', 'count')).toHaveAttribute('title', /now 200, baseline 200/);
    await expect(overview.definitions()).toContainText('√0.95');
    await expect(overview.definitions()).toContainText('Newcombe');

    await overview.sortByRegression();
    await expect(page).toHaveURL(/[?&]sort=regression/);
    await expect.poll(() => overview.firstOperation()).toBe(SLOW_OPERATION);
    await overview.readmeScreenshot();
  });

  test('the baseline travels in the URL to the drill-down and the services home', async ({ page }) => {
    const overview = new ComparedOverviewPage(page);
    await overview.open(`service=${encodeURIComponent(planted.service)}&${currentWindow()}&baseline=previous`);
    await overview.waitForComparison();
    await overview.openOperation(SLOW_OPERATION);
    await expect(page).toHaveURL(/\/operation\?.*baseline=previous/);
    await expect(overview.definitions()).toBeVisible({ timeout: 60_000 });
    await overview.assertNoErrorState();

    await page.goto(`/?${currentWindow()}&baseline=previous&limit=1000`);
    const row = page.locator(`tr[data-service="${planted.service}"]`);
    await expect(row.getByTestId(testIds.changeVerdict)).toBeVisible({ timeout: 60_000 });
    await expect(row.locator('[data-metric="count"]')).toHaveAttribute('title', /now 600, baseline 600/);
    // The whole-system tiles say how the system changed too.
    await expect(page.locator('dd', { hasText: /^vs baseline/ }).first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/compare-home.png', fullPage: true });
  });
});
