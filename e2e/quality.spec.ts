import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { SEED_SERVICES, type SeedWorkload } from '../lib/testing/seed/workload.ts';
import { DashboardPage } from './models/dashboard-page.ts';
import { QualityPage } from './models/quality-page.ts';
import { DEMO_APP_URL } from './support/apps.ts';
import { seededRun } from './support/seed.ts';

const jaegerUrl = () => (process.env['SPANLENS_TEST_JAEGER_URL'] ?? '').replace(/\/+$/, '');

/**
 * What the seed workload itself says (lib/testing/seed/workload.ts), not the app: orphans are spans whose
 * parent is one of their trace's droppedSpanIds; the `orphan` shape's first llm-gateway span is one while
 * actor-server's spans are in the trace (the broken actor-server → llm-gateway call); the `no_root` shape
 * lost its api-gateway root.
 */
function seedQuality(workload: SeedWorkload) {
  const perService = new Map<string, { spans: number; orphans: number; rootlessTraces: number }>();
  let linked = 0;
  let lost = 0;
  const brokenTraceIds = new Set<string>();
  for (const trace of workload.traces) {
    const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
    const rootless = trace.spans.every((span) => span.parentSpanId !== null);
    for (const service of new Set(trace.spans.map((span) => span.service))) {
      const row = perService.get(service) ?? { spans: 0, orphans: 0, rootlessTraces: 0 };
      if (rootless) row.rootlessTraces++;
      perService.set(service, row);
    }
    for (const span of trace.spans) {
      const row = perService.get(span.service);
      if (row) row.spans++;
      const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
      if (span.service === 'llm-gateway' && parent?.service === 'actor-server') linked++;
      if (span.parentSpanId === null || !trace.droppedSpanIds.includes(span.parentSpanId)) continue;
      if (row) row.orphans++;
      if (span.service === 'llm-gateway' && trace.spans.some((other) => other.service === 'actor-server')) {
        lost++;
        brokenTraceIds.add(trace.traceId);
      }
    }
  }
  return { perService, linked, lost, brokenTraceIds, noRoot: workload.traces.filter((trace) => trace.shape === 'no_root').length };
}

test.describe('trace quality', () => {
  test('an engineer sees the seeded orphans and rootless traces exactly, and where propagation breaks, one click from Jaeger', async ({ page }) => {
    const run = seededRun();
    const want = seedQuality(run.workload);
    expect(want.lost).toBe(run.summary.shapes.orphan);
    const quality = new QualityPage(page);
    await quality.goto(run.windowParams);
    await new DashboardPage(page).assertNoErrorState();

    const rows = new Map((await quality.serviceRows()).map((row) => [row.service, row]));
    for (const service of SEED_SERVICES) {
      const expected = want.perService.get(service);
      expect(rows.get(service), service).toMatchObject({
        spans: expected?.spans,
        orphans: expected?.orphans,
        rootlessTraces: expected?.rootlessTraces,
        clockSkew: 0,
        duplicates: 0,
      });
    }

    // The located break, in words, with the workload's n of N.
    const broken = quality.breakItem('actor-server', 'llm-gateway');
    await expect(broken).toHaveCount(1);
    await expect(broken).toContainText(`actor-server → llm-gateway loses context in ${want.lost} of ${want.linked + want.lost} calls`);
    await expect(broken).toContainText(`${want.lost} llm-gateway spans with a missing parent`);
    // Its examples open the broken traces in the real Jaeger.
    const links = broken.getByRole('link');
    await expect(links).toHaveCount(5);
    for (const href of await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''))) {
      const match = href.match(/\/trace\/([0-9a-f]+)\?uiFind=[0-9a-f]+$/);
      expect(href.startsWith(`${jaegerUrl()}/trace/`), href).toBe(true);
      expect(want.brokenTraceIds.has(match?.[1] ?? ''), href).toBe(true);
    }
    const first = (await links.first().getAttribute('href')) ?? '';
    const traceResponse = await fetch(`${jaegerUrl()}/api/traces/${first.match(/\/trace\/([0-9a-f]+)/)?.[1] ?? ''}`);
    expect(traceResponse.status).toBe(200);

    // The no_root traces: the caller is named but not blamed.
    await expect(quality.breaks().filter({ hasText: 'actor-server · actor::execute' })).toContainText(
      `${want.noRoot} spans lost their parent; their caller api-gateway has no span in those traces`,
    );
    // No other break between seeded services.
    await expect(quality.breakItem('api-gateway', 'actor-server')).toHaveCount(0);

    await expect(quality.chart('Spans per trace')).toBeVisible();
    await expect(quality.chart('Depth (spans on the longest chain)')).toBeVisible();
    await expect(quality.tile('Orphan spans')).not.toHaveText('0');
    await quality.screenshot('quality');
  });

  test('focusing one service keeps its row and its break, in the URL', async ({ page }) => {
    const run = seededRun();
    const want = seedQuality(run.workload);
    const quality = new QualityPage(page);
    await quality.goto(`${run.windowParams}&service=llm-gateway`);
    await new DashboardPage(page).assertNoErrorState();
    const rows = await quality.serviceRows();
    expect(rows.map((row) => row.service)).toEqual(['llm-gateway']);
    expect(rows[0]).toMatchObject({
      orphans: want.perService.get('llm-gateway')?.orphans,
      rootlessTraces: want.perService.get('llm-gateway')?.rootlessTraces,
    });
    await expect(quality.breakItem('actor-server', 'llm-gateway')).toContainText(`loses context in ${want.lost} of ${want.linked + want.lost} calls`);
    await page.getByRole('combobox', { name: 'Service', exact: true }).selectOption('');
    await expect(page).toHaveURL(/\/quality\?start=/);
    await expect(page).not.toHaveURL(/service=/);
  });

  test.describe('without a Jaeger', () => {
    test.use({ baseURL: DEMO_APP_URL });

    test('the demo data set shows its own orphans and the same located break, with plain IDs instead of links', async ({ page }) => {
      // Counted from the bundled recording's raw JSON (legacy /api/traces shape), not by the app.
      const recording = JSON.parse(gunzipSync(readFileSync(resolve(__dirname, '../lib/demo/demo-traces.json.gz'))).toString('utf8')) as {
        data: {
          spans: { spanID: string; processID: string; references: { refType: string; spanID: string }[] }[];
          processes: Record<string, { serviceName: string }>;
        }[];
      };
      const orphans = new Map<string, number>();
      let linked = 0;
      let lost = 0;
      for (const trace of recording.data) {
        const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
        const service = (span: { processID: string }) => trace.processes[span.processID]?.serviceName ?? '';
        for (const span of trace.spans) {
          const reference = span.references.find((ref) => ref.refType === 'CHILD_OF') ?? span.references[0];
          if (reference === undefined) continue;
          const parent = byId.get(reference.spanID);
          if (parent === undefined) {
            orphans.set(service(span), (orphans.get(service(span)) ?? 0) + 1);
            if (service(span) === 'llm-gateway' && trace.spans.some((other) => service(other) === 'actor-server')) lost++;
          } else if (service(span) === 'llm-gateway' && service(parent) === 'actor-server') linked++;
        }
      }
      expect(lost).toBeGreaterThan(0);
      const quality = new QualityPage(page);
      await quality.goto('lookback=3h');
      await expect(new DashboardPage(page).modeLabel()).toHaveText('Demo data');
      const rows = new Map((await quality.serviceRows()).map((row) => [row.service, row]));
      for (const [service, count] of orphans) expect(rows.get(service)?.orphans, service).toBe(count);
      const broken = quality.breakItem('actor-server', 'llm-gateway');
      await expect(broken).toContainText(`loses context in ${lost} of ${linked + lost} calls`);
      await expect(broken.getByRole('link')).toHaveCount(0);
    });
  });
});
