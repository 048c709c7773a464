import { expect, test } from '@playwright/test';
import { SEED_SERVICES } from '../lib/testing/seed/workload.ts';
import { APP_URL, DEMO_APP_URL } from './support/apps.ts';
import { seededRun } from './support/seed.ts';

/**
 * GET /metrics of the built app: the main app runs the exporter (playwright.config.ts: SPANLENS_EXPORT with a
 * day of backfill, so the harness's seeded run is counted on its first pass); the demo app has it off.
 */

/** traces_span_metrics_calls_total summed per "service | span name" and per "service | span name | status". */
function calls(body: string): Map<string, number> {
  const sums = new Map<string, number>();
  const line = /^traces_span_metrics_calls_total\{service_name="([^"]*)",span_name="([^"]*)",span_kind="[^"]*",status_code="([^"]*)"\} (\S+)$/gm;
  for (const [, service, name, status, value] of body.matchAll(line)) {
    for (const key of [`${service} | ${name}`, `${service} | ${name} | ${status}`]) sums.set(key, (sums.get(key) ?? 0) + Number(value));
  }
  return sums;
}

test.describe('Prometheus scrapes Spanlens', () => {
  test('GET /metrics has every seeded span, each once, per service and operation, errors as STATUS_CODE_ERROR', async ({ request }) => {
    const run = seededRun();
    const expectedTotal = run.summary.operations.reduce((sum, op) => sum + op.count, 0);
    let body = '';
    // A new series reads 0 on its first scrape and its counts from the next; the first pass may still be running.
    await expect
      .poll(
        async () => {
          const response = await request.get(`${APP_URL}/metrics`);
          expect(response.status()).toBe(200);
          expect(response.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
          body = await response.text();
          const sums = calls(body);
          return SEED_SERVICES.flatMap((service) => run.summary.operations.filter((op) => op.service === service)).reduce(
            (sum, op) => sum + (sums.get(`${op.service} | ${op.operation}`) ?? 0),
            0,
          );
        },
        { timeout: 90_000, intervals: [1_000] },
      )
      .toBe(expectedTotal);
    const sums = calls(body);
    for (const op of run.summary.operations) {
      const key = `${op.service} | ${op.operation}`;
      expect(sums.get(key), key).toBe(op.count);
      expect(sums.get(`${key} | STATUS_CODE_ERROR`) ?? 0, `${key} errors`).toBe(op.errorCount);
    }
    expect(body).toMatch(/^spanlens_export_upstream_errors_total 0$/m);
  });

  test('GET /metrics says how to turn the exporter on when it is off', async ({ request }) => {
    const response = await request.get(`${DEMO_APP_URL}/metrics`);
    expect(response.status()).toBe(404);
    expect(await response.text()).toContain('The Prometheus exporter is off. Set SPANLENS_EXPORT to a comma list of metric sets');
  });
});
