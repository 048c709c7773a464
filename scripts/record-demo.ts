/**
 * Records the demo data set from a real Jaeger that holds HotROD traffic and the seeded workload
 * (`npm run seed` + `npm run hotrod -- --pace 6`):
 *   - lib/demo/demo-traces.json.gz  every trace of every service in the window, as Jaeger's legacy
 *     search envelope `{"data":[trace…]}` (gzip);
 *   - lib/demo/demo-meta.json       the recording anchor (demo mode shifts every time by now − anchor);
 *   - lib/testing/recorded/{legacy,v3}-traces.json  the SAME ~20 chosen traces fetched through both
 *     APIs, for normaliser tests, with recorded/manifest.json saying why each was chosen.
 *
 *   node --experimental-strip-types scripts/record-demo.ts [--jaeger http://localhost:16686] [--lookback-ms 7200000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

interface LegacyTag {
  key: string;
  type: string;
  value: string | number | boolean;
}
interface LegacySpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: LegacyTag[];
  processID: string;
}
interface LegacyTrace {
  traceID: string;
  spans: LegacySpan[];
  processes: Record<string, { serviceName: string; tags: LegacyTag[] }>;
  warnings: string[] | null;
}

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as T;
}

const serviceOf = (trace: LegacyTrace, span: LegacySpan): string => trace.processes[span.processID]?.serviceName ?? '?';
const tag = (span: LegacySpan, key: string): LegacyTag['value'] | undefined => span.tags.find((t) => t.key === key)?.value;
const rootOf = (trace: LegacyTrace): LegacySpan | undefined => trace.spans.find((s) => s.references.length === 0);

/** Each rule picks the first trace (by trace ID) that shows one case a normaliser must get right. */
const CASES: readonly { why: string; count: number; test: (trace: LegacyTrace) => boolean }[] = [
  { why: 'seed: no root (the gateway span was never exported)', count: 1, test: (t) => t.spans.every((s) => s.references.length > 0) },
  {
    why: 'seed: orphan LLM-gateway span inside a rooted trace',
    count: 1,
    test: (t) =>
      rootOf(t) !== undefined && t.spans.some((s) => s.references.length > 0 && !t.spans.some((p) => p.spanID === s.references[0]?.spanID)),
  },
  { why: 'seed: 64-bit trace ID (16 hex characters in legacy JSON, 32 in v3)', count: 1, test: (t) => t.traceID.length === 16 },
  {
    why: 'seed: 503 with status UNSET (error only by the HTTP rule)',
    count: 1,
    test: (t) => t.spans.some((s) => tag(s, 'http.response.status_code') === 503),
  },
  { why: 'seed: 404 on a server span (not an error)', count: 1, test: (t) => t.spans.some((s) => tag(s, 'http.response.status_code') === 404) },
  { why: 'seed: LLM timeout propagated up to the root', count: 1, test: (t) => t.spans.some((s) => tag(s, 'error.type') === 'timeout') },
  { why: 'seed: LLM auth error', count: 1, test: (t) => t.spans.some((s) => tag(s, 'error.type') === 'auth') },
  {
    why: 'seed: rate limit retried successfully (error span under a non-error parent)',
    count: 1,
    test: (t) =>
      t.spans.some((s) => tag(s, 'error.type') === 'rate_limit') && rootOf(t) !== undefined && tag(rootOf(t) as LegacySpan, 'error') === undefined,
  },
  {
    why: 'seed: parse_json failure kept local',
    count: 1,
    test: (t) => t.spans.some((s) => s.operationName === 'parse_json' && tag(s, 'error') === true),
  },
  {
    why: 'seed: response model differs from request model',
    count: 1,
    test: (t) => t.spans.some((s) => tag(s, 'gen_ai.request.model') === 'gemini-2.5-pro' && tag(s, 'gen_ai.response.model') === 'gemini-2.5-flash'),
  },
  {
    why: 'seed: clean run with three acts, no errors',
    count: 2,
    test: (t) => t.spans.some((s) => tag(s, 'act_count') === 3) && t.spans.every((s) => tag(s, 'error') === undefined),
  },
  {
    why: 'hotrod: dispatch with fan-out and redis timeouts',
    count: 4,
    test: (t) => rootOf(t)?.operationName === '/dispatch' && tag(rootOf(t) as LegacySpan, 'http.response.status_code') === 200,
  },
  {
    why: 'hotrod: dispatch for an invalid customer (500)',
    count: 2,
    test: (t) => rootOf(t)?.operationName === '/dispatch' && tag(rootOf(t) as LegacySpan, 'http.response.status_code') === 500,
  },
  { why: 'hotrod: single-span /config request', count: 1, test: (t) => rootOf(t)?.operationName === '/config' && t.spans.length === 1 },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      jaeger: { type: 'string', default: 'http://localhost:16686' },
      'lookback-ms': { type: 'string', default: String(2 * 3_600_000) },
    },
  });
  const jaeger = values.jaeger.replace(/\/$/, '');
  const anchorMs = Date.now();
  const startUs = (anchorMs - Number(values['lookback-ms'])) * 1_000;
  const endUs = anchorMs * 1_000;

  const services = ((await getJson<{ data: string[] | null }>(`${jaeger}/api/services`)).data ?? []).filter((s) => s !== 'jaeger').sort();
  const traces = new Map<string, LegacyTrace>();
  for (const service of services) {
    const params = new URLSearchParams({ service, start: String(startUs), end: String(endUs), limit: '5000' });
    const { data } = await getJson<{ data: LegacyTrace[] }>(`${jaeger}/api/traces?${params}`);
    for (const trace of data) traces.set(trace.traceID, trace);
  }
  const firstStart = (trace: LegacyTrace): number => Math.min(...trace.spans.map((s) => s.startTime));
  const ordered = [...traces.values()].sort((a, b) => firstStart(a) - firstStart(b) || (a.traceID < b.traceID ? -1 : 1));
  const spans = ordered.flatMap((t) => t.spans.map((s) => ({ trace: t, span: s })));
  if (ordered.length === 0) throw new Error(`Jaeger at ${jaeger} holds no traces in the window: run \`npm run seed\` and \`npm run hotrod\` first`);

  const demoDir = join(repoRoot, 'lib', 'demo');
  mkdirSync(demoDir, { recursive: true });
  const gz = gzipSync(JSON.stringify({ data: ordered, total: 0, limit: 0, offset: 0, errors: null }), { level: 9 });
  writeFileSync(join(demoDir, 'demo-traces.json.gz'), gz);
  const perService: Record<string, { spans: number; traces: number }> = {};
  for (const service of services) perService[service] = { spans: 0, traces: 0 };
  for (const { trace, span } of spans) (perService[serviceOf(trace, span)] ??= { spans: 0, traces: 0 }).spans += 1;
  for (const trace of ordered)
    for (const s of new Set(trace.spans.map((span) => serviceOf(trace, span)))) (perService[s] ??= { spans: 0, traces: 0 }).traces += 1;
  const meta = {
    format: 'Jaeger legacy search JSON {"data":[trace…]}, gzip',
    file: 'demo-traces.json.gz',
    recordedAtMs: anchorMs,
    recordedAt: new Date(anchorMs).toISOString(),
    shift: 'Demo mode adds (now − recordedAtMs) × 1000 to every span startTime and log timestamp (µs), so the data always ends just before now.',
    firstStartUs: Math.min(...spans.map(({ span }) => span.startTime)),
    lastEndUs: Math.max(...spans.map(({ span }) => span.startTime + span.duration)),
    traceCount: ordered.length,
    spanCount: spans.length,
    errorSpanCount: spans.filter(({ span }) => tag(span, 'error') === true).length,
    services: perService,
    source: 'Jaeger v2.13.0 (Go module v1.76.0), in-memory store; HotROD traffic (scripts/hotrod.sh) + the seeded workload (scripts/seed.ts)',
    recordedBy: 'scripts/record-demo.ts',
  };
  writeFileSync(join(demoDir, 'demo-meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(
    `record-demo: ${meta.traceCount} traces, ${meta.spanCount} spans from ${services.length} services → lib/demo/demo-traces.json.gz (${(gz.length / 1024).toFixed(0)} KiB)`,
  );

  // The same traces through both APIs, for normaliser tests.
  const chosen: { traceId: string; why: string }[] = [];
  const byId = [...ordered].sort((a, b) => (a.traceID < b.traceID ? -1 : 1));
  for (const rule of CASES) {
    const hits = byId.filter((t) => rule.test(t) && !chosen.some((c) => c.traceId === t.traceID)).slice(0, rule.count);
    if (hits.length < rule.count) throw new Error(`no trace shows "${rule.why}": is the Jaeger seeded and HotROD driven?`);
    for (const hit of hits) chosen.push({ traceId: hit.traceID, why: rule.why });
  }
  const legacy: unknown[] = [];
  const resourceSpans: unknown[] = [];
  for (const { traceId } of chosen) {
    legacy.push(...(await getJson<{ data: unknown[] }>(`${jaeger}/api/traces/${traceId}`)).data);
    // api_v3 always speaks 32-hex trace IDs (jaeger-api.md §3).
    resourceSpans.push(
      ...(await getJson<{ result: { resourceSpans: unknown[] } }>(`${jaeger}/api/v3/traces/${traceId.padStart(32, '0')}`)).result.resourceSpans,
    );
  }
  const recordedDir = join(repoRoot, 'lib', 'testing', 'recorded');
  mkdirSync(recordedDir, { recursive: true });
  writeFileSync(
    join(recordedDir, 'legacy-traces.json'),
    `${JSON.stringify({ data: legacy, total: 0, limit: 0, offset: 0, errors: null }, null, 1)}\n`,
  );
  writeFileSync(join(recordedDir, 'v3-traces.json'), `${JSON.stringify({ result: { resourceSpans } }, null, 1)}\n`);
  writeFileSync(
    join(recordedDir, 'manifest.json'),
    `${JSON.stringify(
      {
        recordedAt: meta.recordedAt,
        source: meta.source,
        legacy: 'legacy-traces.json: GET /api/traces/{id} for each trace, data[] concatenated (the search envelope shape)',
        v3: 'v3-traces.json: GET /api/v3/traces/{id} (32-hex ID) for each trace, resourceSpans concatenated (the v3 search shape)',
        traces: chosen,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`record-demo: ${chosen.length} traces through both APIs → ${resolve(recordedDir)}`);
}

main().catch((error: unknown) => {
  console.error(`record-demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
