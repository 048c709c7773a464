/**
 * `spanlens report` arguments → a checked request. Every mistake becomes one UsageError sentence
 * (the CLI prints it and exits 2); nothing here touches the network or the file system.
 */
import { parseArgs } from 'node:util';
import type { GroupByKey } from '../metrics/types.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OutputFormat = 'json' | 'table' | 'csv';

export type ReportWindow =
  | { readonly kind: 'lookback'; readonly lookbackUs: number }
  | { readonly kind: 'absolute'; readonly startUs: number; readonly endUs: number }
  /** `--file` with no window: the whole file. */
  | { readonly kind: 'all' };

export interface ReportArgs {
  readonly source:
    { readonly kind: 'file'; readonly path: string } | { readonly kind: 'jaeger'; readonly url: string; readonly api: 'auto' | 'legacy' | 'v3' };
  readonly service: string;
  readonly operation: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly window: ReportWindow;
  /** Traces fetched at most; undefined = the default for the source. */
  readonly limit: number | undefined;
  readonly groupBy: readonly GroupByKey[];
  readonly format: OutputFormat;
}

export const REPORT_USAGE = `Usage: spanlens report (--file F | --jaeger URL [--api auto|legacy|v3]) --service S
         [--operation O] [--tag key=value ...] [--lookback 1h | --start ISO --end ISO]
         [--limit N] [--group-by operation|service|tag:KEY[,tag:KEY2]] [--format json|table|csv]

Per-group call counts, error rates and exact p50/p90/p95/p99/max latencies for the spans of one
service, read from a Jaeger export (.json or .json.gz, legacy /api/traces or /api/v3 format) or
from a live Jaeger query API.

  --file F          a trace file; without a window option the whole file is read
  --jaeger URL      a Jaeger query service, e.g. http://localhost:16686 (JAEGER_TOKEN is sent as bearer)
  --api             which Jaeger API to use (default auto: legacy when present, else v3)
  --service S       count the spans of this service (required)
  --operation O     only this operation
  --tag key=value   only spans with this tag value (string compare); repeatable
  --lookback D      the window ending now, e.g. 15m, 1h, 2d (default 1h with --jaeger)
  --start, --end    an absolute window, ISO 8601 (e.g. 2026-11-23T09:00:00Z)
  --limit N         fetch at most N traces (default 2000 with --jaeger, all with --file)
  --group-by K      service, operation and up to two tag:KEY, comma-separated (default service,operation)
  --format          json (durations in integer µs), table (default), or csv

Exit status: 0 on success, 1 when Jaeger or the file fails, 2 for bad arguments.`;

const DURATION_UNITS_US: Readonly<Record<string, number>> = {
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
  w: 604_800_000_000,
};

/** `90s`, `15m`, `1h30m`, `2d` → µs; null when the text is not such a duration. */
export function parseDurationUs(text: string): number | null {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(text)) return null;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(match[1]) * (DURATION_UNITS_US[match[2] as string] as number);
  }
  return Math.round(total);
}

function parseInstantUs(flag: string, text: string): number {
  // Require a date with a time zone or a plain date: "9:00" alone would silently mean local time.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(text)) {
    throw new UsageError(`${flag} must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z (got "${text}").`);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} is not a real date: "${text}".`);
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  // Date keeps milliseconds only; keep the µs digits a user typed.
  const extraUs = fraction.length > 3 ? Number(fraction.slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1_000 + extraUs;
}

function parseGroupBy(text: string): GroupByKey[] {
  const keys = text.split(',').map((part) => part.trim());
  const groupBy: GroupByKey[] = [];
  for (const key of keys) {
    if (key === 'service' || key === 'operation') groupBy.push(key);
    else if (key.startsWith('tag:') && key.length > 4) groupBy.push(key as GroupByKey);
    else throw new UsageError(`--group-by takes service, operation or tag:KEY, comma-separated (got "${key}").`);
  }
  if (groupBy.filter((key) => key.startsWith('tag:')).length > 2) {
    throw new UsageError('--group-by allows at most two tag:KEY entries.');
  }
  if (new Set(groupBy).size !== groupBy.length) throw new UsageError(`--group-by lists a key twice ("${text}").`);
  return groupBy;
}

function one(values: string[] | undefined, flag: string): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new UsageError(`${flag} may be given only once.`);
  return values[0];
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

  const file = one(v.file, '--file');
  const jaeger = one(v.jaeger, '--jaeger');
  if ((file === undefined) === (jaeger === undefined)) {
    throw new UsageError('Give exactly one of --file F or --jaeger URL.');
  }
  const api = one(v.api, '--api') ?? 'auto';
  if (api !== 'auto' && api !== 'legacy' && api !== 'v3') throw new UsageError(`--api must be auto, legacy or v3 (got "${api}").`);
  if (file !== undefined && v.api !== undefined) throw new UsageError('--api applies only with --jaeger.');
  let source: ReportArgs['source'];
  if (jaeger !== undefined) {
    let url: URL;
    try {
      url = new URL(jaeger);
    } catch {
      throw new UsageError(`--jaeger must be an http(s) URL such as http://localhost:16686 (got "${jaeger}").`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--jaeger must be an http(s) URL such as http://localhost:16686 (got "${jaeger}").`);
    }
    source = { kind: 'jaeger', url: jaeger.replace(/\/+$/, ''), api };
  } else {
    source = { kind: 'file', path: file as string };
  }

  const service = one(v.service, '--service');
  if (service === undefined || service === '') throw new UsageError('--service S is required: metrics are counted for one service.');

  const tags: Record<string, string> = {};
  for (const pair of v.tag ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag takes key=value (got "${pair}").`);
    tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  const lookbackText = one(v.lookback, '--lookback');
  const startText = one(v.start, '--start');
  const endText = one(v.end, '--end');
  let window: ReportWindow;
  if (lookbackText !== undefined) {
    if (startText !== undefined || endText !== undefined) throw new UsageError('Use either --lookback or --start/--end, not both.');
    const lookbackUs = parseDurationUs(lookbackText);
    if (lookbackUs === null || lookbackUs <= 0) {
      throw new UsageError(`--lookback takes a duration such as 15m, 1h or 2d (got "${lookbackText}").`);
    }
    window = { kind: 'lookback', lookbackUs };
  } else if (startText !== undefined || endText !== undefined) {
    if (startText === undefined || endText === undefined) throw new UsageError('--start and --end go together.');
    const startUs = parseInstantUs('--start', startText);
    const endUs = parseInstantUs('--end', endText);
    if (endUs <= startUs) throw new UsageError('--end must be later than --start.');
    window = { kind: 'absolute', startUs, endUs };
  } else {
    window = jaeger !== undefined ? { kind: 'lookback', lookbackUs: 3_600_000_000 } : { kind: 'all' };
  }

  const limitText = one(v.limit, '--limit');
  let limit: number | undefined;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100_000) {
      throw new UsageError(`--limit must be a whole number from 1 to 100000 (got "${limitText}").`);
    }
  }

  const groupByText = one(v['group-by'], '--group-by');
  const groupBy = groupByText === undefined ? (['service', 'operation'] as GroupByKey[]) : parseGroupBy(groupByText);

  const format = one(v.format, '--format') ?? 'table';
  if (format !== 'json' && format !== 'table' && format !== 'csv') {
    throw new UsageError(`--format must be json, table or csv (got "${format}").`);
  }

  return { source, service, operation: one(v.operation, '--operation') || undefined, tags, window, limit, groupBy, format };
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
      service: repeatable,
      operation: repeatable,
      tag: repeatable,
      lookback: repeatable,
      start: repeatable,
      end: repeatable,
      limit: repeatable,
      'group-by': repeatable,
      format: repeatable,
    },
  });
}
