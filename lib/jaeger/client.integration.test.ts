import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, postOtlpSpans, requireTestEnv, waitForTraces, type OtlpTestSpan } from '../testing/post-otlp.ts';
import { createAggregator } from '../metrics/aggregator.ts';
import { createJaegerClient, type JaegerApi, type JaegerClient, type JaegerClientConfig } from './client.ts';
import { JaegerHttpError } from './errors.ts';
import type { Trace } from './span.ts';

/**
 * The client's contract against the real Jaeger (v2.13, both APIs) and the v3-only proxy that answers
 * like Jaeger main after jaeger#9260. The spans are posted here over OTLP/HTTP with exact times, so
 * every count and duration below is known in advance.
 */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
const v3OnlyUrl = requireTestEnv('SPANLENS_TEST_V3_ONLY_URL');
const otlpUrl = requireTestEnv('SPANLENS_TEST_OTLP_URL');

// A service name of its own per run, so the seeded workload and earlier runs never mix in.
const runStartedMs = Date.now();
const run = runStartedMs.toString(36);
const SERVICE = `it-client-${run}`;
const DB_SERVICE = `it-client-db-${run}`;
const TRACES = 30;
// Three hours back and minute-aligned: far from "now" and from the seeded workload's window.
const WINDOW_START_US = (Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000) * 1000;
const WINDOW_END_US = WINDOW_START_US + 600_000_000;
const traceIdOf = (i: number): string => `${hex(runStartedMs, 12)}c11e${hex(i + 1, 16)}`;
const rootDurationUs = (i: number): number => 10_000 + i * 1_000;

const spans: OtlpTestSpan[] = Array.from({ length: TRACES }, (_, i): OtlpTestSpan[] => {
  const startUs = WINDOW_START_US + 5_000_000 + i * 10_000_000;
  return [
    {
      traceId: traceIdOf(i),
      spanId: hex(i * 3 + 1, 16),
      service: SERVICE,
      name: 'GET /checkout',
      kind: 2,
      startUs,
      durationUs: rootDurationUs(i),
      error: i % 5 === 0,
      attributes: { 'http.route': '/checkout', tier: i % 2 === 0 ? 'gold' : 'free' },
    },
    {
      traceId: traceIdOf(i),
      spanId: hex(i * 3 + 2, 16),
      parentSpanId: hex(i * 3 + 1, 16),
      service: SERVICE,
      name: 'query',
      kind: 3,
      startUs: startUs + 100,
      durationUs: 500,
    },
    {
      traceId: traceIdOf(i),
      spanId: hex(i * 3 + 3, 16),
      parentSpanId: hex(i * 3 + 2, 16),
      service: DB_SERVICE,
      name: 'SELECT',
      kind: 2,
      startUs: startUs + 150,
      durationUs: 400,
    },
  ];
}).flat();

const window = { service: SERVICE, tags: {}, startUs: WINDOW_START_US, endUs: WINDOW_END_US, limit: 1000 };
const clients: JaegerClient[] = [];

function makeClient(overrides: Partial<JaegerClientConfig> = {}): JaegerClient {
  const client = createJaegerClient({
    baseUrl: jaegerUrl,
    api: 'auto',
    timeoutMs: 15_000,
    maxConcurrency: 4,
    maxResponseBytes: 64 * 1_048_576,
    cacheTtlMs: 0,
    ...overrides,
  });
  clients.push(client);
  return client;
}

/** What a trace looks like with IDs and timing only, for comparing the two APIs. */
const shape = (trace: Trace) => ({
  traceId: trace.traceId,
  spans: trace.spans
    .map((span) => ({
      spanId: span.spanId,
      parent: span.parentSpanId,
      service: span.service,
      operation: span.operation,
      kind: span.kind,
      startUs: span.startUs,
      durationUs: span.durationUs,
      error: span.error,
    }))
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1)),
});

beforeAll(async () => {
  await postOtlpSpans(otlpUrl, spans);
  await waitForTraces(jaegerUrl, SERVICE, WINDOW_START_US, WINDOW_END_US, TRACES);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

describe.each<JaegerApi>(['legacy', 'v3'])('the client in %s mode against the real Jaeger', (api) => {
  it('lists the seeded services and operations', async () => {
    const client = makeClient({ api });
    const services = await client.listServices();
    expect(services).toContain(SERVICE);
    expect(services).toContain(DB_SERVICE);
    expect(await client.listOperations(SERVICE)).toEqual([
      { name: 'GET /checkout', spanKind: 'server' },
      { name: 'query', spanKind: 'client' },
    ]);
  });

  it('finds every seeded trace with its exact spans and durations', async () => {
    const { traces, cutAtLimit } = await makeClient({ api }).searchTraces(window);
    expect(cutAtLimit).toBe(false);
    expect(traces).toHaveLength(TRACES);
    expect(traces.reduce((sum, trace) => sum + trace.spans.length, 0)).toBe(TRACES * 3);
    const roots = traces.flatMap((trace) => trace.spans.filter((span) => span.operation === 'GET /checkout'));
    expect(roots.map((span) => span.durationUs).sort((a, b) => a - b)).toEqual(Array.from({ length: TRACES }, (_, i) => rootDurationUs(i)));
    expect(roots.filter((span) => span.error)).toHaveLength(6);
    const dbSpans = traces.flatMap((trace) => trace.spans.filter((span) => span.service === DB_SERVICE));
    expect(new Set(dbSpans.map((span) => span.durationUs))).toEqual(new Set([400]));
  });

  it('filters by operation, tag, error status and duration', async () => {
    const client = makeClient({ api });
    expect((await client.searchTraces({ ...window, operation: 'query' })).traces).toHaveLength(TRACES);
    expect((await client.searchTraces({ ...window, tags: { tier: 'gold' } })).traces).toHaveLength(15);
    // Seeded with status ERROR on every fifth root; Spanlens matches error=true itself (search-filter.ts).
    expect((await client.searchTraces({ ...window, tags: { error: 'true' } })).traces).toHaveLength(6);
    // Root durations are 10 ms + i ms: at least 30 ms leaves i = 20..29; at most 15 ms leaves i = 0..5
    expect((await client.searchTraces({ ...window, operation: 'GET /checkout', minDurationUs: 30_000 })).traces).toHaveLength(10);
    expect((await client.searchTraces({ ...window, operation: 'GET /checkout', maxDurationUs: 15_000 })).traces).toHaveLength(6);
  });

  it('answers an empty search with no traces', async () => {
    await expect(makeClient({ api }).searchTraces({ ...window, service: `${SERVICE}-nobody` })).resolves.toEqual({
      traces: [],
      cutAtLimit: false,
      receivedTraces: 0,
    });
  });

  it('cuts a search at its limit, as Jaeger does', async () => {
    const answer = await makeClient({ api }).searchTraces({ ...window, limit: 7 });
    expect(answer.traces).toHaveLength(7);
    expect(answer.cutAtLimit).toBe(true);
  });

  it('gets one trace by ID, and null for an unknown ID', async () => {
    const client = makeClient({ api });
    const trace = await client.getTrace(traceIdOf(3));
    expect(trace?.traceId).toBe(traceIdOf(3));
    expect(trace?.spans.map((span) => span.durationUs).sort((a, b) => a - b)).toEqual([400, 500, rootDurationUs(3)]);
    await expect(client.getTrace('00000000000000000000000000fedcba')).resolves.toBeNull();
  });

  it("finds the call edge Jaeger's own /api/dependencies reports, with the same count", async () => {
    const { traces } = await makeClient({ api }).searchTraces({ ...window, limit: 100 });
    const aggregator = createAggregator({ windowStartUs: window.startUs, windowEndUs: window.endUs }, ['dependencies']);
    for (const trace of traces) aggregator.addTrace(trace);
    const ours = aggregator.finish().serviceDependencies.find((edge) => edge.parent === SERVICE && edge.child === DB_SERVICE);
    // Jaeger's legacy endpoint, still served by main after jaeger#9260, asked directly: the oracle, not our client.
    const response = await fetch(`${jaegerUrl}/api/dependencies?endTs=${Math.floor(WINDOW_END_US / 1000)}&lookback=600000`);
    const { data } = (await response.json()) as { data: { parent: string; child: string; callCount: number }[] };
    const jaegers = data.find((link) => link.parent === SERVICE && link.child === DB_SERVICE);
    expect(jaegers?.callCount).toBe(TRACES);
    expect(ours?.calls).toBe(jaegers?.callCount);
  });
});

describe('the two APIs', () => {
  it('yield the same normalised traces', async () => {
    const [{ traces: legacy }, { traces: v3 }] = await Promise.all([
      makeClient({ api: 'legacy' }).searchTraces(window),
      makeClient({ api: 'v3' }).searchTraces(window),
    ]);
    const byId = (a: { traceId: string }, b: { traceId: string }) => (a.traceId < b.traceId ? -1 : 1);
    expect(v3.map(shape).sort(byId)).toEqual(legacy.map(shape).sort(byId));
  });
});

describe('api detection', () => {
  it('chooses legacy on a Jaeger that serves both APIs', async () => {
    await expect(makeClient({ api: 'auto' }).resolveApi()).resolves.toBe('legacy');
  });

  it('chooses v3 behind the v3-only proxy and finds the seeded traces there', async () => {
    const client = makeClient({ baseUrl: v3OnlyUrl, api: 'auto' });
    expect(await client.resolveApi()).toBe('v3');
    expect(await client.listServices()).toContain(SERVICE);
    expect((await client.searchTraces(window)).traces).toHaveLength(TRACES);
  });

  it('gives a clear error in legacy mode behind the v3-only proxy', async () => {
    const client = makeClient({ baseUrl: v3OnlyUrl, api: 'legacy' });
    const error = await client.searchTraces(window).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerHttpError);
    expect((error as JaegerHttpError).status).toBe(404);
    expect((error as JaegerHttpError).upstreamMessage).toBe(
      '404 page not found: this Jaeger has no legacy /api search (removed in jaeger#9260); set JAEGER_API=v3 or auto',
    );
    // Fetching one trace by ID survived jaeger#9260, so it still works in legacy mode.
    expect((await client.getTrace(traceIdOf(0)))?.spans).toHaveLength(3);
  });
});

describe('request coalescing', () => {
  it('sends 50 identical concurrent searches to Jaeger as one request', async () => {
    // A counting pass-through in front of the real Jaeger: the number is Jaeger's side of the wire.
    let upstreamCalls = 0;
    const counter = http.createServer((req, res) => {
      upstreamCalls += 1;
      const target = new URL(req.url ?? '/', jaegerUrl);
      const forward = http.request(target, { method: req.method, headers: req.headers }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
    try {
      // Cache off: every shared answer below comes from coalescing alone.
      const client = makeClient({ baseUrl: `http://127.0.0.1:${(counter.address() as AddressInfo).port}`, api: 'v3', cacheTtlMs: 0 });
      const answers = await Promise.all(Array.from({ length: 50 }, () => client.searchTraces(window)));
      expect(upstreamCalls).toBe(1);
      expect(client.upstreamRequestCount).toBe(1);
      for (const answer of answers) expect(answer.traces).toHaveLength(TRACES);
      // Once settled, the same query goes upstream again (nothing is cached).
      await client.searchTraces(window);
      expect(upstreamCalls).toBe(2);
    } finally {
      counter.closeAllConnections();
      await new Promise<void>((resolve) => counter.close(() => resolve()));
    }
  });
});
