import { expect, test } from '@playwright/test';
import { referenceBreakdown, type RawTrace } from '../lib/testing/jaeger-ui-reference.ts';
import { DashboardPage } from './models/dashboard-page.ts';
import { TimePanel } from './models/time-panel.ts';
import { seededRun } from './support/seed.ts';

const jaegerUrl = () => (process.env['SPANLENS_TEST_JAEGER_URL'] ?? '').replace(/\/+$/, '');
const SERVICE = 'frontend';
const OPERATION = '/dispatch';

test.describe('where the time goes', () => {
  test("an engineer sees self time and the critical path of HotROD's /dispatch, equal to jaeger-ui's own rules run on Jaeger's traces", async ({
    page,
  }) => {
    const run = seededRun();
    const panel = new TimePanel(page);
    await page.goto(`/operation?service=${SERVICE}&operation=${encodeURIComponent(OPERATION)}&${run.windowParams}`);
    await new DashboardPage(page).assertNoErrorState();
    await panel.waitForData();

    // The oracle: the same traces straight from Jaeger, through the jaeger-ui v1.76.0 transcription.
    const [startUs, endUs] = [run.startMs * 1000, run.endMs * 1000];
    const search = `service=${SERVICE}&operation=${encodeURIComponent(OPERATION)}&start=${startUs}&end=${endUs}&limit=1500`;
    const { data } = (await (await fetch(`${jaegerUrl()}/api/traces?${search}`)).json()) as { data: RawTrace[] };
    const reference = referenceBreakdown(
      data,
      (service, operation, startTime) => service === SERVICE && operation === OPERATION && startTime >= startUs && startTime <= endUs,
    );
    expect(reference.traces).toBeGreaterThanOrEqual(10); // enough HotROD requests for both cohorts

    await expect(panel.section()).toContainText(`Over the ${reference.traces} traces holding a span of this query`);

    // Critical path: the rows shown are the reference's largest, with its exact µs, share, traces and spans.
    const shown = await panel.rows('Critical path by operation');
    const largest = [...reference.criticalPath].sort(([ka, a], [kb, b]) => b.totalCriticalUs - a.totalCriticalUs || (ka < kb ? -1 : 1));
    expect(shown.map((row) => row.key)).toEqual(largest.slice(0, shown.length).map(([key]) => key));
    expect(shown.length).toBe(Math.min(12, largest.length));
    for (const row of shown) {
      const expected = reference.criticalPath.get(row.key);
      const [us, share, traces, spans] = row.cells.map(Number);
      expect([us, traces, spans], row.key).toEqual([expected?.totalCriticalUs, expected?.traces, expected?.spans]);
      expect(share, row.key).toBeCloseTo(expected?.averageShare ?? NaN, 12);
    }

    // Self time of the query's own spans: Trace Statistics' rule, summed.
    const self = await panel.rows('Self time by operation');
    const expectedSelf = reference.selfTime.get(`${SERVICE}\t${OPERATION}`);
    expect(self.map((row) => row.key)).toEqual([`${SERVICE}\t${OPERATION}`]);
    const [selfUs, selfShare, p95, selfSpans] = (self[0]?.cells ?? []).map(Number);
    expect([selfUs, p95, selfSpans]).toEqual([expectedSelf?.totalSelfUs, expectedSelf?.p95SelfUs, expectedSelf?.spans]);
    expect(selfShare).toBeCloseTo(expectedSelf?.shareOfTraceTime ?? NaN, 12);

    // Slow vs fast: the cohorts at the entry p90 / p50 and each operation's growth, largest first.
    const split = reference.slowVsFast;
    expect(split.slowTraces).toBeGreaterThan(0);
    expect(split.fastTraces).toBeGreaterThan(0);
    const growth = await panel.rows('Slow vs fast traces');
    const byGrowth = [...split.growthUs].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1));
    expect(growth.map((row) => [row.key, Number(row.cells[0])])).toEqual(byGrowth.slice(0, growth.length));
    await expect(panel.section()).toContainText(`Slow: the ${split.slowTraces} traces`);
    await expect(panel.section()).toContainText(`Fast: the ${split.fastTraces} under the p50`);

    await panel.screenshot();
  });
});
