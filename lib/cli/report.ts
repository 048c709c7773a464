/**
 * `spanlens report`: one query through a TraceSource (file or live Jaeger), aggregated by
 * lib/metrics exactly as the dashboard does it, so the CLI and /api/metrics agree number for number.
 */
import type { Env } from '../env.ts';
import { createFileSource, loadTraceFile } from '../jaeger/file-source.ts';
import type { Coverage, TraceSearch, TraceSource } from '../jaeger/source.ts';
import type { Trace } from '../jaeger/span.ts';
import { createAggregator } from '../metrics/aggregator.ts';
import type { GroupMetrics, MetricsResult } from '../metrics/types.ts';
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

/** Jaeger's own default page size is 100; a report wants a fuller sample, split over sub-windows. */
const DEFAULT_JAEGER_LIMIT = 2_000;

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

async function openSource(args: ReportArgs, env: Env): Promise<{ source: TraceSource; traces: readonly Trace[] | null; close: () => Promise<void> }> {
  if (args.source.kind === 'file') {
    const { traces } = await loadTraceFile(args.source.path);
    return { source: createFileSource(traces), traces, close: async () => {} };
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
  return { source, traces: null, close: () => source.client.close() };
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

export async function runReport(args: ReportArgs, env: Env, nowUs: number): Promise<{ report: Report; metrics: MetricsResult }> {
  const { source, traces, close } = await openSource(args, env);
  try {
    let window: { startUs: number; endUs: number };
    if (args.window.kind === 'absolute') window = { startUs: args.window.startUs, endUs: args.window.endUs };
    else if (args.window.kind === 'lookback') window = { startUs: nowUs - args.window.lookbackUs, endUs: nowUs };
    else window = fileWindow(traces ?? []);

    const search: TraceSearch = {
      service: args.service,
      operation: args.operation,
      tags: args.tags,
      startUs: window.startUs,
      endUs: window.endUs,
      limit: args.limit ?? (args.source.kind === 'file' ? Number.MAX_SAFE_INTEGER : DEFAULT_JAEGER_LIMIT),
    };
    const aggregator = createAggregator({
      service: args.service,
      operation: args.operation,
      tags: args.tags,
      groupBy: args.groupBy,
      windowStartUs: window.startUs,
      windowEndUs: window.endUs,
    });
    const coverage = await source.searchTraces(search, (batch) => {
      for (const trace of batch) aggregator.addTrace(trace);
    });
    const metrics = aggregator.finish();
    return {
      metrics,
      report: {
        unit: 'us',
        groups: metrics.groups.map((group) => toReportGroup(group, args.service, args.operation)),
        coverage: { ...coverage, windowStartUs: window.startUs, windowEndUs: window.endUs },
      },
    };
  } finally {
    await close();
  }
}
