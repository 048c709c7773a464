import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultyServer, type FaultyServer } from '../testing/faulty-server.ts';
import { JaegerHttpError } from './errors.ts';
import { createJaegerSource, type JaegerSource } from './jaeger-source.ts';

/**
 * Sub-window failures, which a healthy real Jaeger cannot be made to produce for one sub-window and
 * not the next. Sampling itself is proven on the real Jaeger (jaeger-source.integration.test.ts).
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

function makeSource(): JaegerSource {
  // One request at a time, so the faulty server's answers meet the sub-windows in plan order.
  const source = createJaegerSource({
    baseUrl: server.url,
    api: 'legacy',
    timeoutMs: 2_000,
    maxConcurrency: 1,
    maxResponseBytes: 1_048_576,
    cacheTtlMs: 0,
    retryDelayMs: 10,
    planner: { initialSubWindows: 2, minTracesPerSubWindow: 1 },
  });
  sources.push(source);
  return source;
}

const search = { service: 'frontend', tags: {}, startUs: T0, endUs: T0 + 60_000_000, limit: 10 };

describe('createJaegerSource searchTraces', () => {
  it('returns the sub-windows that answered and labels the result partial, naming the failure', async () => {
    server.respond('/api/traces', { kind: 'json', body: { data: [oneTrace(1, T0 + 1_000_000)] } }, storageFailure);
    const batches: string[][] = [];
    const coverage = await makeSource().searchTraces(search, (batch) => batches.push(batch.map((trace) => trace.traceId)));
    expect(batches).toEqual([['00000000000000000000000000000001']]);
    expect(coverage).toEqual({
      api: 'legacy',
      tracesFetched: 1,
      spansReceived: 1,
      subWindows: 2,
      subWindowsAtLimit: 0,
      failedSubWindows: [
        {
          startUs: T0 + 30_000_000,
          endUs: T0 + 60_000_000,
          reason: `Jaeger answered 500 for ${server.url}/api/traces?end=${T0 + 60_000_000}&limit=5&service=frontend&start=${T0 + 30_000_000}: storage is on fire`,
        },
      ],
      upstreamRequests: 2,
      complete: false,
      partial: true,
    });
  });

  it('throws the failure itself when no sub-window answered', async () => {
    server.respond('/api/traces', storageFailure);
    await expect(makeSource().searchTraces(search, () => undefined)).rejects.toBeInstanceOf(JaegerHttpError);
  });

  it('passes a trace that straddles a sub-window boundary on once', async () => {
    // Matching spans on both sides of the boundary at 30 s, so both sub-windows return it (§2.4).
    const before = oneTrace(7, T0 + 29_999_000);
    const after = oneTrace(7, T0 + 30_001_000);
    const straddling = { ...before, spans: [...before.spans, { ...after.spans[0], spanID: '0000000000000008' }] };
    server.respond('/api/traces', { kind: 'json', body: { data: [straddling] } }, { kind: 'json', body: { data: [straddling] } });
    const batches: string[][] = [];
    const coverage = await makeSource().searchTraces(search, (batch) => batches.push(batch.map((trace) => trace.traceId)));
    expect(batches).toEqual([['00000000000000000000000000000007']]);
    expect(coverage.tracesFetched).toBe(1);
    expect(coverage.spansReceived).toBe(2);
    expect(coverage.subWindows).toBe(2);
  });

  it('stops when the caller aborts', async () => {
    server.respond('/api/traces', { kind: 'stall-headers' });
    const controller = new AbortController();
    const pending = makeSource().searchTraces(search, () => undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(pending).rejects.toThrow('user left');
  });
});
