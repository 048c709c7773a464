/**
 * `npm run seed`: sends the seeded workload (lib/testing/seed/workload.ts) to a real Jaeger as OTLP/HTTP
 * through the OpenTelemetry JS SDK exporter, waits until Jaeger's query API returns every seeded trace,
 * prints what it sent and writes a manifest that tests read.
 *
 *   node --experimental-strip-types scripts/seed.ts [--otlp http://localhost:4318]
 *     [--jaeger http://localhost:16686] [--manifest PATH] [--run-id ID] [--anchor-ms MS]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  SEED_RUN_ATTRIBUTE,
  SEED_SERVICES,
  buildSeedWorkload,
  seedSpans,
  summarizeSeedWorkload,
  type SeedServiceName,
  type SeedSpan,
  type SeedSpanKind,
  type SeedSummary,
  type SeedWorkload,
} from '../lib/testing/seed/workload.ts';

export interface SeedOptions {
  /** Base URL of the OTLP/HTTP receiver (`/v1/traces` is appended). */
  readonly otlpUrl: string;
  /** Base URL of Jaeger's query API, used to wait until the traces are searchable. */
  readonly jaegerUrl: string;
  readonly manifestPath: string | null;
  readonly runId: string;
  readonly anchorMs: number;
  /** How long to wait for Jaeger to return every seeded trace. */
  readonly verifyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface SeedManifest {
  readonly runId: string;
  readonly anchorMs: number;
  readonly otlpUrl: string;
  readonly jaegerUrl: string;
  /** Search window covering every seeded span, µs (legacy `start`/`end`). */
  readonly startUs: number;
  readonly endUs: number;
  readonly runAttribute: typeof SEED_RUN_ATTRIBUTE;
  readonly services: readonly SeedServiceName[];
  readonly traceCount: number;
  readonly spanCount: number;
  readonly errorSpanCount: number;
  readonly perService: SeedSummary['perService'];
  readonly operations: readonly { service: string; operation: string; count: number; errorCount: number }[];
  /** 32-hex trace IDs (the 64-bit ones come back from legacy JSON as 16 hex characters). */
  readonly traceIds: readonly string[];
  readonly orphanSpanIds: readonly string[];
  readonly noRootTraceIds: readonly string[];
  readonly sendMs: number;
  readonly searchableMs: number;
}

const KIND: Readonly<Record<SeedSpanKind, SpanKind>> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};
const STATUS = { unset: SpanStatusCode.UNSET, ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR } as const;
const SCOPE = { name: 'spanlens-seed', version: '1.0.0' } as const;

const hrTime = (us: number): HrTime => [Math.floor(us / 1_000_000), (us % 1_000_000) * 1_000];

/**
 * The workload fixes every ID, parent and timestamp, including parents that were never sent, which a
 * live Tracer cannot express; so each span is handed to the SDK exporter as a finished ReadableSpan,
 * exactly what the SDK's span processors pass it.
 */
function toReadableSpan(span: SeedSpan, resource: Resource): ReadableSpan {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
  return {
    name: span.name,
    kind: KIND[span.kind],
    spanContext: () => context,
    ...(span.parentSpanId === null
      ? {}
      : { parentSpanContext: { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true } }),
    startTime: hrTime(span.startUs),
    endTime: hrTime(span.startUs + span.durationUs),
    duration: hrTime(span.durationUs),
    status: span.status.message === undefined ? { code: STATUS[span.status.code] } : { code: STATUS[span.status.code], message: span.status.message },
    attributes: { ...span.attributes },
    links: [],
    events: span.events.map((event) => ({ name: event.name, time: hrTime(event.timeUs), attributes: { ...event.attributes } })),
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

async function exportBatch(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<void> {
  const result = await new Promise<{ code: ExportResultCode; error?: Error }>((done) => exporter.export(spans, done));
  if (result.code !== ExportResultCode.SUCCESS) {
    throw new Error(`OTLP export of ${spans.length} spans failed: ${result.error?.message ?? 'unknown error'}`, { cause: result.error });
  }
}

/** Sends the workload's spans over OTLP/HTTP, in batches the receiver takes comfortably. */
export async function sendWorkload(workload: SeedWorkload, otlpUrl: string): Promise<number> {
  const resources = Object.fromEntries(
    SEED_SERVICES.map((service) => [service, resourceFromAttributes({ ...workload.resources[service] })]),
  ) as Record<SeedServiceName, Resource>;
  const exporter = new OTLPTraceExporter({ url: `${otlpUrl.replace(/\/$/, '')}/v1/traces`, timeoutMillis: 30_000 });
  const spans = seedSpans(workload).map((span) => toReadableSpan(span, resources[span.service]));
  const batchSize = 500;
  try {
    for (let i = 0; i < spans.length; i += batchSize) await exportBatch(exporter, spans.slice(i, i + batchSize));
  } finally {
    await exporter.shutdown();
  }
  return spans.length;
}

interface LegacyTrace {
  traceID: string;
  spans: unknown[];
}

/** Legacy search for the run's traces of one service: trace ID (padded to 32) → span count. */
async function searchRun(jaegerUrl: string, service: string, runId: string, startUs: number, endUs: number): Promise<Map<string, number>> {
  const params = new URLSearchParams({
    service,
    tags: JSON.stringify({ [SEED_RUN_ATTRIBUTE]: runId }),
    start: String(startUs),
    end: String(endUs),
    limit: '2000',
  });
  const response = await fetch(`${jaegerUrl.replace(/\/$/, '')}/api/traces?${params}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`Jaeger search for ${service} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const body = (await response.json()) as { data: LegacyTrace[] | null };
  return new Map((body.data ?? []).map((trace) => [trace.traceID.padStart(32, '0'), trace.spans.length]));
}

/** Polls Jaeger until every seeded trace is returned with all of its spans. */
export async function waitUntilSearchable(jaegerUrl: string, workload: SeedWorkload, summary: SeedSummary, timeoutMs: number): Promise<void> {
  const expected = new Map(workload.traces.map((trace) => [trace.traceId, trace.spans.length]));
  const startUs = summary.firstStartUs - 1_000_000;
  const endUs = summary.lastEndUs + 1_000_000;
  const deadline = Date.now() + timeoutMs;
  let missing = expected.size;
  for (;;) {
    const seen = new Map<string, number>();
    for (const service of SEED_SERVICES) {
      for (const [traceId, spanCount] of await searchRun(jaegerUrl, service, workload.runId, startUs, endUs)) seen.set(traceId, spanCount);
    }
    missing = [...expected].filter(([traceId, spanCount]) => seen.get(traceId) !== spanCount).length;
    if (missing === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Jaeger at ${jaegerUrl} still lacks ${missing} of ${expected.size} seeded traces (or some of their spans) after ${timeoutMs} ms`,
      );
    }
    await sleep(500);
  }
}

export async function runSeed(options: SeedOptions): Promise<SeedManifest> {
  const log = options.log ?? ((line: string) => console.log(line));
  const workload = buildSeedWorkload({ anchorMs: options.anchorMs, runId: options.runId });
  const summary = summarizeSeedWorkload(workload);

  const sendStarted = performance.now();
  const sent = await sendWorkload(workload, options.otlpUrl);
  const sendMs = Math.round(performance.now() - sendStarted);
  await waitUntilSearchable(options.jaegerUrl, workload, summary, options.verifyTimeoutMs ?? 60_000);
  const searchableMs = Math.round(performance.now() - sendStarted);

  const manifest: SeedManifest = {
    runId: workload.runId,
    anchorMs: workload.anchorMs,
    otlpUrl: options.otlpUrl,
    jaegerUrl: options.jaegerUrl,
    startUs: summary.firstStartUs,
    endUs: summary.lastEndUs,
    runAttribute: SEED_RUN_ATTRIBUTE,
    services: [...SEED_SERVICES],
    traceCount: summary.traceCount,
    spanCount: summary.spanCount,
    errorSpanCount: summary.errorSpanCount,
    perService: summary.perService,
    operations: summary.operations.map(({ service, operation, count, errorCount }) => ({ service, operation, count, errorCount })),
    traceIds: workload.traces.map((trace) => trace.traceId),
    orphanSpanIds: summary.orphanSpanIds,
    noRootTraceIds: summary.noRootTraceIds,
    sendMs,
    searchableMs,
  };
  if (options.manifestPath !== null) {
    mkdirSync(dirname(options.manifestPath), { recursive: true });
    writeFileSync(options.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  log(`seed: run ${workload.runId}, anchor ${new Date(workload.anchorMs).toISOString()}`);
  log(
    `seed: sent ${sent} spans in ${summary.traceCount} traces to ${options.otlpUrl} in ${sendMs} ms; all searchable in Jaeger after ${searchableMs} ms`,
  );
  log(
    `seed: ${summary.errorSpanCount} error spans, ${summary.orphanSpanIds.length} orphan spans, ${summary.noRootTraceIds.length} traces without a root`,
  );
  for (const op of summary.operations) {
    log(
      `  ${op.service.padEnd(13)} ${op.operation.padEnd(28)} ${String(op.count).padStart(5)} spans ${String(op.errorCount).padStart(4)} errors  p95 ${(op.p95Us / 1000).toFixed(1)} ms`,
    );
  }
  if (options.manifestPath !== null) log(`seed: manifest ${options.manifestPath}`);
  return manifest;
}

function main(): Promise<SeedManifest> {
  const { values } = parseArgs({
    options: {
      otlp: { type: 'string', default: 'http://localhost:4318' },
      jaeger: { type: 'string', default: 'http://localhost:16686' },
      manifest: { type: 'string', default: '.spanlens/seed-manifest.json' },
      'run-id': { type: 'string' },
      'anchor-ms': { type: 'string' },
    },
  });
  const anchorMs = values['anchor-ms'] === undefined ? Date.now() : Number(values['anchor-ms']);
  if (!Number.isInteger(anchorMs)) throw new Error(`--anchor-ms must be an integer (ms since the epoch), got ${values['anchor-ms']}`);
  return runSeed({
    otlpUrl: values.otlp,
    jaegerUrl: values.jaeger,
    manifestPath: resolve(values.manifest),
    runId: values['run-id'] ?? `seed-${anchorMs.toString(36)}`,
    anchorMs,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
