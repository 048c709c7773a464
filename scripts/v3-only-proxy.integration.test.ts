import { describe, expect, it } from 'vitest';
import { requireTestEnv } from '../lib/testing/post-otlp.ts';

/** The v3-only proxy answers exactly like Jaeger main after jaeger#9260 and passes the rest through. */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
const v3OnlyUrl = requireTestEnv('SPANLENS_TEST_V3_ONLY_URL');
const nowUs = Date.now() * 1000;

/** Jaeger's memory store lists dependency edges in Go map order, so two identical answers may differ in order. */
function comparable(body: string): unknown {
  try {
    const json = JSON.parse(body) as { data?: unknown };
    if (Array.isArray(json.data)) json.data = json.data.map((item) => JSON.stringify(item)).sort();
    return json;
  } catch {
    return body;
  }
}

describe('scripts/v3-only-proxy.mjs', () => {
  it.each([
    '/api/services',
    '/api/operations?service=frontend',
    '/api/services/frontend/operations',
    `/api/traces?service=frontend&start=${nowUs - 3_600_000_000}&end=${nowUs}`,
  ])('answers %s with main’s plain-text 404', async (path) => {
    const response = await fetch(`${v3OnlyUrl}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('404 page not found\n');
  });

  it.each([
    '/api/v3/traces/00000000000000000000000000fedcba',
    '/api/traces/00000000000000000000000000fedcba',
    `/api/dependencies?endTs=${Math.floor(nowUs / 1000)}&lookback=3600000`,
  ])('passes %s through to the real Jaeger unchanged', async (path) => {
    const [direct, proxied] = await Promise.all([fetch(`${jaegerUrl}${path}`), fetch(`${v3OnlyUrl}${path}`)]);
    expect(proxied.status).toBe(direct.status);
    expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(comparable(await proxied.text())).toEqual(comparable(await direct.text()));
  });
});
