import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BubbleUpResponse } from '@/lib/http/bubbleup-types';
import { closedPortUrl, freshDemoServer, freshServerWith } from '../route-test-env';

/**
 * GET /api/bubbleup called as Next calls it, in demo mode over the route data set (lib/server/testing/
 * route-data-set.ts: service api has 30 `GET /a` spans with http.route=/a, 3 of them error=true, 20
 * `GET /b` spans with http.route=/b and 4 `call auth` client spans; every api span has the process tag
 * hostname=host-1), then against a Jaeger that is down.
 */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-bubbleup-'));
let route: typeof import('./route');

async function loadRoute(env: Record<string, string | undefined>) {
  freshServerWith(env);
  return import('./route');
}

beforeAll(async () => {
  freshDemoServer(dir);
  route = await import('./route');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (search: string) => route.GET(new Request(`http://spanlens.test/api/bubbleup?${search}`));

describe('GET /api/bubbleup', () => {
  it('compares the 3 error spans of api with its 51 others, value by value, most significant first', async () => {
    const response = await get('service=api&cohort=errors');
    expect(response.status).toBe(200);
    const body = (await response.json()) as BubbleUpResponse;
    expect(body).toMatchObject({ cohortTotal: 3, baselineTotal: 51, comparisons: 8, cohort: { spec: 'errors', resolved: 'errors' } });
    expect(body.query).toBe('service=api&cohort=errors');
    // Keys on the cohort's spans: error (true, (none)), http.route (/a, /b, (none)), span.kind (server, client), process.hostname.
    const rows = body.attributes.map((a) => `${a.key}=${a.value}`);
    expect(rows.slice(0, 2)).toEqual(['error=true', 'error=(none)']);
    expect(new Set(rows)).toEqual(
      new Set([
        'error=true',
        'error=(none)',
        'http.route=/a',
        'http.route=/b',
        'http.route=(none)',
        'span.kind=server',
        'span.kind=client',
        'process.hostname=host-1',
      ]),
    );
    const [errorTrue] = body.attributes;
    expect(errorTrue).toMatchObject({
      cohortCount: 3,
      cohortTotal: 3,
      baselineCount: 0,
      baselineTotal: 51,
      cohortShare: 1,
      baselineShare: 0,
      significant: true,
    });
    // Only x = 3 of the hypergeometric (3 drawn of 54, 3 marked) is as unlikely: 1 / C(54, 3); Holm × 8.
    expect(errorTrue?.pValue).toBeCloseTo(1 / 24_804, 12);
    expect(errorTrue?.adjustedP).toBeCloseTo(8 / 24_804, 12);
    // [[3, 0], [27, 24]]: weights C(3,x)·C(51,30−x) ∝ 1, 4.09, 5.16, 2.01 for x = 0…3; x = 0 and 3 are no likelier: 13/53.
    const routeA = body.attributes.find((a) => a.key === 'http.route' && a.value === '/a');
    expect(routeA).toMatchObject({ cohortCount: 3, baselineCount: 27, significant: false });
    expect(routeA?.pValue).toBeCloseTo(13 / 53, 12);
    expect(body.attributes.find((a) => a.key === 'process.hostname')).toMatchObject({ cohortCount: 3, baselineCount: 51, pValue: 1, adjustedP: 1 });
    expect(body.definitions.correction).toMatch(/^Holm–Bonferroni/);
    expect(body.definitions.test).toMatch(/two-sided Fisher exact test/);
    expect(body.coverage.complete).toBe(true);
  });

  it('resolves slowerThan:p90 to the minDuration just above the exact p90 of the counted spans', async () => {
    const body = (await (await get('service=api&operation=GET%20%2Fa&cohort=slowerThan:p90')).json()) as BubbleUpResponse;
    // GET /a lasts 1…30 ms: p90 is the 27th smallest, 27 ms; slower are 28, 29 and 30 ms.
    expect(body.cohort).toEqual({ spec: 'slowerThan:p90', resolved: 'minDuration:27.001ms' });
    expect(body).toMatchObject({ cohortTotal: 3, baselineTotal: 27 });
  });

  it('compares with baselineCohort instead of the rest, when given', async () => {
    const body = (await (await get('service=api&cohort=errors&baselineCohort=tag:http.route%3D/a')).json()) as BubbleUpResponse;
    // The 27 GET /a spans that are no error; GET /b and call auth count in neither side.
    expect(body).toMatchObject({ cohortTotal: 3, baselineTotal: 27, cohort: { spec: 'errors', resolved: 'errors', baseline: 'tag:http.route=/a' } });
    expect(body.query).toBe('service=api&cohort=errors&baselineCohort=tag%3Ahttp.route%3D%2Fa');
    // [[3, 0], [0, 27]]: only x = 3 is as unlikely: 1 / C(30, 3).
    expect(body.attributes.find((a) => a.key === 'error' && a.value === 'true')?.pValue).toBeCloseTo(1 / 4_060, 12);
    expect(body.attributes.find((a) => a.key === 'http.route')).toMatchObject({ value: '/a', cohortCount: 3, baselineCount: 27, pValue: 1 });
  });

  it.each([
    ['cohort=errors', 'service', 'Choose a service: BubbleUp compares the tags of one service’s spans.'],
    ['service=api', 'cohort', expect.stringMatching(/^Choose a cohort/)],
    ['service=api&cohort=duration:1s..1ms', 'cohort', 'cohort "duration:1s..1ms": the first duration must be less than the second'],
    ['service=api&cohort=errors&lookback=banana', 'lookback', expect.stringMatching(/^lookback must be a duration/)],
  ])('answers %s with 400 naming %s', async (search, field, message) => {
    const response = await get(search);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_query', field, message } });
  });
});

describe('GET /api/bubbleup when Jaeger is down', () => {
  it('answers 502 jaeger_unavailable naming the URL, as every Jaeger route does', async () => {
    const url = await closedPortUrl();
    route = await loadRoute({ JAEGER_URL: url, JAEGER_API: 'legacy', JAEGER_TIMEOUT_MS: '300', JAEGER_CACHE_TTL_MS: '0' });
    const response = await get('service=api&cohort=errors');
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('jaeger_unavailable');
    expect(body.error.message).toContain(url);
  });
});
