import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DependenciesResponse, OperationEdgeResponse, ServiceEdgeResponse } from '@/lib/http/api-types';
import { hex, postOtlpSpans, requireTestEnv, waitForTraces, type OtlpTestSpan } from '@/lib/testing/post-otlp';

/**
 * GET /api/dependencies against the harness's real Jaeger: a 3-service topology posted over OTLP with
 * exact times, so calls, errors, p95 and the client−server gap are known in advance, and the service
 * edges' calls are checked against Jaeger's own GET /api/dependencies callCount.
 *
 * Per trace i (0..11):
 *   web  GET /page (server, 20 ms)
 *   └─ web  GET /api (client, 5000 + 100i µs) → api GET /api (server, 4000 + 50i µs): gap 1000 + 50i
 *       ├─ api SELECT (client, db.system.name=postgresql, 1000 µs, no child) → postgresql (uninstrumented)
 *       └─ api check (client, 800 µs) → auth check (server, 700 µs, error when i % 4 = 0): gap 100
 */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
const otlpUrl = requireTestEnv('SPANLENS_TEST_OTLP_URL');

const runStartedMs = Date.now();
const run = runStartedMs.toString(36);
const WEB = `it-map-web-${run}`;
const API = `it-map-api-${run}`;
const AUTH = `it-map-auth-${run}`;
const TRACES = 12;
// Five hours back, minute-aligned: away from "now", the seeded workload and the other integration tests.
const WINDOW_START_US = (Math.floor(runStartedMs / 60_000) * 60_000 - 5 * 3_600_000) * 1000;
const WINDOW_END_US = WINDOW_START_US + 600_000_000;
const traceIdOf = (i: number): string => `${hex(runStartedMs, 12)}da9a${hex(i + 1, 16)}`;

const spans: OtlpTestSpan[] = Array.from({ length: TRACES }, (_, i): OtlpTestSpan[] => {
  const traceId = traceIdOf(i);
  const id = (n: number) => hex(i * 10 + n, 16);
  const t = WINDOW_START_US + 10_000_000 + i * 20_000_000;
  return [
    { traceId, spanId: id(1), service: WEB, name: 'GET /page', kind: 2, startUs: t, durationUs: 20_000 },
    { traceId, spanId: id(2), parentSpanId: id(1), service: WEB, name: 'GET /api', kind: 3, startUs: t + 100, durationUs: 5000 + 100 * i },
    { traceId, spanId: id(3), parentSpanId: id(2), service: API, name: 'GET /api', kind: 2, startUs: t + 400, durationUs: 4000 + 50 * i },
    {
      traceId,
      spanId: id(4),
      parentSpanId: id(3),
      service: API,
      name: 'SELECT',
      kind: 3,
      startUs: t + 500,
      durationUs: 1000,
      attributes: { 'db.system.name': 'postgresql', 'server.address': 'db.internal' },
    },
    { traceId, spanId: id(5), parentSpanId: id(3), service: API, name: 'check', kind: 3, startUs: t + 1600, durationUs: 800 },
    { traceId, spanId: id(6), parentSpanId: id(5), service: AUTH, name: 'check', kind: 2, startUs: t + 1650, durationUs: 700, error: i % 4 === 0 },
  ];
}).flat();

const windowParams = `start=${new Date(WINDOW_START_US / 1000).toISOString()}&end=${new Date(WINDOW_END_US / 1000).toISOString()}`;

/** The route with a fresh env pointing at the harness Jaeger (lib/env reads process.env once per module instance). */
async function dependencies(params: string): Promise<DependenciesResponse> {
  vi.resetModules();
  process.env.JAEGER_URL = jaegerUrl;
  delete process.env.JAEGER_UI_URL;
  delete process.env.JAEGER_API;
  const route = await import('@/app/api/dependencies/route');
  const response = await route.GET(new Request(`http://localhost/api/dependencies?${windowParams}&${params}`));
  expect(response.status).toBe(200);
  return (await response.json()) as DependenciesResponse;
}

beforeAll(async () => {
  await postOtlpSpans(otlpUrl, spans);
  await Promise.all([WEB, API, AUTH].map((service) => waitForTraces(jaegerUrl, service, WINDOW_START_US, WINDOW_END_US, TRACES)));
}, 60_000);

describe('GET /api/dependencies on the real Jaeger', () => {
  it("gives every service edge the exact numbers, and Jaeger's own callCount for the instrumented pairs", async () => {
    const answer = await dependencies('');
    expect(answer.level).toBe('service');
    expect(answer.coverage.complete).toBe(true);
    const edges = answer.edges as readonly ServiceEdgeResponse[];
    const edge = (parent: string, child: string) => edges.find((e) => e.parent === parent && e.child === child);
    // Callee durations 4000 + 50i: p95 = the 12th smallest = 4550; gaps 1000 + 50i: p50 = 6th = 1250, p95 = 12th = 1550.
    expect(edge(WEB, API)).toMatchObject({ calls: 12, errors: 0, errorRate: 0, p95Us: 4550, gapP50Us: 1250, gapP95Us: 1550, peer: false });
    expect(edge(WEB, API)?.callsPerSecond).toBeCloseTo(12 / 600, 12);
    expect(edge(WEB, API)?.callers).toEqual([{ operation: 'GET /api', calls: 12 }]);
    expect(edge(API, AUTH)).toMatchObject({ calls: 12, errors: 3, errorRate: 0.25, p95Us: 700, gapP50Us: 100, gapP95Us: 100, peer: false });
    // db.system.name wins over server.address.
    expect(edge(API, 'postgresql (uninstrumented)')).toMatchObject({ calls: 12, errors: 0, p95Us: 1000, gapP50Us: null, gapP95Us: null, peer: true });
    expect(edges.filter((e) => [WEB, API, AUTH].includes(e.parent))).toHaveLength(3);

    // Jaeger's own dependency links over the same window, asked directly: the oracle, not our code.
    const response = await fetch(`${jaegerUrl}/api/dependencies?endTs=${WINDOW_END_US / 1000}&lookback=${(WINDOW_END_US - WINDOW_START_US) / 1000}`);
    const { data } = (await response.json()) as { data: { parent: string; child: string; callCount: number }[] };
    const jaegers = (parent: string, child: string) => data.find((link) => link.parent === parent && link.child === child)?.callCount;
    expect(jaegers(WEB, API)).toBe(TRACES);
    expect(jaegers(API, AUTH)).toBe(TRACES);
    expect(edge(WEB, API)?.calls).toBe(jaegers(WEB, API));
    expect(edge(API, AUTH)?.calls).toBe(jaegers(API, AUTH));
    // Jaeger draws no edge to a peer nobody instrumented.
    expect(data.filter((link) => link.parent === API && link.child !== AUTH && link.child !== API)).toEqual([]);
    // Where the rules differ: Jaeger v2.13's memory store also counts span pairs inside one service (API's
    // GET /api → SELECT and → check: 24) as a self-link; Spanlens's service edges leave those out (they are
    // in the operation level), as the map draws calls between services.
    expect(jaegers(API, API)).toBe(2 * TRACES);
    expect(edge(API, API)).toBeUndefined();
  }, 60_000);

  it('focused on one service, counts the same (each trace once though three services hold it)', async () => {
    const answer = await dependencies(`service=${API}`);
    expect(answer.servicesSearched).toBe(1);
    expect(answer.traces).toBe(TRACES);
    const edges = answer.edges as readonly ServiceEdgeResponse[];
    // Sorted by calls, then caller, then callee (code units): "it-map-auth-…" < "postgresql …".
    expect(edges.map((e) => [e.parent, e.child, e.calls])).toEqual([
      [API, AUTH, 12],
      [API, 'postgresql (uninstrumented)', 12],
      [WEB, API, 12],
    ]);
  }, 60_000);

  it('at operation level names each side by service and operation', async () => {
    const answer = await dependencies(`service=${API}&level=operation`);
    expect(answer.level).toBe('operation');
    const edges = answer.edges as readonly OperationEdgeResponse[];
    expect(edges.map((e) => ({ parent: e.parent, child: e.child, calls: e.calls, gapP95Us: e.gapP95Us }))).toEqual([
      { parent: { service: API, operation: 'GET /api' }, child: { service: API, operation: 'SELECT' }, calls: 12, gapP95Us: null },
      { parent: { service: API, operation: 'GET /api' }, child: { service: API, operation: 'check' }, calls: 12, gapP95Us: null },
      {
        parent: { service: API, operation: 'SELECT' },
        child: { service: 'postgresql (uninstrumented)', operation: 'SELECT' },
        calls: 12,
        gapP95Us: null,
      },
      { parent: { service: API, operation: 'check' }, child: { service: AUTH, operation: 'check' }, calls: 12, gapP95Us: 100 },
      { parent: { service: WEB, operation: 'GET /api' }, child: { service: API, operation: 'GET /api' }, calls: 12, gapP95Us: 1550 },
    ]);
  }, 60_000);
});
