import { expect, test } from '@playwright/test';
import { durationRow } from '../lib/metrics/heatmap.ts';
import { bucketIndex, chooseTimeBuckets } from '../lib/metrics/timeline.ts';
import { testIds } from '../lib/test-ids.ts';
import { DrilldownPage } from './models/drilldown-page.ts';
import { seededRun } from './support/seed.ts';

const SERVICE = 'actor-server';
const OPERATION = 'actor::execute';
const jaegerUrl = () => (process.env['SPANLENS_TEST_JAEGER_URL'] ?? '').replace(/\/+$/, '');
const spansOfOperation = () => seededRun().spans.filter((s) => s.service === SERVICE && s.name === OPERATION);
const search = () => `service=${SERVICE}&operation=${encodeURIComponent(OPERATION)}&${seededRun().windowParams}`;

test.describe('An engineer drills into one operation', () => {
  test('opens the slowest span in Jaeger: the link is that exact span, and Jaeger has it', async ({ page, request }) => {
    const drilldown = new DrilldownPage(page);
    await drilldown.open(search());
    await drilldown.waitForData();
    await drilldown.assertNoErrorState();

    const [slowest, runnerUp] = spansOfOperation().toSorted((a, b) => b.durationUs - a.durationUs);
    // The seeded workload has one unambiguous slowest span, so the first row is exactly it.
    expect(slowest!.durationUs).toBeGreaterThan(runnerUp!.durationUs);
    const link = drilldown.slowestRows().first().getByTestId(testIds.slowestLink);
    await expect(link).toHaveAttribute('href', `${jaegerUrl()}/trace/${slowest!.traceId}?uiFind=${slowest!.spanId}`);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /noopener/);

    const href = (await link.getAttribute('href'))!;
    expect((await request.get(href)).status()).toBe(200);
    const trace = await request.get(`${jaegerUrl()}/api/traces/${slowest!.traceId}`);
    expect(trace.status()).toBe(200);
    const body = (await trace.json()) as { data: { spans: { spanID: string; duration: number }[] }[] };
    const span = body.data[0]?.spans.find((s) => s.spanID === slowest!.spanId);
    expect(span?.duration).toBe(slowest!.durationUs);

    await expect(drilldown.searchInJaegerLink()).toHaveAttribute('href', new RegExp(`^${jaegerUrl()}/search\\?`));
    await drilldown.screenshot('drilldown');
  });

  test('the latency heatmap has one cell per occupied time × duration bucket', async ({ page }) => {
    const run = seededRun();
    const buckets = chooseTimeBuckets(run.startMs * 1_000, run.endMs * 1_000);
    const occupied = new Set(spansOfOperation().map((s) => `${bucketIndex(buckets, s.startUs)}:${durationRow(s.durationUs)}`));
    const drilldown = new DrilldownPage(page);
    await drilldown.open(search());
    await drilldown.waitForData();
    await expect(drilldown.heatmapCells()).toHaveCount(occupied.size);
  });

  test('clicking a heatmap cell lists the spans behind it', async ({ page }) => {
    const drilldown = new DrilldownPage(page);
    await drilldown.open(search());
    await drilldown.waitForData();
    const cell = drilldown.heatmapCells().first();
    const label = (await cell.getAttribute('aria-label')) ?? '';
    const count = Number(/^([\d,]+) span/.exec(label)?.[1]?.replace(/,/g, ''));
    await cell.click();
    const selection = drilldown.cellSelection();
    await expect(selection).toBeVisible();
    await expect(selection.getByTestId(testIds.slowestRow)).toHaveCount(Math.min(count, 50));
    await drilldown.assertNoErrorState();
  });
});
