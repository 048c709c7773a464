import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultyServer, type FaultyServer } from '../testing/faulty-server.ts';
import { JaegerHttpError, JaegerTimeoutError } from './errors.ts';
import { createJaegerSource, JaegerDeadlineError, type JaegerSource, type JaegerSourceConfig } from './jaeger-source.ts';
import { traceHash } from './window-planner.ts';

/**
 * The plan against exact answers, and sub-window failures, which a healthy real Jaeger cannot be made
 * to produce for one sub-window and not the next. Sampling itself is proven on the real Jaeger (jaeger-source.integration.test.ts).
 */

let server: FaultyServer;
const sources: JaegerSource[] = [];
beforeAll(async () => {
  server = await startFaultyServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.client.close()));
  server.reset();
});

const T0 = 1_790_000_000_000_000;
const oneTrace = (id: number, startUs: number) => ({
  traceID: id.toString(16).padStart(32, '0'),
  spans: [
    {
      traceID: id.toString(16).padStart(32, '0'),
      spanID: id.toString(16).padStart(16, '0'),
      operationName: 'GET',
      references: [],
      startTime: startUs,
      duration: 100,
      tags: [],
      logs: [],
      processID: 'p1',
    },
  ],
  processes: { p1: { serviceName: 'frontend', tags: [] } },
});
const storageFailure = {
  kind: 'text',
  status: 500,
  body: '{"data":null,"errors":[{"code":500,"msg":"storage is on fire"}]}\n',
} as const;

function makeSource(overrides: Partial<JaegerSourceConfig> = {}): JaegerSource {
  // One request at a time, so the faulty server's answers meet the sub-windows in plan order.
  const source = createJaegerSource({
    baseUrl: server.url,
    api: 'legacy',
    timeoutMs: 2_000,
    maxConcurrency: 1,
    maxResponseBytes: 1_048_576,
    cacheTtlMs: 0,
    retryDelayMs: 10,
    planner: { minTracesPerSubWindow: 1 },
    ...overrides,
  });
  sources.push(source);
  return source;
}

const search = { service: 'frontend', tags: {}, startUs: T0, endUs: T0 + 60_000_000, limit: 4 };
const ids = (traces: readonly { traceId: string }[]) => traces.map((trace) => trace.traceId);
const hex = (id: number) => id.toString(16).padStart(32, '0');
/** Four traces in the last 15 s of the minute: a full first answer reaching back to t0 = T0 + 45 s. */
const lastQuarter = [1, 2, 3, 4].map((id) => oneTrace(id, T0 + 45_000_000 + (id - 1) * 1_000_000));

describe('createJaegerSource searchTraces', () => {
  it('asks once when the window holds fewer traces than the limit, and says complete', async () => {
    server.respond('/api/traces', { kind: 'json', body: { data: [oneTrace(1, T0 + 1_000_000), oneTrace(2, T0 + 59_000_000)], errors: null } });
    const batches: string[][] = [];
    const coverage = await makeSource().searchTraces(search, (batch) => batches.push(ids(batch)));
    expect(batches.flat().sort()).toEqual([hex(1), hex(2)]);
    expect(coverage).toEqual({
      api: 'legacy',
      tracesFetched: 2,
      spansReceived: 1 + 1,
      subWindows: 1,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      upstreamRequests: 1,
      complete: true,
      partial: false,
    });
    expect(server.requests('/api/traces')).toHaveLength(1);
  });

  it('after a full first answer keeps its proportional share and asks for the rest of the window', async () => {
    // f = 15 s / 60 s = 0.25: of the first answer only traces with hash < 0.25 stay (none of these
    // four: their hashes are 0.92–0.94), so all 4 traces are shared by ceil(44.999999 s / 15 s) = 3
    // follow-ups over [T0, T0 + 45 s − 1 µs], cut at round(44_999_999 · i / 3) µs.
    expect(lastQuarter.map((trace) => traceHash(trace.traceID) < 0.25)).toEqual([false, false, false, false]);
    server.respond(
      '/api/traces',
      { kind: 'json', body: { data: lastQuarter, errors: null } },
      { kind: 'json', body: { data: [oneTrace(11, T0 + 5_000_000)], errors: null } },
      { kind: 'json', body: { data: [], errors: null } },
      { kind: 'json', body: { data: [oneTrace(13, T0 + 40_000_000)], errors: null } },
    );
    const batches: string[][] = [];
    const coverage = await makeSource().searchTraces(search, (batch) => batches.push(ids(batch)));
    expect(batches.flat().sort()).toEqual([hex(11), hex(13)]);
    const requests = server.requests('/api/traces').map((request) => Object.fromEntries(request.searchParams));
    expect(requests.map(({ start, end, limit }) => [Number(start) - T0, Number(end) - T0, Number(limit)])).toEqual([
      [0, 60_000_000, 4],
      [0, 14_999_999, 2],
      [15_000_000, 29_999_998, 1],
      [29_999_999, 44_999_999, 1],
    ]);
    // The first answer and the last follow-up (1 of 1) came back full: sampled.
    expect(coverage).toMatchObject({ subWindows: 4, subWindowsAtLimit: 2, upstreamRequests: 4, complete: false, partial: false });
  });

  it('labels a failed follow-up partial and names it, keeping what answered', async () => {
    server.respond(
      '/api/traces',
      { kind: 'json', body: { data: lastQuarter, errors: null } },
      { kind: 'json', body: { data: [oneTrace(11, T0 + 5_000_000)], errors: null } },
      storageFailure,
      { kind: 'json', body: { data: [], errors: null } },
    );
    const coverage = await makeSource().searchTraces(search, () => undefined);
    expect(coverage.partial).toBe(true);
    expect(coverage.complete).toBe(false);
    expect(coverage.failedSubWindows).toHaveLength(1);
    expect(coverage.failedSubWindows[0]?.reason).toMatch(/^Jaeger answered 500 for .*: storage is on fire$/);
    expect(coverage.upstreamRequests).toBe(4);
  });

  it('throws the failure itself when the first request fails', async () => {
    server.respond('/api/traces', storageFailure);
    await expect(makeSource().searchTraces(search, () => undefined)).rejects.toBeInstanceOf(JaegerHttpError);
  });

  it('passes a trace that straddles a follow-up boundary on once', async () => {
    const before = oneTrace(7, T0 + 14_990_000);
    const after = oneTrace(7, T0 + 15_010_000);
    const straddling = { ...before, spans: [...before.spans, { ...after.spans[0], spanID: '0000000000000008' }] };
    server.respond(
      '/api/traces',
      { kind: 'json', body: { data: lastQuarter, errors: null } },
      { kind: 'json', body: { data: [straddling], errors: null } },
      { kind: 'json', body: { data: [straddling], errors: null } },
      { kind: 'json', body: { data: [], errors: null } },
    );
    const batches: string[][] = [];
    const coverage = await makeSource().searchTraces(search, (batch) => batches.push(ids(batch)));
    expect(batches.flat().filter((id) => id === hex(7))).toEqual([hex(7)]);
    expect(coverage.upstreamRequests).toBe(4);
  });

  it('stops when the caller aborts', async () => {
    server.respond('/api/traces', { kind: 'stall-headers' });
    const controller = new AbortController();
    const pending = makeSource().searchTraces(search, () => undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(pending).rejects.toThrow('user left');
  });
});

describe('createJaegerSource searchTraces under JAEGER_QUERY_DEADLINE_MS', () => {
  it('at the deadline stops asking, aborts the slow follow-up and answers what arrived, labelled partial', async () => {
    // Follow-ups one at a time: the first answers, the second never does, the third is never sent.
    server.respond(
      '/api/traces',
      { kind: 'json', body: { data: lastQuarter, errors: null } },
      { kind: 'json', body: { data: [oneTrace(11, T0 + 5_000_000)], errors: null } },
      { kind: 'stall-headers' },
    );
    const batches: string[][] = [];
    const started = performance.now();
    const coverage = await makeSource({ queryDeadlineMs: 400 }).searchTraces(search, (batch) => batches.push(ids(batch)));
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(390);
    expect(tookMs).toBeLessThan(1_500); // well before the 2 s per-request timeout
    expect(batches.flat()).toEqual([hex(11)]);
    const reason = 'not answered within the 0.4 s deadline (JAEGER_QUERY_DEADLINE_MS)';
    expect(coverage).toMatchObject({
      subWindows: 4,
      partial: true,
      complete: false,
      upstreamRequests: 3,
      failedSubWindows: [
        { startUs: T0 + 15_000_000, endUs: T0 + 29_999_998, reason },
        { startUs: T0 + 29_999_999, endUs: T0 + 44_999_999, reason },
      ],
    });
    expect(server.requests('/api/traces')).toHaveLength(3);
  });

  it('answers a timeout naming Jaeger and the deadline when the first request is still unanswered (nothing arrived)', async () => {
    server.respond('/api/traces', { kind: 'stall-headers' });
    const started = performance.now();
    const error: unknown = await makeSource({ queryDeadlineMs: 200 })
      .searchTraces(search, () => undefined)
      .catch((thrown: unknown) => thrown);
    expect(performance.now() - started).toBeLessThan(1_500);
    // A JaegerTimeoutError: the route answers 504.
    expect(error).toBeInstanceOf(JaegerTimeoutError);
    expect(error).toBeInstanceOf(JaegerDeadlineError);
    expect((error as Error).message).toBe(
      `Jaeger at ${server.url} did not answer the search within the 0.2 s deadline (JAEGER_QUERY_DEADLINE_MS); try a shorter window or a lower limit.`,
    );
  });

  it('lets the caller abort before the deadline, with the caller’s reason', async () => {
    server.respond('/api/traces', { kind: 'json', body: { data: lastQuarter, errors: null } }, { kind: 'stall-headers' });
    const controller = new AbortController();
    const pending = makeSource({ queryDeadlineMs: 5_000 }).searchTraces(search, () => undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 100);
    await expect(pending).rejects.toThrow('user left');
  });

  it('changes nothing for a search that ends in time', async () => {
    server.respond('/api/traces', { kind: 'json', body: { data: [oneTrace(1, T0 + 1_000_000)], errors: null } });
    const coverage = await makeSource({ queryDeadlineMs: 5_000 }).searchTraces(search, () => undefined);
    expect(coverage).toMatchObject({ complete: true, partial: false, failedSubWindows: [] });
  });
});
