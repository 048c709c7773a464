import { expect, test } from '@playwright/test';
import type { DependenciesResponse, ServiceEdgeResponse } from '../lib/http/api-types.ts';
import type { SeedSpan } from '../lib/testing/seed/workload.ts';
import { DashboardPage } from './models/dashboard-page.ts';
import { MapPage } from './models/map-page.ts';
import { seededRun } from './support/seed.ts';

const jaegerUrl = () => (process.env['SPANLENS_TEST_JAEGER_URL'] ?? '').replace(/\/+$/, '');

/** HotROD's calls between its services, as its source wires them (not read from the app). */
const HOTROD_EDGES = [
  ['frontend', 'customer'],
  ['frontend', 'driver'],
  ['frontend', 'route'],
] as const;

/** The seed workload's own structure: span pairs parent → child of different services, and client → server gaps. */
function seedEdges(spans: readonly SeedSpan[]) {
  const byId = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span]));
  const edges = new Map<string, { parent: string; child: string; calls: number; gaps: number[] }>();
  for (const span of spans) {
    const parent = span.parentSpanId === null ? undefined : byId.get(`${span.traceId}/${span.parentSpanId}`);
    if (parent === undefined || parent.service === span.service) continue;
    const key = `${parent.service}→${span.service}`;
    const edge = edges.get(key) ?? { parent: parent.service, child: span.service, calls: 0, gaps: [] };
    edge.calls++;
    if (parent.kind === 'client' && span.kind === 'server') edge.gaps.push(parent.durationUs - span.durationUs);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

const nearestRank = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
};

test.describe('the service map', () => {
  test("an engineer sees who calls whom, with the same counts as Jaeger's own dependency links, and opens a service and a call", async ({ page }) => {
    const run = seededRun();
    const map = new MapPage(page);
    await map.goto(run.windowParams);
    await new DashboardPage(page).assertNoErrorState();
    await expect(map.drawing()).toBeVisible();

    // Jaeger's own dependency links over the same window: the oracle for every edge between two services.
    const response = await fetch(`${jaegerUrl()}/api/dependencies?endTs=${run.endMs}&lookback=${run.endMs - run.startMs}`);
    const { data: links } = (await response.json()) as { data: { parent: string; child: string; callCount: number }[] };
    const jaegers = new Map(links.filter((link) => link.parent !== link.child).map((link) => [`${link.parent}→${link.child}`, link.callCount]));

    const rows = await map.edgeRows();
    const shown = new Map(rows.map((row) => [`${row.caller}→${row.callee}`, row]));
    // The seed workload's edges, from its own spans: on the map, with the workload's exact count, which is Jaeger's.
    const expected = seedEdges(run.spans);
    expect(expected.length).toBeGreaterThan(0);
    for (const edge of expected) {
      const key = `${edge.parent}→${edge.child}`;
      expect(jaegers.get(key), key).toBe(edge.calls);
      expect(shown.get(key)?.calls, key).toBe(edge.calls);
      await expect(map.edge(edge.parent, edge.child)).toHaveCount(1);
    }
    for (const [parent, child] of HOTROD_EDGES) {
      const key = `${parent}→${child}`;
      expect(jaegers.get(key), key).toBeGreaterThan(0);
      expect(shown.get(key)?.calls, key).toBe(jaegers.get(key));
      await expect(map.edge(parent, child)).toHaveCount(1);
    }
    // Every instrumented edge Jaeger knows in this window is on the map with Jaeger's count.
    for (const [key, callCount] of jaegers) expect(shown.get(key)?.calls, key).toBe(callCount);

    // A client−server gap: shown on the map, exact in the API, equal to the workload's own.
    const gapped = expected.find((edge) => edge.gaps.length > 0);
    if (gapped !== undefined) {
      const api = (await (await page.request.get(`/api/dependencies?${run.windowParams}`)).json()) as DependenciesResponse;
      const edge = (api.edges as readonly ServiceEdgeResponse[]).find((e) => e.parent === gapped.parent && e.child === gapped.child);
      expect(edge?.gapP50Us).toBe(nearestRank(gapped.gaps, 0.5));
      expect(edge?.gapP95Us).toBe(nearestRank(gapped.gaps, 0.95));
      expect(shown.get(`${gapped.parent}→${gapped.child}`)?.gapP50).not.toBe('—');
    }
    const hotrodGap = shown.get('frontend→customer')?.gapP50;
    expect(hotrodGap).toMatch(/\d/);
    await expect(map.edge('frontend', 'customer')).toContainText('gap p50');
    await map.screenshot('map');

    // A node opens that service's overview, same window.
    await map.serviceNode('customer').click();
    await expect(page).toHaveURL(/\/\?service=customer&start=[^&]+&end=[^&]+$/);
    await page.goBack();
    await expect(map.edgesTable()).toBeVisible({ timeout: 90_000 });

    // An edge opens the calling operation's drill-down.
    await map.edge('frontend', 'customer').locator('text').first().click();
    await expect(page).toHaveURL(/\/operation\?service=frontend&operation=[^&]+&start=[^&]+&end=[^&]+$/);
  });

  test('at operation level it shows which operations of a service are called and what they call', async ({ page }) => {
    const run = seededRun();
    const map = new MapPage(page);
    await map.goto(`service=customer&level=operation&${run.windowParams}`);
    const rows = await map.edgeRows();
    expect(rows.some((row) => row.caller.startsWith('frontend · ') && row.callee.startsWith('customer · '))).toBe(true);
    expect(rows.every((row) => row.caller.startsWith('customer · ') || row.callee.startsWith('customer · '))).toBe(true);
  });
});
