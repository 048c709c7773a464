/**
 * `spanlens report`: the query goes through the same metrics service as `/api/metrics`
 * (lib/server/metrics-service.ts), on a file or a live Jaeger, so the CLI and the dashboard agree
 * number for number by construction. What is the CLI's own: where the traces come from, the whole
 * file as the default window, and the report's shape.
 */
import type { Env } from '../env.ts';
import type { MetricsResponse } from '../http/api-types.ts';
import { createFileSource, loadTraceFile } from '../jaeger/file-source.ts';
import type { Coverage, TraceSource } from '../jaeger/source.ts';
import type { Trace } from '../jaeger/span.ts';
import type { GroupMetrics } from '../metrics/types.ts';
import { computeMetrics } from '../server/metrics-service.ts';
import type { ResolvedSource } from '../server/sources.ts';
import type { ReportArgs } from './args.ts';

export interface ReportGroup {
  readonly service: string;
  readonly operation: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly count: number;
  readonly errorCount: number;
  readonly errorRate: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The `--format json` document; every duration is an integer number of µs. */
export interface Report {
  readonly unit: 'us';
  readonly groups: readonly ReportGroup[];
  readonly coverage: Coverage & { readonly windowStartUs: number; readonly windowEndUs: number };
}

function fileWindow(traces: readonly Trace[]): { startUs: number; endUs: number } {
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (const trace of traces) {
    for (const span of trace.spans) {
      if (span.startUs < startUs) startUs = span.startUs;
      if (span.startUs + span.durationUs > endUs) endUs = span.startUs + span.durationUs;
    }
  }
  return startUs <= endUs ? { startUs, endUs } : { startUs: 0, endUs: 0 };
}

interface OpenedSource {
  readonly resolved: ResolvedSource;
  readonly traces: readonly Trace[] | null;
  close(): Promise<void>;
}

async function openSource(args: ReportArgs, env: Env): Promise<OpenedSource> {
  if (args.source.kind === 'file') {
    const { traces } = await loadTraceFile(args.source.path);
    const source: TraceSource = createFileSource(traces);
    return { resolved: { source, info: { mode: 'upload', label: args.source.path }, jaegerUiUrl: null }, traces, close: async () => {} };
  }
  // Loaded only for --jaeger: the live client pulls in undici and the server-only guard.
  const { createJaegerSource } = await import('../jaeger/jaeger-source.ts');
  const source = createJaegerSource({
    baseUrl: args.source.url,
    api: args.source.api,
    token: env.JAEGER_TOKEN,
    headers: env.JAEGER_HEADERS,
    timeoutMs: env.JAEGER_TIMEOUT_MS,
    maxConcurrency: env.JAEGER_MAX_CONCURRENCY,
    maxResponseBytes: env.JAEGER_MAX_RESPONSE_MB * 1_048_576,
    cacheTtlMs: 0,
  });
  return {
    resolved: { source, info: { mode: 'live', label: args.source.url }, jaegerUiUrl: args.source.url },
    traces: null,
    close: () => source.client.close(),
  };
}

function toReportGroup(group: GroupMetrics, service: string, operation: string | undefined): ReportGroup {
  const d = group.durations;
  return {
    service: group.service ?? service,
    operation: group.operation ?? operation ?? null,
    tags: group.tags,
    count: group.count,
    errorCount: group.errorCount,
    errorRate: group.errorRate,
    p50: d.p50.valueUs,
    p90: d.p90.valueUs,
    p95: d.p95.valueUs,
    p99: d.p99.valueUs,
    max: d.maxUs,
  };
}

export async function runReport(args: ReportArgs, env: Env, nowUs: number): Promise<{ report: Report; metrics: MetricsResponse }> {
  const { resolved, traces, close } = await openSource(args, env);
  try {
    const query = args.wholeFile ? { ...args.query, window: { kind: 'absolute' as const, ...fileWindow(traces ?? []) } } : args.query;
    // A file has no server to protect: every trace it holds may be read. A live Jaeger gets the server's ceiling
    // (JAEGER_MAX_TRACES) unless --limit asks for more: the person at the terminal is the operator.
    const maxTraces = args.source.kind === 'file' ? Number.MAX_SAFE_INTEGER : Math.max(env.JAEGER_MAX_TRACES, query.limit ?? 0);
    const metrics = await computeMetrics(query, resolved, { nowMs: Math.floor(nowUs / 1_000), maxTraces });
    return {
      metrics,
      report: {
        unit: 'us',
        groups: (metrics.groups ?? []).map((group) => toReportGroup(group, query.service, query.operation)),
        coverage: { ...metrics.coverage, windowStartUs: metrics.windowStartUs, windowEndUs: metrics.windowEndUs },
      },
    };
  } finally {
    await close();
  }
}
