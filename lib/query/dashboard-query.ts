import { z } from 'zod';
import { formatHumanDuration, parseHumanDuration } from './duration.ts';
import { InvalidQueryError } from './invalid-query-error.ts';

/**
 * The dashboard query = the page's URL search params (design §5), validated by this one schema.
 * Grammar (documented in lib/query/README.md):
 *   service, operation        text; empty counts as unset
 *   tags=key=value            repeatable; split at the first `=`; a repeated key keeps the last value
 *   groupBy=service|operation|tag:KEY   repeatable, in order; default service,operation; ≤ 2 tag keys
 *   lookback=5m…7d            default 1h; ignored when start and end are both present
 *   start, end                ISO 8601 with a zone (`2026-11-23T09:00:00.000Z`); both or neither
 *   minDuration, maxDuration  `250ms`, `1.5s`, `500us`, `2m`
 *   limit                     traces to fetch, 1…100000; unset = the server's JAEGER_MAX_TRACES
 *   view, group, sort, dir    page options: view slug, selected group key, table sort (default count desc)
 *   refresh                   off|5s|15s|30s|60s (default off)
 *   clientErrors=1            client spans with HTTP ≥ 400 count as errors (design §2)
 *   source=upload:ID          read an uploaded data set instead of the configured source
 * A single-valued param given twice uses its first value; unknown params are ignored.
 */

export const LOOKBACKS = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '24h', '2d', '7d'] as const;
export type Lookback = (typeof LOOKBACKS)[number];

const MINUTE_MS = 60_000;
export const LOOKBACK_MS: Readonly<Record<Lookback, number>> = {
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '3h': 3 * 60 * MINUTE_MS,
  '6h': 6 * 60 * MINUTE_MS,
  '12h': 12 * 60 * MINUTE_MS,
  '24h': 24 * 60 * MINUTE_MS,
  '2d': 48 * 60 * MINUTE_MS,
  '7d': 7 * 24 * 60 * MINUTE_MS,
};

export const REFRESH_INTERVALS = ['off', '5s', '15s', '30s', '60s'] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];
export const REFRESH_MS: Readonly<Record<RefreshInterval, number | false>> = {
  off: false,
  '5s': 5_000,
  '15s': 15_000,
  '30s': 30_000,
  '60s': 60_000,
};

export const SORT_KEYS = ['name', 'count', 'rate', 'errors', 'errorRate', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const MAX_LIMIT = 100_000;
export const MAX_TAG_FILTERS = 20;
export const MAX_GROUP_BY_TAGS = 2;
const MAX_TEXT = 500;
const UPLOAD_SOURCE = /^upload:[A-Za-z0-9_-]{1,64}$/;
const GROUP_BY_TAG = /^tag:(.{1,200})$/s;
// Zone required: a zoneless time would mean something different in every browser that opens the link.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export type GroupByKey = 'service' | 'operation' | `tag:${string}`;
export const DEFAULT_GROUP_BY: readonly GroupByKey[] = ['service', 'operation'];

const first = (value: unknown): unknown => {
  const picked = Array.isArray(value) ? value[0] : value;
  return picked === '' ? undefined : picked;
};
const all = (value: unknown): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const text = (field: string) =>
  z.preprocess(
    first,
    z
      .string({ error: `${field} must be text` })
      .max(MAX_TEXT, `${field} must be at most ${MAX_TEXT} characters`)
      .optional(),
  );

const oneOf = <const T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.preprocess(first, z.enum(values, { error: `${field} must be one of ${values.join(', ')}` }).optional());

const duration = (field: string) =>
  z.preprocess(
    first,
    z
      .string()
      .transform((value, ctx) => {
        const us = parseHumanDuration(value);
        if (us === null) {
          ctx.addIssue({ code: 'custom', message: `${field} must be a duration such as 250ms, 1.5s or 500us` });
          return z.NEVER;
        }
        return us;
      })
      .optional(),
  );

const instant = (field: string) =>
  z.preprocess(
    first,
    z
      .string()
      .transform((value, ctx) => {
        const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
        if (!Number.isFinite(ms) || ms < 0) {
          ctx.addIssue({ code: 'custom', message: `${field} must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z` });
          return z.NEVER;
        }
        return ms;
      })
      .optional(),
  );

const tagFilters = z.preprocess(
  all,
  z
    .array(z.string({ error: 'tags must be key=value text' }))
    .max(MAX_TAG_FILTERS, `tags allows at most ${MAX_TAG_FILTERS} filters`)
    .transform((pairs, ctx) => {
      const tags: Record<string, string> = {};
      for (const pair of pairs) {
        const equals = pair.indexOf('=');
        const key = equals > 0 ? pair.slice(0, equals) : '';
        const value = equals > 0 ? pair.slice(equals + 1) : '';
        if (key === '' || value === '' || key.length > MAX_TEXT || value.length > MAX_TEXT) {
          ctx.addIssue({ code: 'custom', message: `tags must be key=value pairs such as http.route=/api; got "${pair.slice(0, 80)}"` });
          return z.NEVER;
        }
        tags[key] = value;
      }
      return tags;
    }),
);

const groupBy = z.preprocess(
  all,
  z.array(z.string({ error: 'groupBy must be text' })).transform((entries, ctx): GroupByKey[] => {
    if (entries.length === 0) return [...DEFAULT_GROUP_BY];
    const keys: GroupByKey[] = [];
    for (const entry of entries) {
      const tag = GROUP_BY_TAG.exec(entry);
      if (entry !== 'service' && entry !== 'operation' && !tag) {
        ctx.addIssue({ code: 'custom', message: `groupBy must be service, operation or tag:KEY; got "${entry.slice(0, 80)}"` });
        return z.NEVER;
      }
      if (keys.includes(entry as GroupByKey)) {
        ctx.addIssue({ code: 'custom', message: `groupBy lists "${entry.slice(0, 80)}" twice` });
        return z.NEVER;
      }
      keys.push(entry as GroupByKey);
    }
    if (keys.filter((key) => key.startsWith('tag:')).length > MAX_GROUP_BY_TAGS) {
      ctx.addIssue({ code: 'custom', message: `groupBy allows at most ${MAX_GROUP_BY_TAGS} tag keys` });
      return z.NEVER;
    }
    return keys;
  }),
);

const limit = z.preprocess(
  first,
  z
    .string()
    .regex(/^\d{1,6}$/, `limit must be a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .pipe(
      z.number().min(1, `limit must be a whole number from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `limit must be a whole number from 1 to ${MAX_LIMIT}`),
    )
    .optional(),
);

const flag = (field: string) =>
  z.preprocess(
    first,
    z
      .enum(['1', 'true', '0', 'false'], { error: `${field} must be 1 or 0` })
      .transform((value) => value === '1' || value === 'true')
      .default(false),
  );

export const dashboardQuerySchema = z
  .object({
    service: text('service'),
    operation: text('operation'),
    tags: tagFilters,
    groupBy,
    lookback: oneOf('lookback', LOOKBACKS),
    start: instant('start'),
    end: instant('end'),
    minDuration: duration('minDuration'),
    maxDuration: duration('maxDuration'),
    limit,
    view: z.preprocess(
      first,
      z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,31}$/, 'view must be a short lowercase name such as overview')
        .optional(),
    ),
    group: text('group'),
    sort: oneOf('sort', SORT_KEYS),
    dir: oneOf('dir', ['asc', 'desc']),
    refresh: oneOf('refresh', REFRESH_INTERVALS),
    clientErrors: flag('clientErrors'),
    source: z.preprocess(first, z.string().regex(UPLOAD_SOURCE, 'source must be upload:ID, the id an upload returned').optional()),
  })
  .superRefine((raw, ctx) => {
    if ((raw.start === undefined) !== (raw.end === undefined)) {
      const missing = raw.start === undefined ? 'start' : 'end';
      ctx.addIssue({ code: 'custom', path: [missing], message: `${missing} is needed too: give both start and end, or neither` });
    } else if (raw.start !== undefined && raw.end !== undefined && raw.start >= raw.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    }
    if (raw.minDuration !== undefined && raw.maxDuration !== undefined && raw.minDuration > raw.maxDuration) {
      ctx.addIssue({ code: 'custom', path: ['maxDuration'], message: 'maxDuration must not be less than minDuration' });
    }
  })
  .transform((raw) => {
    const window: QueryWindow =
      raw.start !== undefined && raw.end !== undefined
        ? { kind: 'absolute', startMs: raw.start, endMs: raw.end }
        : { kind: 'relative', lookback: raw.lookback ?? '1h' };
    return {
      ...(raw.service !== undefined && { service: raw.service }),
      ...(raw.operation !== undefined && { operation: raw.operation }),
      tags: raw.tags,
      groupBy: raw.groupBy,
      window,
      ...(raw.minDuration !== undefined && { minDurationUs: raw.minDuration }),
      ...(raw.maxDuration !== undefined && { maxDurationUs: raw.maxDuration }),
      ...(raw.limit !== undefined && { limit: raw.limit }),
      ...(raw.view !== undefined && { view: raw.view }),
      ...(raw.group !== undefined && { group: raw.group }),
      sort: raw.sort ?? 'count',
      dir: raw.dir ?? 'desc',
      refresh: raw.refresh ?? 'off',
      clientErrors: raw.clientErrors,
      ...(raw.source !== undefined && { source: raw.source }),
    };
  });

export type QueryWindow =
  { readonly kind: 'relative'; readonly lookback: Lookback } | { readonly kind: 'absolute'; readonly startMs: number; readonly endMs: number };

export interface DashboardQuery {
  readonly service?: string;
  readonly operation?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly groupBy: readonly GroupByKey[];
  readonly window: QueryWindow;
  readonly minDurationUs?: number;
  readonly maxDurationUs?: number;
  /** Unset: the server's JAEGER_MAX_TRACES. */
  readonly limit?: number;
  readonly view?: string;
  /** Key of the selected group (GroupMetrics.key). */
  readonly group?: string;
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly refresh: RefreshInterval;
  readonly clientErrors: boolean;
  /** `upload:ID`; unset = the configured source (live Jaeger or demo). */
  readonly source?: string;
}

// The schema's output must stay assignable to the hand-written readonly interface above.
type SchemaOutput = z.output<typeof dashboardQuerySchema>;
const _outputFitsInterface = (value: SchemaOutput): DashboardQuery => value;
void _outputFitsInterface;

export const DEFAULT_QUERY: DashboardQuery = dashboardQuerySchema.parse({});

export type QueryParamsInput = URLSearchParams | string | Readonly<Record<string, string | readonly string[] | undefined>>;

function toRecord(input: QueryParamsInput): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  if (typeof input === 'string' || input instanceof URLSearchParams) {
    const params = typeof input === 'string' ? new URLSearchParams(input) : input;
    for (const [key, value] of params) (record[key] ??= []).push(value);
    return record;
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    record[key] = typeof value === 'string' ? [value] : [...value];
  }
  return record;
}

export type ParseResult = { readonly ok: true; readonly query: DashboardQuery } | { readonly ok: false; readonly error: InvalidQueryError };

export function safeParseDashboardQuery(input: QueryParamsInput): ParseResult {
  const result = dashboardQuerySchema.safeParse(toRecord(input));
  if (result.success) return { ok: true, query: result.data };
  const issue = result.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : 'query';
  return { ok: false, error: new InvalidQueryError(field, issue?.message ?? 'The query is not valid.') };
}

/** @throws InvalidQueryError naming the first bad param. */
export function parseDashboardQuery(input: QueryParamsInput): DashboardQuery {
  const result = safeParseDashboardQuery(input);
  if (!result.ok) throw result.error;
  return result.query;
}

/** URL search params in a stable order with every default left out (no leading `?`). */
export function serializeDashboardQuery(query: DashboardQuery): string {
  const params = new URLSearchParams();
  if (query.service !== undefined) params.append('service', query.service);
  if (query.operation !== undefined) params.append('operation', query.operation);
  for (const key of Object.keys(query.tags).sort()) params.append('tags', `${key}=${query.tags[key]}`);
  const defaultGroupBy = query.groupBy.length === DEFAULT_GROUP_BY.length && query.groupBy.every((key, i) => key === DEFAULT_GROUP_BY[i]);
  if (!defaultGroupBy) for (const key of query.groupBy) params.append('groupBy', key);
  if (query.window.kind === 'relative') {
    if (query.window.lookback !== '1h') params.append('lookback', query.window.lookback);
  } else {
    params.append('start', new Date(query.window.startMs).toISOString());
    params.append('end', new Date(query.window.endMs).toISOString());
  }
  if (query.minDurationUs !== undefined) params.append('minDuration', formatHumanDuration(query.minDurationUs));
  if (query.maxDurationUs !== undefined) params.append('maxDuration', formatHumanDuration(query.maxDurationUs));
  if (query.limit !== undefined) params.append('limit', String(query.limit));
  if (query.view !== undefined) params.append('view', query.view);
  if (query.group !== undefined) params.append('group', query.group);
  if (query.sort !== 'count') params.append('sort', query.sort);
  if (query.dir !== 'desc') params.append('dir', query.dir);
  if (query.refresh !== 'off') params.append('refresh', query.refresh);
  if (query.clientErrors) params.append('clientErrors', '1');
  if (query.source !== undefined) params.append('source', query.source);
  return params.toString();
}

export type DashboardQueryPatch = { readonly [K in keyof DashboardQuery]?: DashboardQuery[K] | undefined };

/**
 * A query with some fields replaced; `undefined` removes an optional field (a required one keeps its
 * value). The result is re-validated, so a patch that breaks a rule throws InvalidQueryError.
 */
export function updateDashboardQuery(query: DashboardQuery, patch: DashboardQueryPatch): DashboardQuery {
  const next: Record<string, unknown> = { ...query };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) next[key] = value;
    else if (!(key in DEFAULT_QUERY)) delete next[key];
  }
  return parseDashboardQuery(serializeDashboardQuery(next as unknown as DashboardQuery));
}
