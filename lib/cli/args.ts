/**
 * `spanlens report` arguments → a checked request. The query flags are mapped onto the URL's params
 * and parsed by the same lib/query pieces as `/api/metrics`, so a flag accepts exactly what the URL
 * does; only the source and the output format are the CLI's own. Every mistake becomes one UsageError
 * sentence (the CLI prints it and exits 2); nothing here touches the network or the file system.
 */
import { parseArgs } from 'node:util';
import { metricsQuerySchema, safeParseQuery, type MetricsQuery } from '../query/dashboard-query.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OutputFormat = 'json' | 'table' | 'csv';

export interface ReportArgs {
  readonly source:
    { readonly kind: 'file'; readonly path: string } | { readonly kind: 'jaeger'; readonly url: string; readonly api: 'auto' | 'legacy' | 'v3' };
  /** The data query, as `/api/metrics` would parse it from the same params. */
  readonly query: MetricsQuery & { readonly service: string };
  /** `--file` with no window flag: the window is the file's own time span. */
  readonly wholeFile: boolean;
  readonly format: OutputFormat;
}

/** Query flag → the URL param it stands for. Repeatable flags map to repeatable params. */
const QUERY_FLAGS = {
  service: 'service',
  operation: 'operation',
  tag: 'tags',
  lookback: 'lookback',
  start: 'start',
  end: 'end',
  'min-duration': 'minDuration',
  'max-duration': 'maxDuration',
  limit: 'limit',
  'group-by': 'groupBy',
} as const;
type QueryFlag = keyof typeof QUERY_FLAGS;
const REPEATABLE: ReadonlySet<QueryFlag> = new Set(['tag', 'group-by']);
const WINDOW_FLAGS: readonly QueryFlag[] = ['lookback', 'start', 'end'];

export const REPORT_USAGE = `Usage: spanlens report (--file F | --jaeger URL [--api auto|legacy|v3]) --service S
         [--operation O] [--tag key=value ...] [--lookback 1h | --start T --end T]
         [--min-duration D] [--max-duration D] [--client-errors] [--limit N]
         [--group-by operation|service|tag:KEY[,tag:KEY2]] [--format json|table|csv]

Per-group call counts, error rates and exact p50/p90/p95/p99/max latencies for the spans of one
service, read from a Jaeger export (.json or .json.gz, legacy /api/traces or /api/v3 format) or
from a live Jaeger query API. Every query option takes exactly what the dashboard URL's param of the
same name takes, and the numbers are the ones /api/metrics gives for that URL.

  --file F          a trace file; without a window option the whole file is read
  --jaeger URL      a Jaeger query service, e.g. http://localhost:16686 (JAEGER_TOKEN is sent as bearer)
  --api             which Jaeger API to use (default auto: legacy when present, else v3)
  --service S       count the spans of this service (required)
  --operation O     only this operation
  --tag key=value   only spans with this tag value (string compare); repeatable
  --lookback D      the window ending now: 15m, 1h, 1h30m, 2d … up to 30d (default 1h with --jaeger)
  --start, --end    an absolute window: ISO 8601 with a zone (2026-11-23T09:00:00Z) or a date (2026-11-23)
  --min-duration D  only spans at least this long: 250ms, 1.5s, 500us …
  --max-duration D  only spans at most this long
  --client-errors   client spans with HTTP status 400 or more count as errors too
  --limit N         fetch at most N traces, 1–100000 (default JAEGER_MAX_TRACES, 2000, with --jaeger; all with --file)
  --group-by K      service, operation and up to two tag:KEY, comma-separated (default service,operation)
  --format          json (durations in integer µs), table (default), or csv

Exit status: 0 on success, 1 when Jaeger or the file fails, 2 for bad arguments.`;

function one(values: string[] | undefined, flag: string): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new UsageError(`${flag} may be given only once.`);
  return values[0];
}

/** The query grammar names params (`minDuration must be …`); a CLI user typed flags (`--min-duration must be …`). */
function inFlagTerms(field: string, message: string): string {
  const flag = field === 'clientErrors' ? 'client-errors' : Object.entries(QUERY_FLAGS).find(([, param]) => param === field)?.[0];
  const text = flag !== undefined && message.startsWith(field) ? `--${flag}${message.slice(field.length)}` : message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function parseSource(v: ReturnType<typeof parseOptions>['values']): ReportArgs['source'] {
  const file = one(v.file, '--file');
  const jaeger = one(v.jaeger, '--jaeger');
  if ((file === undefined) === (jaeger === undefined)) throw new UsageError('Give exactly one of --file F or --jaeger URL.');
  const api = one(v.api, '--api') ?? 'auto';
  if (api !== 'auto' && api !== 'legacy' && api !== 'v3') throw new UsageError(`--api must be auto, legacy or v3 (got "${api}").`);
  if (file !== undefined) {
    if (v.api !== undefined) throw new UsageError('--api applies only with --jaeger.');
    return { kind: 'file', path: file };
  }
  let url: URL | null = null;
  try {
    url = new URL(jaeger as string);
  } catch {
    // reported below
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--jaeger must be an http(s) URL such as http://localhost:16686 (got "${jaeger}").`);
  }
  return { kind: 'jaeger', url: (jaeger as string).replace(/\/+$/, ''), api };
}

/** Parses the arguments after `report`. Throws UsageError. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // node:util's messages name the flag ("Unknown option '--x'"); keep them, as one sentence.
    throw new UsageError(`${(error as Error).message.replace(/\.?$/, '.')} Run "spanlens report --help" for the options.`);
  }
  const v = parsed.values;
  if (parsed.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[0]}"; every option needs its --name.`);
  }
  const source = parseSource(v);

  const params: Record<string, string[]> = {};
  for (const [flag, param] of Object.entries(QUERY_FLAGS) as [QueryFlag, string][]) {
    const values = v[flag];
    if (values === undefined) continue;
    if (!REPEATABLE.has(flag)) one(values, `--${flag}`);
    // `--group-by a,b` is the CLI's spelling of the URL's repeated groupBy=a&groupBy=b.
    params[param] = flag === 'group-by' ? values.flatMap((list) => list.split(',').map((key) => key.trim())) : values;
  }
  if (v['client-errors']) params.clientErrors = ['1'];
  if (params.service === undefined) throw new UsageError('--service S is required: metrics are counted for one service.');
  if (v.lookback !== undefined && (v.start !== undefined || v.end !== undefined)) {
    throw new UsageError('Use either --lookback or --start/--end, not both.');
  }

  // The report prints groups only: the other metric sets are not computed.
  const result = safeParseQuery(metricsQuerySchema, { ...params, include: ['groups'] });
  if (!result.ok) throw new UsageError(inFlagTerms(result.error.field, result.error.message));

  const format = one(v.format, '--format') ?? 'table';
  if (format !== 'json' && format !== 'table' && format !== 'csv') {
    throw new UsageError(`--format must be json, table or csv (got "${format}").`);
  }
  const wholeFile = source.kind === 'file' && WINDOW_FLAGS.every((flag) => v[flag] === undefined);
  return { source, query: result.query as ReportArgs['query'], wholeFile, format };
}

function parseOptions(argv: readonly string[]) {
  const repeatable = { type: 'string', multiple: true } as const;
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      file: repeatable,
      jaeger: repeatable,
      api: repeatable,
      format: repeatable,
      'client-errors': { type: 'boolean' },
      ...(Object.fromEntries(Object.keys(QUERY_FLAGS).map((flag) => [flag, repeatable])) as Record<QueryFlag, typeof repeatable>),
    },
  });
}
