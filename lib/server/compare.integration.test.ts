import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MetricsResponse, OverviewResponse } from '@/lib/http/api-types';
import {
  buildComparison,
  COMPARE_OPERATIONS,
  plantComparison,
  SLOW_OPERATION,
  SPANS_PER_WINDOW,
  type PlantedComparison,
} from '@/lib/testing/compare-workload';
import { requireTestEnv } from '@/lib/testing/post-otlp';

/**
 * A baseline comparison through the route handlers against the real Jaeger: a service of this run's
 * own with one operation planted twice as slow in the later of two adjacent windows
 * (lib/testing/compare-workload.ts). `baseline=previous` on the later window flags that operation a
 * regression and none of the others; the baseline numbers are the earlier window's, as sent.
 */

let planted: PlantedComparison;
let routes: { metrics: typeof import('@/app/api/metrics/route'); overview: typeof import('@/app/api/overview/route') };

const iso = (us: number) => new Date(us / 1_000).toISOString();
const nearestRank = (values: readonly number[], q: number) => [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1];

beforeAll(async () => {
  const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
  planted = buildComparison(`it${Date.now().toString(36)}`, Date.now());
  await plantComparison(requireTestEnv('SPANLENS_TEST_OTLP_URL'), jaegerUrl, planted);
  vi.resetModules();
  process.env.JAEGER_URL = jaegerUrl;
  delete process.env.JAEGER_UI_URL;
  delete process.env.JAEGER_API;
  routes = { metrics: await import('@/app/api/metrics/route'), overview: await import('@/app/api/overview/route') };
});

const windowParams = () => `start=${iso(planted.current.startUs)}&end=${iso(planted.current.endUs)}&baseline=previous`;

describe('baseline=previous on the real Jaeger', () => {
  it('flags the planted slow operation as a regression and no other', async () => {
    const response = await routes.metrics.GET(
      new Request(`http://spanlens.test/api/metrics?service=${encodeURIComponent(planted.service)}&${windowParams()}&include=groups`),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as MetricsResponse;
    // The previous window stops 1 µs before the view starts (both include their ends).
    expect(body.baseline).toMatchObject({ windowStartUs: planted.baseline.startUs, windowEndUs: planted.baseline.endUs - 1, goneGroups: [] });
    expect(body.baseline?.coverage.complete).toBe(true);

    const groups = body.groups ?? [];
    expect(groups.map((group) => group.operation).sort()).toEqual([...COMPARE_OPERATIONS].sort());
    for (const group of groups) {
      const comparison = group.comparison;
      const sent = (startUs: number) =>
        planted.spans
          .filter((span) => span.name === group.operation && span.startUs >= startUs && span.startUs < startUs + 600_000_000)
          .map((s) => s.durationUs);
      // The baseline's numbers are the earlier window's spans as the workload sent them.
      expect(comparison?.presence).toBe('both');
      expect(comparison?.baseline.count).toBe(SPANS_PER_WINDOW);
      expect(comparison?.baseline.p50Us).toBe(nearestRank(sent(planted.baseline.startUs), 0.5));
      expect(comparison?.baseline.p95Us).toBe(nearestRank(sent(planted.baseline.startUs), 0.95));
      expect(comparison?.p95?.delta).toBe(nearestRank(sent(planted.current.startUs), 0.95)! - nearestRank(sent(planted.baseline.startUs), 0.95)!);
      expect(comparison?.count).toMatchObject({ delta: 0, flag: null });
      // The baseline is 1 µs shorter than the 10 min window (it gives up the µs the windows share).
      expect(comparison?.count.rateRatio).toBeCloseTo(1, 8);
      expect(comparison?.errorRate?.flag).toBeNull();
      const slow = group.operation === SLOW_OPERATION;
      expect([group.operation, comparison?.p50?.flag, comparison?.p95?.flag]).toEqual([
        group.operation,
        slow ? 'regression' : null,
        slow ? 'regression' : null,
      ]);
      // n = 200 is too few for p99's interval at √0.95 (it needs 435): shown, never flagged.
      expect(comparison?.p99?.interval).toBeNull();
      expect((comparison?.regressionScore ?? 0) > 0).toBe(slow);
    }
  });

  it('compares the services home too: the planted service has both windows, 600 spans each', async () => {
    const response = await routes.overview.GET(new Request(`http://spanlens.test/api/overview?${windowParams()}&limit=1000`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as OverviewResponse;
    const row = body.services.find((service) => service.service === planted.service);
    expect(row?.count).toBe(3 * SPANS_PER_WINDOW);
    expect(row?.comparison).toMatchObject({ presence: 'both', baseline: { count: 3 * SPANS_PER_WINDOW }, count: { delta: 0 } });
    expect(body.baseline).toMatchObject({ windowStartUs: planted.baseline.startUs, windowEndUs: planted.baseline.endUs - 1 });
    // The whole system (other runs' spans may share these windows): both windows hold at least ours.
    expect(body.totals.comparison?.presence).toBe('both');
    expect(body.totals.comparison?.baseline.count).toBeGreaterThanOrEqual(3 * SPANS_PER_WINDOW);
  });

  it('answers a baseline that overlaps the window with 400 naming baseline', async () => {
    const response = await routes.metrics.GET(
      new Request(`http://spanlens.test/api/metrics?service=${encodeURIComponent(planted.service)}&${windowParams().replace('previous', '5m')}`),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', field: 'baseline' } });
  });
});
