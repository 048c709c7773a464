import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HealthResponse } from '../http/api-types.ts';
import { legacyEnvelope, startFaultyServer, type FaultyServer } from '../testing/faulty-server.ts';

/**
 * /api/health's verdict on the configured Jaeger, against lib/testing/faulty-server.ts: a 200 that is
 * not recognisably Jaeger's (an auth proxy's JSON) is "not reachable", and the message says it is not
 * Jaeger, in either API and in auto-detection.
 */

let server: FaultyServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startFaultyServer();
});
afterAll(async () => {
  await server.close();
  process.env = saved;
});
afterEach(() => server.reset());

/** A fresh health module reading this JAEGER_URL and JAEGER_API (env and the probe client are module state). */
async function healthFor(api: 'auto' | 'legacy' | 'v3'): Promise<HealthResponse['jaeger']> {
  vi.resetModules();
  delete (globalThis as { __spanlensHealth?: unknown }).__spanlensHealth;
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  Object.assign(process.env, { JAEGER_URL: server.url, JAEGER_API: api, JAEGER_TIMEOUT_MS: '1000' });
  const { checkHealth } = await import('./health.ts');
  return (await checkHealth(undefined)).jaeger;
}

const notJaeger = (path: string, expected: string, problem: string): string =>
  `Something answers at JAEGER_URL, but not as Jaeger's query API: ${path} answered 200 but the body is not ${expected}: ${problem}; ` +
  "is JAEGER_URL Jaeger's query service, or is a proxy or login page answering in its place?";

describe('checkHealth', () => {
  it('says reachable for a real Jaeger answer', async () => {
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['frontend'], 1) });
    expect(await healthFor('legacy')).toMatchObject({ configured: true, reachable: true, message: null });
  });

  it.each([
    ['legacy', '/api/services', 'a Jaeger legacy service list', 'it has no `data`'],
    ['v3', '/api/v3/services', 'a Jaeger v3 service list', 'it has no `services`'],
  ] as const)('says not reachable, and not Jaeger, for a wrong-shaped 200 in %s mode', async (api, path, expected, problem) => {
    server.respond(path, { kind: 'json', body: { message: 'Unauthorized' } });
    expect(await healthFor(api)).toEqual({ configured: true, reachable: false, message: notJaeger(path, expected, problem), latencyMs: null });
  });

  it('says not reachable, and not Jaeger, when auto-detection finds no Jaeger-shaped answer', async () => {
    server.respond('/api/services', { kind: 'json', body: { message: 'Unauthorized' } });
    server.respond('/api/v3/services', { kind: 'json', body: { message: 'Unauthorized' } });
    const jaeger = await healthFor('auto');
    expect(jaeger).toMatchObject({ configured: true, reachable: false, latencyMs: null });
    expect(jaeger).toHaveProperty(
      'message',
      `Something answers at JAEGER_URL, but not as Jaeger's query API: ${server.url} serves neither Jaeger query API ` +
        '(/api/services answered 200 application/json, but not with a Jaeger legacy service list (it has no `data`); ' +
        '/api/v3/services answered 200 application/json, but not with a Jaeger v3 service list (it has no `services`)); ' +
        'is JAEGER_URL the query service, with its base path?',
    );
  });
});
