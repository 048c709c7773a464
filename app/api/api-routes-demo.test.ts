import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshServerWith } from './route-test-env';
import type { FullMetricsResponse, ServicesResponse } from '@/lib/http/api-types';

/**
 * Demo mode on the bundled data set (no JAEGER_URL, no SPANLENS_DATA_FILE): moved in time per
 * lib/demo/demo-meta.json, so "the last hour" holds all of it, and its counts match the meta record.
 */

interface DemoMeta {
  readonly recordedAtMs: number;
  readonly firstStartUs: number;
  readonly lastEndUs: number;
  readonly services: Readonly<Record<string, { readonly spans: number; readonly traces: number }>>;
}

const meta = JSON.parse(readFileSync('lib/demo/demo-meta.json', 'utf8')) as DemoMeta;
let routes: { services: typeof import('./services/route'); metrics: typeof import('./metrics/route') };

beforeAll(async () => {
  freshServerWith({ JAEGER_URL: undefined, SPANLENS_DATA_FILE: undefined });
  routes = { services: await import('./services/route'), metrics: await import('./metrics/route') };
});

describe('demo mode on the bundled data set', () => {
  it('lists the services the demo meta records, labelled demo', async () => {
    const body = (await (await routes.services.GET(new Request('http://spanlens.test/api/services'))).json()) as ServicesResponse;
    expect(body).toEqual({ source: { mode: 'demo', label: 'Demo data set' }, services: Object.keys(meta.services).sort() });
  });

  it.each(Object.entries(meta.services))(
    'counts every %s span in the last hour, the data having been moved to end just before now',
    async (service, expected) => {
      expect(meta.lastEndUs - meta.firstStartUs).toBeLessThan(3_600_000_000);
      const before = Date.now();
      const response = await routes.metrics.GET(new Request(`http://spanlens.test/api/metrics?service=${encodeURIComponent(service)}`));
      const result = (await response.json()) as FullMetricsResponse;
      expect(result.spansCounted).toBe(expected.spans);
      expect(result.coverage.tracesFetched).toBe(expected.traces);
      const newestEndUs = Math.max(...result.slowest.map((span) => span.startUs + span.durationUs));
      expect(newestEndUs).toBeLessThanOrEqual(Date.now() * 1_000);
      expect(newestEndUs).toBeGreaterThan((before - 3_600_000) * 1_000);
    },
  );
});
