import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityResponse } from '@/lib/http/api-types';
import { closedPortUrl, freshServerWith } from '../route-test-env';

/**
 * GET /api/quality called as Next calls it, in demo mode over a file of three traces with known findings:
 *   T1: gateway POST /run (server) → gateway POST /generate (client) → llm POST /generate (server): context arrives
 *   T2: gateway POST /run (server) → gateway prompt (internal); llm POST /generate names a parent never exported
 *   T3: llm POST /generate alone, naming a parent never exported: no root, no gateway span in the trace
 */
const dir = mkdtempSync(join(tmpdir(), 'spanlens-quality-route-'));
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const kind = (value: string) => ({ key: 'span.kind', type: 'string', value });

function dataSet(endUs: number) {
  const span = (traceID: string, id: number, operationName: string, processID: string, spanKind: string, offsetMs: number, parent?: number) => ({
    traceID,
    spanID: hex(id, 16),
    operationName,
    references: parent === undefined ? [] : [{ refType: 'CHILD_OF', traceID, spanID: hex(parent, 16) }],
    startTime: endUs - 10 * 60_000_000 + offsetMs * 1_000,
    duration: 1_000_000 - offsetMs * 1_000,
    tags: [kind(spanKind)],
    logs: [],
    processID,
    warnings: null,
  });
  const processes = { p1: { serviceName: 'gateway', tags: [] }, p2: { serviceName: 'llm', tags: [] } };
  const [t1, t2, t3] = [1, 2, 3].map((n) => hex(n, 32)) as [string, string, string];
  const trace = (traceID: string, spans: ReturnType<typeof span>[]) => ({ traceID, spans, processes, warnings: null });
  return {
    data: [
      trace(t1, [
        span(t1, 1, 'POST /run', 'p1', 'server', 0),
        span(t1, 2, 'POST /generate', 'p1', 'client', 1, 1),
        span(t1, 3, 'POST /generate', 'p2', 'server', 2, 2),
      ]),
      trace(t2, [
        span(t2, 1, 'POST /run', 'p1', 'server', 0),
        span(t2, 2, 'prompt', 'p1', 'internal', 1, 1),
        span(t2, 3, 'POST /generate', 'p2', 'server', 2, 0xff),
      ]),
      trace(t3, [span(t3, 3, 'POST /generate', 'p2', 'server', 2, 0xfe)]),
    ],
  };
}

let route: typeof import('./route');
let uploads: typeof import('../uploads/route');

beforeAll(async () => {
  writeFileSync(join(dir, 'traces.json'), JSON.stringify(dataSet(Date.now() * 1_000)));
  freshServerWith({ JAEGER_URL: undefined, JAEGER_UI_URL: undefined, SPANLENS_DATA_FILE: join(dir, 'traces.json') });
  route = await import('./route');
  uploads = await import('../uploads/route');
});

afterAll(() => {
  delete process.env.SPANLENS_DATA_FILE;
  rmSync(dir, { recursive: true, force: true });
});

const quality = async (search: string) => {
  const response = await route.GET(new Request(`http://spanlens.test/api/quality${search}`));
  return { status: response.status, body: (await response.json()) as QualityResponse & { error?: { code: string; field?: string } } };
};

describe('GET /api/quality', () => {
  it('finds the orphans, the rootless trace and the broken gateway → llm call across every service, each trace once', async () => {
    const { status, body } = await quality('');
    expect(status).toBe(200);
    expect(body.source.mode).toBe('demo');
    expect(body).toMatchObject({ service: null, servicesSearched: 2, traces: 3 });
    expect(body.totals).toMatchObject({ spans: 7, tracesWithoutRoot: 1, orphanSpans: 2, lostCalls: 1, clockSkewSpans: 0, duplicateSpanIds: 0 });
    expect(body.byService.map((row) => [row.service, row.spans, row.orphanSpans, row.rootlessTraces])).toEqual([
      ['llm', 3, 2, 1],
      ['gateway', 4, 0, 0],
    ]);
    expect(body.propagation.breaks).toMatchObject([{ caller: 'gateway', callee: 'llm', linked: 1, orphanedCalls: 1, lost: 1, calls: 2 }]);
    // Demo data lives in no Jaeger: examples carry no link.
    expect(body.propagation.breaks[0]?.examples).toEqual([{ traceId: hex(2, 32), spanId: hex(3, 16), jaegerUrl: null }]);
    expect(body.propagation.unlocated).toMatchObject([
      { service: 'llm', operation: 'POST /generate', reason: 'caller_absent', spans: 1, expectedCallers: ['gateway'] },
    ]);
    expect(body.rootless.examples.map((e) => e.traceId)).toEqual([hex(3, 32)]);
    expect(body.spansPerTrace.buckets).toEqual([
      { from: 1, to: 1, traces: 1 },
      { from: 2, to: 2, traces: 0 },
      { from: 3, to: 3, traces: 2 },
    ]);
    expect(Object.keys(body.definitions)).toContain('propagationBreak');
  });

  it('with a service keeps the rows and breaks touching it, over the traces holding its spans', async () => {
    const { body } = await quality('?service=gateway');
    expect(body).toMatchObject({ service: 'gateway', servicesSearched: 1, traces: 2 });
    expect(body.byService.map((row) => row.service)).toEqual(['gateway']);
    expect(body.propagation.breaks).toMatchObject([{ caller: 'gateway', callee: 'llm', lost: 1, calls: 2 }]);
    expect(body.totals.tracesWithoutRoot).toBe(0);
  });

  it.each([
    ['?lookback=banana', 'lookback'],
    ['?start=2026-01-02T00:00:00Z', 'end'],
    ['?limit=0', 'limit'],
  ])('answers %s with 400 naming the field', async (search, field) => {
    const { status, body } = await quality(search);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_query', field });
  });

  it('reads an uploaded export with source=upload:ID', async () => {
    const form = new FormData();
    form.append('file', new File([JSON.stringify(dataSet(1_700_000_000_000_000))], 'broken.json'));
    const uploaded = await uploads.POST(new Request('http://spanlens.test/api/uploads', { method: 'POST', body: form }));
    expect(uploaded.status).toBe(201);
    const { upload } = (await uploaded.json()) as { upload: { source: string } };
    // The upload's spans start 10 minutes before 1,700,000,000 s (2023-11-14T22:13:20Z).
    const { status, body } = await quality(`?source=${upload.source}&start=2023-11-14T21:50:00Z&end=2023-11-14T22:20:00Z`);
    expect(status).toBe(200);
    expect(body.source).toEqual({ mode: 'upload', label: 'broken.json' });
    expect(body.totals).toMatchObject({ tracesWithoutRoot: 1, orphanSpans: 2, lostCalls: 1 });
    expect(body.propagation.breaks).toMatchObject([{ caller: 'gateway', callee: 'llm', lost: 1, calls: 2 }]);
  });

  it('answers an unknown upload with 404 upload_not_found', async () => {
    const { status, body } = await quality('?source=upload:nope');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'upload_not_found', field: 'source' });
  });
});

describe('GET /api/quality when Jaeger is down', () => {
  it('answers 502 jaeger_unavailable naming the URL', async () => {
    const url = await closedPortUrl();
    freshServerWith({ JAEGER_URL: url, JAEGER_API: 'legacy', JAEGER_TIMEOUT_MS: '300', JAEGER_CACHE_TTL_MS: '0' });
    try {
      const live = await import('./route');
      const response = await live.GET(new Request('http://spanlens.test/api/quality'));
      expect(response.status).toBe(502);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('jaeger_unavailable');
      expect(body.error.message).toContain(url);
    } finally {
      delete process.env.JAEGER_URL;
      delete process.env.JAEGER_API;
      delete process.env.JAEGER_TIMEOUT_MS;
      delete process.env.JAEGER_CACHE_TTL_MS;
      delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
    }
  });
});
