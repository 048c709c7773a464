import { expect, test } from '@playwright/test';
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

  test('the latency heatmap holds every span of the operation, in the duration decades the workload generated', async ({ page }) => {
    // Expected from the workload's own summary (digits of each generated duration), not the app's bucketing.
    const expected = seededRun().summary.operations.find((op) => op.service === SERVICE && op.operation === OPERATION);
    expect(expected?.durationDecades.length).toBeGreaterThan(1);
    const drilldown = new DrilldownPage(page);
    await drilldown.open(search());
    await drilldown.waitForData();
    await drilldown.assertNoErrorState();

    // Rows are log-spaced within decades (10^k µs is always a row edge), so a cell's lower edge names its decade.
    const perDecade = new Map<number, number>();
    for (const { count, minDurationUs } of await drilldown.heatmapCellReadings()) {
      const fromUs = minDurationUs === 0 ? 0 : 10 ** (String(Math.round(minDurationUs)).length - 1);
      perDecade.set(fromUs, (perDecade.get(fromUs) ?? 0) + count);
    }
    const shown = [...perDecade.entries()]
      .sort(([a], [b]) => a - b)
      .map(([fromUs, count]) => ({ fromUs, toUs: fromUs === 0 ? 1 : fromUs * 10, count }));
    expect(shown).toEqual(expected?.durationDecades);
    expect(shown.reduce((n, d) => n + d.count, 0)).toBe(expected?.count);
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
