import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshServerWith } from './route-test-env';
import type { MetricsResponse, OverviewResponse } from '@/lib/http/api-types';

/**
 * `baseline=` on /api/metrics and /api/overview in demo mode: the bundled data set is moved to end
 * just before now (lib/demo/demo-meta.json), so the hour before the last one holds none of it and
 * every row is new — counted, never divided by the baseline's zero.
 */

const meta = JSON.parse(readFileSync('lib/demo/demo-meta.json', 'utf8')) as { services: Record<string, { spans: number }> };
const [service, { spans }] = Object.entries(meta.services).sort(([, a], [, b]) => b.spans - a.spans)[0]!;
let routes: { metrics: typeof import('./metrics/route'); overview: typeof import('./overview/route') };

beforeAll(async () => {
  freshServerWith({ JAEGER_URL: undefined, SPANLENS_DATA_FILE: undefined });
  routes = { metrics: await import('./metrics/route'), overview: await import('./overview/route') };
});

const metrics = (search: string) =>
  routes.metrics.GET(new Request(`http://spanlens.test/api/metrics?service=${encodeURIComponent(service)}&${search}`));

describe('baseline=previous in demo mode', () => {
  it('marks every group new against the empty hour before, with the baseline window one hour earlier', async () => {
    const response = await metrics('baseline=previous&include=groups');
    expect(response.status).toBe(200);
    const body = (await response.json()) as MetricsResponse;
    expect(body.baseline?.windowStartUs).toBe(body.windowStartUs - 3_600_000_000);
    expect(body.baseline?.windowEndUs).toBe(body.windowStartUs - 1);
    expect(body.baseline?.coverage.tracesFetched).toBe(0);
    expect(body.baseline?.goneGroups).toEqual([]);
    expect(body.baseline?.definitions.quantiles).toContain('√0.95');
    const groups = body.groups ?? [];
    expect(groups.reduce((n, group) => n + group.count, 0)).toBe(spans);
    for (const group of groups) {
      expect(group.comparison).toMatchObject({
        presence: 'new',
        baseline: { count: 0, errorRate: null, p95Us: null },
        count: { delta: group.count, rateRatio: null, interval: { upper: null } },
        errorRate: null,
        p95: null,
        regressionScore: null,
      });
    }
  });

  it('leaves answers without a baseline as they were, and skips the baseline when no groups are asked for', async () => {
    const plain = (await (await metrics('include=groups')).json()) as MetricsResponse;
    expect(plain.baseline).toBeUndefined();
    expect(plain.groups?.every((group) => !('comparison' in group) && !('comparisonBounds' in group))).toBe(true);
    const heatmapOnly = (await (await metrics('baseline=previous&include=heatmap')).json()) as MetricsResponse;
    expect(heatmapOnly.baseline).toBeUndefined();
  });

  it('compares the services home the same way', async () => {
    const response = await routes.overview.GET(new Request('http://spanlens.test/api/overview?baseline=1d'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as OverviewResponse;
    expect(body.baseline?.windowEndUs).toBe(body.windowEndUs - 86_400_000_000);
    const row = body.services.find((r) => r.service === service);
    expect(row?.comparison).toMatchObject({ presence: 'new', count: { delta: spans } });
    // The whole system too: every demo span is new.
    const total = Object.values(meta.services).reduce((n, s) => n + s.spans, 0);
    expect(body.totals.comparison).toMatchObject({ presence: 'new', baseline: { count: 0 }, count: { delta: total }, p95: null });
  });

  it('downloads the Δ columns with the groups as CSV, equal to the JSON comparison', async () => {
    const json = (await (await metrics('baseline=previous&include=groups')).json()) as MetricsResponse;
    const csv = await (await metrics('baseline=previous&format=csv&table=groups')).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(-28, -26)).toEqual(['presence', 'baselineCount']);
    expect(columns.at(-1)).toBe('regressionScore');
    const byOperation = new Map(lines.map((line) => line.split(',')).map((cells) => [cells[columns.indexOf('operation')], cells]));
    for (const group of json.groups ?? []) {
      const cells = byOperation.get(group.operation ?? '')!;
      const cell = (name: string) => cells[columns.indexOf(name)];
      expect([cell('presence'), cell('baselineCount'), cell('countDelta'), cell('rateRatio'), cell('p95Delta')]).toEqual([
        'new',
        '0',
        String(group.count),
        '',
        '',
      ]);
      expect(Number(cell('rateRatioLower'))).toBe(group.comparison?.count.interval.lower);
    }
  });

  it.each([
    ['baseline=yesterday', 'baseline'],
    ['baseline=30m', 'baseline'],
    ['baseline=30m&stream=1', 'baseline'],
    ['baselineStart=2026-11-22', 'baselineEnd'],
    // Overlapping the last hour.
    [`baselineStart=${new Date(Date.now() - 7_200_000).toISOString()}&baselineEnd=${new Date(Date.now() - 600_000).toISOString()}`, 'baselineStart'],
  ])('answers ?%s with a plain 400 naming %s', async (search, field) => {
    for (const response of [await metrics(search), await routes.overview.GET(new Request(`http://spanlens.test/api/overview?${search}`))]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', field } });
    }
  });
});
