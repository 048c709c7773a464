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
  readonly query: MetricsQuery;
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
  if (v.lookback !== undefined && (v.start !== undefined || v.end !== undefined)) {
    throw new UsageError('Use either --lookback or --start/--end, not both.');
  }

  // The report prints groups, self time and the critical path: the other metric sets are not computed.
  const result = safeParseQuery(metricsQuerySchema, { ...params, include: ['groups', 'selfTime', 'criticalPath'] });
  if (!result.ok) throw new UsageError(inFlagTerms(result.error.field, result.error.message));

  const format = one(v.format, '--format') ?? 'table';
  if (format !== 'json' && format !== 'table' && format !== 'csv') {
    throw new UsageError(`--format must be json, table or csv (got "${format}").`);
  }
  const wholeFile = source.kind === 'file' && WINDOW_FLAGS.every((flag) => v[flag] === undefined);
  return { source, query: result.query, wholeFile, format };
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
