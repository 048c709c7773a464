/**
 * `spanlens report`: the query goes through the same metrics service as `/api/metrics`
 * (lib/server/metrics-service.ts), on a file or a live Jaeger, so the CLI and the dashboard agree
 * number for number by construction. What is the CLI's own: where the traces come from, the whole
 * file as the default window, and the report's shape.
 */
import { jaegerQueryDeadlineMs, type Env } from '../env.ts';
import type { MetricsResponse } from '../http/api-types.ts';
import { redactUrl } from '../http/redact-url.ts';
import { openTraceFile, type TraceFileSource } from '../jaeger/file-source.ts';
import type { Coverage } from '../jaeger/source.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import type { GroupMetrics } from '../metrics/types.ts';
import type { MetricsQuery } from '../query/dashboard-query.ts';
import { resolveWindow } from '../query/window.ts';
import { computeMetrics } from '../server/metrics-service.ts';
import { aggregateAcrossServices, mapLimited, SERVICE_CONCURRENCY, sumCoverage } from '../server/per-service.ts';
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

/** Self time of the counted spans of one operation (jaeger-ui's Trace Statistics rule), largest total first. */
export interface ReportSelfTime {
  readonly service: string;
  readonly operation: string;
  readonly spans: number;
  readonly totalSelfUs: number;
}

/** jaeger-ui's critical path summed over the traces read, by the operation of the span holding each section. */
export interface ReportCriticalPath {
  readonly service: string;
  readonly operation: string;
  readonly traces: number;
  readonly spans: number;
  readonly totalCriticalUs: number;
}

/** The `--format json` document; every duration is an integer number of µs. */
export interface Report {
  readonly unit: 'us';
  readonly groups: readonly ReportGroup[];
  readonly selfTime: readonly ReportSelfTime[];
  readonly criticalPath: readonly ReportCriticalPath[];
  readonly coverage: Coverage & { readonly windowStartUs: number; readonly windowEndUs: number };
}

interface OpenedSource {
  readonly resolved: ResolvedSource;
  /** The file's source (`--file`), for its whole-file window; null with --jaeger. */
  readonly file: TraceFileSource | null;
  /** How many services are queried at once when --service is left out. */
  readonly serviceConcurrency: number;
  close(): Promise<void>;
}

async function openSource(args: ReportArgs, env: Env): Promise<OpenedSource> {
  if (args.source.kind === 'file') {
    // SPANLENS_FILE_WORKERS=1 keeps the parse on one thread (for measuring); default: the machine's parallelism.
    const workers = process.env.SPANLENS_FILE_WORKERS;
    const file = await openTraceFile(args.source.path, { workers: workers === undefined || workers === '' ? undefined : Number(workers) });
    // Every service at once: the file source answers queries issued together with one pass over the bytes.
    return {
      resolved: { source: file, info: { mode: 'upload', label: args.source.path }, jaegerUiUrl: null },
      file,
      serviceConcurrency: Number.POSITIVE_INFINITY,
      close: () => file.close(),
    };
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
    maxInflightBytes: env.JAEGER_MAX_INFLIGHT_MB * 1_048_576,
    queryDeadlineMs: jaegerQueryDeadlineMs(env),
    cacheTtlMs: 0,
  });
  return {
    resolved: { source, info: { mode: 'live', label: redactUrl(args.source.url) }, jaegerUiUrl: args.source.url },
    file: null,
    serviceConcurrency: SERVICE_CONCURRENCY,
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

/**
 * The report: one metrics-service call, or without --service one per service of the source
 * (listServices), each exactly the query with that service, groups concatenated in service order.
 */
export async function runReport(args: ReportArgs, env: Env, nowUs: number): Promise<{ report: Report; metrics: readonly MetricsResponse[] }> {
  const { resolved, file, serviceConcurrency, close } = await openSource(args, env);
  try {
    // A file has no server to protect: every trace it holds may be read. A live Jaeger gets the server's ceiling
    // (JAEGER_MAX_TRACES) unless --limit asks for more: the person at the terminal is the operator.
    const maxTraces = args.source.kind === 'file' ? Number.MAX_SAFE_INTEGER : Math.max(env.JAEGER_MAX_TRACES, args.query.limit ?? 0);
    const context = { nowMs: Math.floor(nowUs / 1_000), maxTraces };
    const services = args.query.service !== undefined ? [args.query.service] : await resolved.source.listServices();
    // Without --service each service's answer covers the traces holding its spans: summing their critical paths
    // would count a trace once per service in it, so the critical path is then computed once over all traces below.
    const acrossServices = args.query.service === undefined;
    const perServiceInclude = acrossServices ? args.query.include.filter((name) => name !== 'criticalPath') : args.query.include;
    const computeAll = (query: MetricsQuery) =>
      mapLimited(services, serviceConcurrency, (service) => computeMetrics({ ...query, include: perServiceInclude, service }, resolved, context));

    let metrics: MetricsResponse[];
    if (args.wholeFile && file !== null) {
      const window = await file.extent();
      metrics = await computeAll({ ...args.query, window: { kind: 'absolute', ...window } });
      // extent() read the span times from the bytes; the pass saw the normalised spans. Should a file
      // not laid out as Jaeger writes it make them differ, the pass's extent is the truth: count again over it.
      const seen = file.seenExtent() ?? { startUs: 0, endUs: 0 };
      if (services.length > 0 && (seen.startUs !== window.startUs || seen.endUs !== window.endUs)) {
        metrics = await computeAll({ ...args.query, window: { kind: 'absolute', ...seen } });
      }
    } else {
      metrics = await computeAll(args.query);
    }
    const first = metrics[0];
    const window = first ?? (await emptyWindow(args, file, context.nowMs));
    const criticalPath =
      first === undefined
        ? []
        : !acrossServices
          ? (first.criticalPath?.operations ?? [])
          : (
              await aggregateAcrossServices(
                {
                  service: undefined,
                  startUs: first.windowStartUs,
                  endUs: first.windowEndUs,
                  limit: Math.min(args.query.limit ?? maxTraces, maxTraces),
                  options: {
                    operation: args.query.operation,
                    tags: args.query.tags,
                    minDurationUs: args.query.minDurationUs,
                    maxDurationUs: args.query.maxDurationUs,
                  },
                  include: ['criticalPath'],
                },
                resolved,
                undefined,
              )
            ).result.criticalPath.operations;
    return {
      metrics,
      report: {
        unit: 'us',
        groups: metrics.flatMap((m, i) => (m.groups ?? []).map((group) => toReportGroup(group, services[i] as string, args.query.operation))),
        selfTime: metrics
          .flatMap((m) => m.selfTime ?? [])
          .sort((a, b) => b.totalSelfUs - a.totalSelfUs || compareCodeUnits(a.service, b.service) || compareCodeUnits(a.operation, b.operation))
          .map(({ service, operation, count, totalSelfUs }) => ({ service, operation, spans: count, totalSelfUs })),
        criticalPath: criticalPath.map(({ service, operation, traces, spans, totalCriticalUs }) => ({
          service,
          operation,
          traces,
          spans,
          totalCriticalUs,
        })),
        coverage: {
          ...(metrics.length === 1 && first
            ? first.coverage
            : sumCoverage(
                metrics.map((m) => m.coverage),
                args.source.kind === 'file' ? 'file' : 'legacy',
              )),
          windowStartUs: window.windowStartUs,
          windowEndUs: window.windowEndUs,
        },
      },
    };
  } finally {
    await close();
  }
}

/** The window of a report over no services at all (an empty file or Jaeger): what the query asked for. */
function emptyWindow(
  args: ReportArgs,
  file: TraceFileSource | null,
  nowMs: number,
): Promise<{ windowStartUs: number; windowEndUs: number }> | { windowStartUs: number; windowEndUs: number } {
  if (args.wholeFile && file !== null) {
    return file.extent().then(({ startUs, endUs }) => ({ windowStartUs: startUs, windowEndUs: endUs }));
  }
  const { startUs, endUs } = resolveWindow(args.query, nowMs);
  return { windowStartUs: startUs, windowEndUs: endUs };
}
