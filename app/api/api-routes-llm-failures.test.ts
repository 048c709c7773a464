import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPortUrl, freshServerWith } from './route-test-env';

/** GET /api/llm when Jaeger is down (a real closed port) and when the SPANLENS_PRICES file is bad. */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-llm-failures-'));
afterAll(() => {
  delete process.env.SPANLENS_PRICES;
  delete process.env.JAEGER_URL;
  rmSync(dir, { recursive: true, force: true });
});

async function llmRoute(env: Record<string, string | undefined>) {
  freshServerWith(env);
  return import('./llm/route');
}

const answer = async (route: Awaited<ReturnType<typeof llmRoute>>, search = '') => {
  const response = await route.GET(new Request(`http://spanlens.test/api/llm${search}`));
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
};

describe('GET /api/llm when something it needs fails', () => {
  it.each(['', '?service=llm'])('answers 502 jaeger_unavailable naming the URL when Jaeger is down (%s)', async (search) => {
    const url = await closedPortUrl();
    const route = await llmRoute({ JAEGER_URL: url, JAEGER_API: 'legacy', JAEGER_TIMEOUT_MS: '300', SPANLENS_PRICES: undefined });
    const { status, body } = await answer(route, search);
    expect(status).toBe(502);
    expect(body.error.code).toBe('jaeger_unavailable');
    expect(body.error.message).toContain(url);
  });

  it('answers 500 invalid_price_file naming the file and the bad entry, before asking Jaeger', async () => {
    const path = join(dir, 'prices.json');
    writeFileSync(path, JSON.stringify({ models: { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 'ten' } } }));
    const route = await llmRoute({ JAEGER_URL: await closedPortUrl(), SPANLENS_PRICES: path });
    const { status, body } = await answer(route);
    expect(status).toBe(500);
    expect(body.error).toEqual({
      code: 'invalid_price_file',
      message: `The price file SPANLENS_PRICES=${path} cannot be used: models["gpt-4o"].outputPerMTok must be a number (USD per million tokens). Fix it and restart Spanlens.`,
    });
  });
});
