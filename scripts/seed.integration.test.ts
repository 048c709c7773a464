/**
 * The seeded workload, sent as real OTLP by scripts/seed.ts, comes back through Jaeger's real query
 * APIs (legacy JSON and api_v3) exactly as lib/testing/seed/workload.ts defines it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSeedManifest, requireHarnessEnv, type HarnessManifest } from '../lib/testing/jaeger-harness.ts';
import { SEED_RUN_ATTRIBUTE, SEED_SERVICES, buildSeedWorkload, summarizeSeedWorkload, type SeedSummary } from '../lib/testing/seed/workload.ts';

interface LegacyKeyValue {
  key: string;
  type: string;
  value: string | number | boolean;
}
interface LegacySpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: LegacyKeyValue[];
  processID: string;
}
interface LegacyTrace {
  traceID: string;
  spans: LegacySpan[];
  processes: Record<string, { serviceName: string; tags: LegacyKeyValue[] }>;
}
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
  status?: { code?: number; message?: string };
}
interface OtlpResourceSpans {
  resource: { attributes: OtlpAttribute[] };
  scopeSpans: { spans: OtlpSpan[] }[];
}

/** A span reduced to what the workload fixes, from either API. */
interface Observed {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  operation: string;
  durationUs: number;
  /** Design §2: status ERROR, or a server span answering HTTP ≥ 500. */
  error: boolean;
  statusMessage: string | undefined;
  tags: Map<string, string | number | boolean>;
}

let env: ReturnType<typeof requireHarnessEnv>;
let manifest: HarnessManifest;
let summary: SeedSummary;

async function getJson(url: string): Promise<{ status: number; contentType: string; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: left as text for the caller to assert on.
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}

function fromLegacy(trace: LegacyTrace): Observed[] {
  return trace.spans.map((span) => {
    const tags = new Map(span.tags.map((tag) => [tag.key, tag.value]));
    const status = tags.get('http.response.status_code');
    return {
      traceId: span.traceID.padStart(32, '0'),
      spanId: span.spanID,
      parentSpanId: span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID ?? null,
      service: trace.processes[span.processID]?.serviceName ?? '?',
      operation: span.operationName,
      durationUs: span.duration,
      error: tags.get('error') === true || (tags.get('span.kind') === 'server' && typeof status === 'number' && status >= 500),
      statusMessage: tags.get('otel.status_description') as string | undefined,
      tags,
    };
  });
}

function otlpValue(attribute: OtlpAttribute): string | number | boolean {
  const { value } = attribute;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue ?? '';
}

function fromV3(resourceSpans: readonly OtlpResourceSpans[]): Observed[] {
  return resourceSpans.flatMap((rs) => {
    const service = String(otlpValue(rs.resource.attributes.find((a) => a.key === 'service.name') ?? { key: '', value: {} }));
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => {
        const tags = new Map((span.attributes ?? []).map((a) => [a.key, otlpValue(a)]));
        const status = tags.get('http.response.status_code');
        return {
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId === undefined || span.parentSpanId === '' ? null : span.parentSpanId,
          service,
          operation: span.name,
          // BigInt: ns timestamps exceed 2^53.
          durationUs: Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n),
          error: span.status?.code === 2 || (span.kind === 2 && typeof status === 'number' && status >= 500),
          statusMessage: span.status?.message,
          tags,
        };
      }),
    );
  });
}

function legacySearchUrl(base: string, service: string, tags: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    service,
    tags: JSON.stringify({ [SEED_RUN_ATTRIBUTE]: manifest.runId, ...tags }),
    start: String(manifest.startUs - 1_000_000),
    end: String(manifest.endUs + 1_000_000),
    limit: '2000',
  });
  return `${base}/api/traces?${params}`;
}

function v3SearchUrl(base: string, service: string): string {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.attributes': JSON.stringify({ [SEED_RUN_ATTRIBUTE]: manifest.runId }),
    'query.start_time_min': new Date(Math.floor(manifest.startUs / 1000) - 1000).toISOString(),
    'query.start_time_max': new Date(Math.ceil(manifest.endUs / 1000) + 1000).toISOString(),
    // Jaeger v2.13 reads only query.num_traces as the search depth (docs jaeger-api.md §7a).
    'query.num_traces': '2000',
  });
  return `${base}/api/v3/traces?${params}`;
}

async function legacyRun(): Promise<Map<string, LegacyTrace>> {
  const traces = new Map<string, LegacyTrace>();
  for (const service of SEED_SERVICES) {
    const { status, body } = await getJson(legacySearchUrl(env.SPANLENS_TEST_JAEGER_URL, service));
    expect(status).toBe(200);
    for (const trace of (body as { data: LegacyTrace[] }).data) traces.set(trace.traceID.padStart(32, '0'), trace);
  }
  return traces;
}

async function v3Run(base: string): Promise<Observed[]> {
  const bySpan = new Map<string, Observed>();
  for (const service of SEED_SERVICES) {
    const { status, body } = await getJson(v3SearchUrl(base, service));
    expect(status).toBe(200);
    for (const span of fromV3((body as { result: { resourceSpans: OtlpResourceSpans[] } }).result.resourceSpans)) bySpan.set(span.spanId, span);
  }
  return [...bySpan.values()];
}

/** Per (service, operation): count, errors and ascending durations, as the summary states them. */
function perOperation(
  spans: readonly Observed[],
): { service: string; operation: string; count: number; errorCount: number; durationsUs: number[] }[] {
  const groups = new Map<string, { service: string; operation: string; count: number; errorCount: number; durationsUs: number[] }>();
  for (const span of spans) {
    const key = `${span.service}\u0000${span.operation}`;
    const group = groups.get(key) ?? { service: span.service, operation: span.operation, count: 0, errorCount: 0, durationsUs: [] };
    group.count += 1;
    if (span.error) group.errorCount += 1;
    group.durationsUs.push(span.durationUs);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, durationsUs: g.durationsUs.sort((a, b) => a - b) }))
    .sort((a, b) => (a.service === b.service ? (a.operation < b.operation ? -1 : 1) : a.service < b.service ? -1 : 1));
}

const expectedPerOperation = () =>
  summary.operations.map(({ service, operation, count, errorCount, durationsUs }) => ({
    service,
    operation,
    count,
    errorCount,
    durationsUs: [...durationsUs],
  }));

beforeAll(() => {
  env = requireHarnessEnv();
  manifest = readSeedManifest(env.SPANLENS_TEST_SEED_MANIFEST);
  summary = summarizeSeedWorkload(buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId }));
});

describe('seeded workload through the legacy API', () => {
  it('returns every seeded trace with all of its spans', async () => {
    const traces = await legacyRun();
    expect([...traces.keys()].sort()).toEqual([...manifest.traceIds].sort());
    const workload = buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId });
    for (const trace of workload.traces) expect(traces.get(trace.traceId)?.spans.length).toBe(trace.spans.length);
    expect(manifest.spanCount).toBe(summary.spanCount);
  });

  it('gives exact counts, error counts and durations per operation', async () => {
    const spans = [...(await legacyRun()).values()].flatMap(fromLegacy);
    expect(perOperation(spans)).toEqual(expectedPerOperation());
  });

  it('matches actor_name and model tags as the summary counts them', async () => {
    for (const [actorName, expected] of Object.entries(summary.byActorName)) {
      const { body } = await getJson(legacySearchUrl(env.SPANLENS_TEST_JAEGER_URL, 'actor-server', { actor_name: actorName }));
      // One actor::execute span per trace, so traces found = spans with that actor_name.
      expect((body as { data: LegacyTrace[] }).data).toHaveLength(expected.count);
    }
    const spans = [...(await legacyRun()).values()].flatMap(fromLegacy);
    for (const [model, expected] of Object.entries(summary.byModel)) {
      const calls = spans.filter((s) => s.tags.get('gen_ai.request.model') === model);
      expect(calls).toHaveLength(expected.calls);
      expect(calls.reduce((n, s) => n + Number(s.tags.get('gen_ai.usage.input_tokens') ?? 0), 0)).toBe(expected.inputTokens);
      expect(calls.reduce((n, s) => n + Number(s.tags.get('gen_ai.usage.output_tokens') ?? 0), 0)).toBe(expected.outputTokens);
      expect(calls.filter((s) => s.error)).toHaveLength(expected.errors);
    }
  });

  it('flags LLM errors with status ERROR, the description and error.type', async () => {
    const spans = [...(await legacyRun()).values()].flatMap(fromLegacy);
    const failedCalls = spans.filter((s) => s.tags.has('gen_ai.request.model') && s.error);
    expect(failedCalls.length).toBeGreaterThan(0);
    for (const span of failedCalls) {
      expect(span.tags.get('error')).toBe(true);
      expect(span.tags.get('otel.status_code')).toBe('ERROR');
      expect(['rate_limit', 'timeout', 'auth']).toContain(span.tags.get('error.type'));
      expect(span.statusMessage).toMatch(/429|deadline|401/);
    }
    // 503 shed answers carry no error tag: only the HTTP rule makes them errors.
    const shed = spans.filter((s) => s.tags.get('http.response.status_code') === 503);
    expect(shed).toHaveLength(summary.shapes.shed);
    expect(shed.every((s) => s.error && !s.tags.has('error'))).toBe(true);
  });

  it('shows orphan spans and traces without a root; 64-bit trace IDs come back as 16 hex characters', async () => {
    const traces = await legacyRun();
    const orphans: string[] = [];
    const noRoot: string[] = [];
    for (const [traceId, trace] of traces) {
      const spans = fromLegacy(trace);
      const ids = new Set(spans.map((s) => s.spanId));
      for (const span of spans) if (span.parentSpanId !== null && !ids.has(span.parentSpanId)) orphans.push(span.spanId);
      if (spans.every((s) => s.parentSpanId !== null)) noRoot.push(traceId);
    }
    expect(orphans.sort()).toEqual([...summary.orphanSpanIds].sort());
    expect(noRoot.sort()).toEqual([...summary.noRootTraceIds].sort());
    const shortIds = [...traces.values()].filter((t) => t.traceID.length === 16);
    expect(shortIds).toHaveLength(summary.shapes.batch);
  });
});

describe('seeded workload through api_v3', () => {
  it('gives the same exact counts, error counts and durations per operation', async () => {
    const spans = await v3Run(env.SPANLENS_TEST_JAEGER_URL);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(summary.traceCount);
    expect(perOperation(spans)).toEqual(expectedPerOperation());
  });

  it('keeps parent IDs of spans whose parent was never sent', async () => {
    const spans = await v3Run(env.SPANLENS_TEST_JAEGER_URL);
    const ids = new Set(spans.map((s) => s.spanId));
    const orphans = spans.filter((s) => s.parentSpanId !== null && !ids.has(s.parentSpanId)).map((s) => s.spanId);
    expect(orphans.sort()).toEqual([...summary.orphanSpanIds].sort());
  });

  it('answers the same through the v3-only proxy, which refuses legacy search like Jaeger main', async () => {
    const legacy = await getJson(`${env.SPANLENS_TEST_V3_ONLY_URL}/api/services`);
    expect(legacy.status).toBe(404);
    expect(String(legacy.body).trim()).toBe('404 page not found');
    const spans = await v3Run(env.SPANLENS_TEST_V3_ONLY_URL);
    expect(perOperation(spans)).toEqual(expectedPerOperation());
  });
});
