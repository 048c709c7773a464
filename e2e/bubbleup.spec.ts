import { expect, test } from '@playwright/test';
import { testIds } from '../lib/test-ids.ts';
import { bubbleUpWorkloads, BUBBLEUP_TRACES, SLOW_REGION } from '../lib/testing/bubbleup-workload.ts';
import { postOtlpSpans, requireTestEnv, waitForTraces } from '../lib/testing/post-otlp.ts';
import { BubbleUpPanel } from './models/bubbleup-panel.ts';
import { DrilldownPage } from './models/drilldown-page.ts';

/**
 * BubbleUp on the real Jaeger (issue 13): the run's own two workloads (lib/testing/bubbleup-workload.ts),
 * posted over OTLP into an absolute past window. In one, region=ap-south is four times slower; in the
 * other no tag matters.
 */
const { planted, calm } = bubbleUpWorkloads(Date.now());

test.beforeAll(async () => {
  const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
  await postOtlpSpans(requireTestEnv('SPANLENS_TEST_OTLP_URL'), [...planted.spans, ...calm.spans]);
  await Promise.all([planted, calm].map((w) => waitForTraces(jaegerUrl, w.service, w.windowStartUs, w.windowEndUs, BUBBLEUP_TRACES)));
});

test.describe('An engineer asks what the slow spans have in common', () => {
  test('"slower than p90" ranks the planted slow region first and marks it significant; its link filters the view to it', async ({ page }) => {
    const drilldown = new DrilldownPage(page);
    const bubbleUp = new BubbleUpPanel(page);
    await drilldown.open(`service=${planted.service}&${planted.windowParams}`);
    await drilldown.waitForData();
    await bubbleUp.chooseCohort('Slower than p90');
    await expect(page).toHaveURL(/[?&]cohort=slowerThan%3Ap90/);
    await bubbleUp.waitForResult();
    await drilldown.assertNoErrorState();

    const first = bubbleUp.rows().first();
    expect(await bubbleUp.rowAttribute(first)).toBe(`region = ${SLOW_REGION}`);
    await expect(first.getByText('significant', { exact: true })).toBeVisible();
    // Only region's values are marked: the other keys have the same durations in every value.
    for (const row of await bubbleUp.rows().all()) {
      if ((await row.getByText('significant', { exact: true }).count()) > 0) expect(await bubbleUp.rowAttribute(row)).toMatch(/^region = /);
    }
    await expect(bubbleUp.section()).toContainText('two-sided Fisher exact test');
    await expect(bubbleUp.section()).toContainText('Holm–Bonferroni');
    // The panel alone, legible at README width.
    await bubbleUp.section().screenshot({ path: 'public/screenshots/bubbleup.png' });

    await first.getByRole('link', { name: SLOW_REGION }).click();
    await expect(page).toHaveURL(/[?&]tags=region%3Dap-south/);
    // The cohort is page state: the filtered view keeps comparing the same cohort.
    await expect(page).toHaveURL(/[?&]cohort=slowerThan%3Ap90/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`region=${SLOW_REGION}`);
    await bubbleUp.waitForResult();
    await drilldown.assertNoErrorState();
  });

  test('on a workload where no tag matters, nothing is marked significant', async ({ page }) => {
    const drilldown = new DrilldownPage(page);
    const bubbleUp = new BubbleUpPanel(page);
    await drilldown.open(`service=${calm.service}&${calm.windowParams}&cohort=slowerThan:p90`);
    await bubbleUp.waitForResult();
    await drilldown.assertNoErrorState();
    expect(await bubbleUp.rows().count()).toBeGreaterThan(10);
    await expect(bubbleUp.significantMarks()).toHaveCount(0);
  });

  test('a drag across the heatmap becomes the cohort: its duration and time ranges', async ({ page }) => {
    const drilldown = new DrilldownPage(page);
    const bubbleUp = new BubbleUpPanel(page);
    await drilldown.open(`service=${planted.service}&${planted.windowParams}`);
    await drilldown.waitForData();
    const cells = drilldown.heatmapCells();
    // Mouse positions are the viewport's: the whole chart must be on screen.
    await page.getByTestId(testIds.heatmap).scrollIntoViewIfNeeded();
    const from = await cells.first().boundingBox();
    const to = await cells.last().boundingBox();
    if (from === null || to === null) throw new Error('heatmap cells are not laid out');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect(drilldown.cellSelection()).toBeVisible();
    await bubbleUp.chooseCohort('Heatmap selection');
    await expect(page).toHaveURL(/[?&]cohort=duration%3A[^&]*%3Btime%3A/);
    await bubbleUp.waitForResult();
    await drilldown.assertNoErrorState();
    await expect(bubbleUp.section()).toContainText(/Cohort duration:\S+\.\.\S+;time:/);
  });
});
