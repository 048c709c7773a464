import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** GET /metrics in-process, the exporter configured by the environment as the server would be. */

const EXPORT_VARS = ['JAEGER_URL', 'SPANLENS_EXPORT', 'SPANLENS_EXPORT_RULES', 'SPANLENS_DATA_FILE'] as const;

async function routeWith(env: Partial<Record<(typeof EXPORT_VARS)[number], string>>) {
  for (const name of EXPORT_VARS) delete process.env[name];
  Object.assign(process.env, env);
  delete (globalThis as { __spanlensExporter?: unknown }).__spanlensExporter;
  vi.resetModules();
  return import('./route');
}

afterEach(async () => {
  const running = (globalThis as { __spanlensExporter?: Promise<{ state: string; exporter?: { tail: { stop(): Promise<void> } } }> })
    .__spanlensExporter;
  await (await running)?.exporter?.tail.stop();
});

describe('GET /metrics', () => {
  it('says the exporter is off, and how to turn it on, when SPANLENS_EXPORT is unset', async () => {
    const response = await (await routeWith({})).GET();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      'The Prometheus exporter is off. Set SPANLENS_EXPORT to a comma list of metric sets (spanmetrics, llm, rules), e.g. SPANLENS_EXPORT=spanmetrics,llm, and restart Spanlens.\n',
    );
  });

  it('answers 503 naming JAEGER_URL when there is no Jaeger to tail', async () => {
    const response = await (await routeWith({ SPANLENS_EXPORT: 'spanmetrics' })).GET();
    expect([response.status, await response.text()]).toEqual([
      503,
      'The Prometheus exporter tails a live Jaeger: set JAEGER_URL as well as SPANLENS_EXPORT.\n',
    ]);
  });

  it('answers 503 with the rules file problems when the file is bad', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'spanlens-rules-')), 'rules.json');
    writeFileSync(path, JSON.stringify({ metrics: [{ name: 'x-y', type: 'counter', match: { service: 'a' } }] }));
    const response = await (await routeWith({ SPANLENS_EXPORT: 'rules', SPANLENS_EXPORT_RULES: path, JAEGER_URL: 'http://127.0.0.1:9' })).GET();
    expect([response.status, await response.text()]).toEqual([
      503,
      `The Prometheus exporter did not start: SPANLENS_EXPORT_RULES (${path}) is not a valid rules file:\n- metrics.0.name: a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* (letters, digits, _ and :, not starting with a digit)\n`,
    ]);
  });

  it('serves the exposition text, with the tail saying Jaeger did not answer, when Jaeger is down', async () => {
    const route = await routeWith({ SPANLENS_EXPORT: 'spanmetrics,llm', JAEGER_URL: 'http://127.0.0.1:9' });
    let body = '';
    // The first pass starts with the exporter; wait for its failed service list to be counted.
    for (let attempt = 0; attempt < 100 && !/^spanlens_export_upstream_errors_total [1-9]/m.test(body); attempt += 1) {
      const response = await route.GET();
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
      body = await response.text();
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(body).toMatch(/^spanlens_export_upstream_errors_total [1-9]/m);
    expect(body).toMatch(/^# TYPE traces_span_metrics_calls_total counter$/m);
  });
});
