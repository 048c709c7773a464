import { z } from 'zod';
import { METRIC_NAMES, type MetricName } from '../metrics/registry.ts';
import { DEFAULT_GROUP_BY } from '../metrics/groups.ts';
import type { GroupByKey } from '../metrics/types.ts';
import { parseDuration, parseInstant } from '../units.ts';

/**
 * The query grammar as composable zod pieces (lib/query/README.md has the table). Each piece reads a
 * few URL params, owns their error messages, and outputs its part of the query; `composeQuery` joins
 * the pieces a route or page needs, so `/api/services` never reads the window and a page's sort order
 * never reaches `/api/metrics`. The CLI maps its flags onto the same params.
 *
 * Input is a record of param → every value given (`toParamRecord`): a single-valued param given twice
 * uses its first value, an empty value counts as unset, unknown params are ignored.
 */

export const MAX_LIMIT = 100_000;
export const MAX_TAG_FILTERS = 20;
export const MAX_GROUP_BY_TAGS = 2;
export const MAX_LOOKBACK_US = 30 * 86_400_000_000;
export const DEFAULT_LOOKBACK_US = 3_600_000_000;
/** How far back `baseline=<duration>` may shift the window (a quarter: past that Jaeger rarely keeps traces). */
export const MAX_BASELINE_SHIFT_US = 90 * 86_400_000_000;
/** `regression` = most significant regression first against the baseline (lib/metrics/compare.ts regressionScore). */
export const SORT_KEYS = ['name', 'count', 'rate', 'errors', 'errorRate', 'p50', 'p90', 'p95', 'p99', 'max', 'mean', 'regression'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** The services home's columns (`order=`); impact = rate × p95, Jaeger Monitor's default order. */
export const SERVICE_SORT_KEYS = ['impact', 'service', 'count', 'rate', 'errorRate', 'p50', 'p95', 'p99', 'regression'] as const;
export type ServiceSortKey = (typeof SERVICE_SORT_KEYS)[number];
/** The services home's filter box (`filter=`): a part of a service name. */
export const MAX_FILTER = 200;
export const REFRESH_INTERVALS = ['off', '5s', '15s', '30s', '60s'] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];
export const REFRESH_MS: Readonly<Record<RefreshInterval, number | false>> = { off: false, '5s': 5_000, '15s': 15_000, '30s': 30_000, '60s': 60_000 };

/**
 * Service, operation and tag names come from spans, and Jaeger takes any length: generous, but
 * bounded so a URL cannot make the server compare megabytes per span. Pages truncate for display.
 */
export const MAX_TEXT = 10_000;
/** `group` is a group key: up to four URI-encoded values (lib/metrics/groups.ts `groupKey`). */
export const MAX_GROUP_KEY = 40_000;
const UPLOAD_SOURCE = /^upload:[A-Za-z0-9_-]{1,64}$/;
const atMost = (field: string, max: number) => `${field} must be at most ${max.toLocaleString('en-US')} characters`;

export type QueryWindow =
  { readonly kind: 'relative'; readonly lookbackUs: number } | { readonly kind: 'absolute'; readonly startUs: number; readonly endUs: number };

const first = (value: unknown): unknown => {
  const picked = Array.isArray(value) ? value[0] : value;
  return picked === '' ? undefined : picked;
};
const all = (value: unknown): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const text = (field: string, max = MAX_TEXT) =>
  z.preprocess(
    first,
    z
      .string({ error: `${field} must be text` })
      .max(max, atMost(field, max))
      .optional(),
  );

const oneOf = <const T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.preprocess(first, z.enum(values, { error: `${field} must be one of ${values.join(', ')}` }).optional());

const parsed = (field: string, parse: (text: string) => number | null, example: string) =>
  z.preprocess(
    first,
    z
      .string({ error: `${field} must be ${example}` })
      .transform((value, ctx) => {
        const result = parse(value);
        if (result === null) {
          ctx.addIssue({ code: 'custom', message: `${field} must be ${example}; got "${value.slice(0, 80)}"` });
          return z.NEVER;
        }
        return result;
      })
      .optional(),
  );

const DURATION_EXAMPLE = 'a duration such as 250ms, 1.5s, 15m, 1h30m or 2d';
const INSTANT_EXAMPLE = 'an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z, or a date such as 2026-11-23';
const duration = (field: string) => parsed(field, parseDuration, DURATION_EXAMPLE);
const instant = (field: string) => parsed(field, parseInstant, INSTANT_EXAMPLE);

const flag = (field: string) =>
  z.preprocess(
    first,
    z
      .enum(['1', 'true', '0', 'false'], { error: `${field} must be 1 or 0` })
      .transform((value) => value === '1' || value === 'true')
      .default(false),
  );

/** `source=upload:ID`: read an uploaded data set; unset = the configured source. */
export const sourcePiece = z
  .object({ source: z.preprocess(first, z.string().regex(UPLOAD_SOURCE, 'source must be upload:ID, the id an upload returned').optional()) })
  .transform((raw) => ({ ...(raw.source !== undefined && { source: raw.source }) }));

/** `service`: optional for pages (they ask for one), required where Jaeger needs it (`requiredServicePiece`). */
export const servicePiece = z
  .object({ service: text('service') })
  .transform((raw) => ({ ...(raw.service !== undefined && { service: raw.service }) }));

export const requiredServicePiece = (reason: string) =>
  z
    .object({ service: z.preprocess(first, z.string({ error: reason }).max(MAX_TEXT, atMost('service', MAX_TEXT))) })
    .transform((raw) => ({ service: raw.service }));

/** `lookback` (any duration up to 30d, default 1h) or `start` + `end` (both, end after start). */
export const windowPiece = z
  .object({ lookback: duration('lookback'), start: instant('start'), end: instant('end') })
  .superRefine((raw, ctx) => {
    if ((raw.start === undefined) !== (raw.end === undefined)) {
      const missing = raw.start === undefined ? 'start' : 'end';
      ctx.addIssue({ code: 'custom', path: [missing], message: `${missing} is needed too: give both start and end, or neither` });
    } else if (raw.start !== undefined && raw.end !== undefined && raw.start >= raw.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    }
    if (raw.lookback !== undefined && (raw.lookback <= 0 || raw.lookback > MAX_LOOKBACK_US)) {
      ctx.addIssue({ code: 'custom', path: ['lookback'], message: 'lookback must be more than 0 and at most 30d' });
    }
  })
  .transform((raw): { window: QueryWindow } => ({
    window:
      raw.start !== undefined && raw.end !== undefined
        ? { kind: 'absolute', startUs: raw.start, endUs: raw.end }
        : { kind: 'relative', lookbackUs: raw.lookback ?? DEFAULT_LOOKBACK_US },
  }));

/**
 * What a view is compared with (lib/metrics/compare.ts): the window just before, the same window a
 * duration earlier, or a chosen range. Resolved against the view's window by resolveBaselineWindow.
 */
export type BaselineSpec =
  | { readonly kind: 'previous' }
  | { readonly kind: 'shift'; readonly shiftUs: number }
  | { readonly kind: 'range'; readonly startUs: number; readonly endUs: number };

const BASELINE_EXAMPLE = 'previous or a duration such as 1d or 1w (the same window that much earlier)';

/** `baseline=previous|<duration>` or `baselineStart` + `baselineEnd` (both; not with `baseline`); unset = no comparison. */
export const baselinePiece = z
  .object({
    baseline: z.preprocess(first, z.string({ error: `baseline must be ${BASELINE_EXAMPLE}` }).optional()),
    baselineStart: instant('baselineStart'),
    baselineEnd: instant('baselineEnd'),
  })
  .transform((raw, ctx): { baseline?: BaselineSpec } => {
    const fail = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    const { baseline, baselineStart, baselineEnd } = raw;
    if (baselineStart !== undefined || baselineEnd !== undefined) {
      if (baseline !== undefined) return fail('baseline', 'Give baseline or baselineStart and baselineEnd, not both');
      if (baselineStart === undefined)
        return fail('baselineStart', 'baselineStart is needed too: give both baselineStart and baselineEnd, or neither');
      if (baselineEnd === undefined) return fail('baselineEnd', 'baselineEnd is needed too: give both baselineStart and baselineEnd, or neither');
      if (baselineStart >= baselineEnd) return fail('baselineEnd', 'baselineEnd must be after baselineStart');
      if (baselineEnd - baselineStart > MAX_LOOKBACK_US) return fail('baselineEnd', 'The baseline range must be at most 30d long');
      return { baseline: { kind: 'range', startUs: baselineStart, endUs: baselineEnd } };
    }
    if (baseline === undefined) return {};
    if (baseline === 'previous') return { baseline: { kind: 'previous' } };
    const shiftUs = parseDuration(baseline);
    if (shiftUs === null) return fail('baseline', `baseline must be ${BASELINE_EXAMPLE}; got "${baseline.slice(0, 80)}"`);
    if (shiftUs <= 0 || shiftUs > MAX_BASELINE_SHIFT_US) return fail('baseline', 'baseline must be more than 0 and at most 90d earlier');
    return { baseline: { kind: 'shift', shiftUs } };
  });

const tagFilters = z.preprocess(
  all,
  z
    .array(z.string({ error: 'tags must be key=value text' }))
    .max(MAX_TAG_FILTERS, `tags allows at most ${MAX_TAG_FILTERS} filters`)
    .transform((pairs, ctx) => {
      // A Map, then own properties: a key such as __proto__ or constructor is a tag like any other.
      const tags = new Map<string, string>();
      for (const pair of pairs) {
        const equals = pair.indexOf('=');
        const key = equals > 0 ? pair.slice(0, equals) : '';
        const value = equals > 0 ? pair.slice(equals + 1) : '';
        if (key === '' || value === '') {
          ctx.addIssue({ code: 'custom', message: `tags must be key=value pairs such as http.route=/api; got "${pair.slice(0, 80)}"` });
          return z.NEVER;
        }
        if (key.length > MAX_TEXT || value.length > MAX_TEXT) {
          ctx.addIssue({ code: 'custom', message: `${atMost('tags keys and values', MAX_TEXT)}; got "${pair.slice(0, 80)}…"` });
          return z.NEVER;
        }
        tags.set(key, value);
      }
      return Object.fromEntries(tags) as Readonly<Record<string, string>>;
    }),
);

/** Which spans count (design §2): operation, tag filters, duration bounds, and the client-4xx error opt-in. */
export const filtersPiece = z
  .object({
    operation: text('operation'),
    tags: tagFilters,
    minDuration: duration('minDuration'),
    maxDuration: duration('maxDuration'),
    clientErrors: flag('clientErrors'),
  })
  .superRefine((raw, ctx) => {
    if (raw.minDuration !== undefined && raw.maxDuration !== undefined && raw.minDuration > raw.maxDuration) {
      ctx.addIssue({ code: 'custom', path: ['maxDuration'], message: 'maxDuration must not be less than minDuration' });
    }
  })
  .transform((raw) => ({
    ...(raw.operation !== undefined && { operation: raw.operation }),
    tags: raw.tags,
    ...(raw.minDuration !== undefined && { minDurationUs: raw.minDuration }),
    ...(raw.maxDuration !== undefined && { maxDurationUs: raw.maxDuration }),
    clientErrors: raw.clientErrors,
  }));

/** `groupBy=service|operation|tag:KEY`, repeatable, in order, no repeats, at most two tag keys. */
export const groupByPiece = z.object({
  groupBy: z.preprocess(
    all,
    z.array(z.string({ error: 'groupBy must be text' })).transform((entries, ctx): readonly GroupByKey[] => {
      if (entries.length === 0) return DEFAULT_GROUP_BY;
      const keys: GroupByKey[] = [];
      for (const entry of entries) {
        if (entry.startsWith('tag:') && entry.length > 'tag:'.length + MAX_TEXT) {
          ctx.addIssue({ code: 'custom', message: `${atMost('groupBy tag keys', MAX_TEXT)}; got "${entry.slice(0, 80)}…"` });
          return z.NEVER;
        }
        if (entry !== 'service' && entry !== 'operation' && !(entry.startsWith('tag:') && entry.length > 'tag:'.length)) {
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
  ),
});

const wholeNumberUpTo = (max: number) => (text: string) => (/^\d{1,6}$/.test(text) && Number(text) >= 1 && Number(text) <= max ? Number(text) : null);

/** `limit`: traces fetched over the window; unset = the server's JAEGER_MAX_TRACES, and never above it. */
/**
 * `fold=1`: operation names laden with IDs fold into one group per route (lib/metrics/name-folding.ts:
 * `GET /items/123` → `GET /items/{id}`); with it, an `operation` that is a folded name matches every
 * span whose name folds to it. Unset = names as Jaeger has them.
 */
export const foldPiece = z.object({ fold: flag('fold') }).transform((raw) => ({ ...(raw.fold && { fold: true as const }) }));

export const limitPiece = z
  .object({ limit: parsed('limit', wholeNumberUpTo(MAX_LIMIT), `a whole number from 1 to ${MAX_LIMIT}`) })
  .transform((raw) => ({ ...(raw.limit !== undefined && { limit: raw.limit }) }));

/** `include=groups,heatmap,…` (repeatable or comma-separated): the metric sets to compute; unset = all. */
export const includePiece = z.object({
  include: z.preprocess(
    (value) => (all(value) as unknown[]).flatMap((entry) => (typeof entry === 'string' ? entry.split(',').filter((name) => name !== '') : [entry])),
    z.array(z.string({ error: 'include must be text' })).transform((names, ctx): readonly MetricName[] => {
      if (names.length === 0) return METRIC_NAMES;
      for (const name of names) {
        if (!(METRIC_NAMES as readonly string[]).includes(name)) {
          ctx.addIssue({ code: 'custom', message: `include takes ${METRIC_NAMES.join(', ')}; got "${name.slice(0, 80)}"` });
          return z.NEVER;
        }
      }
      // Registry order, no repeats: the same sets in any order are the same query (one cache entry).
      return METRIC_NAMES.filter((name) => names.includes(name));
    }),
  ),
});

/** What a page shows, not what it fetches: never sent to the data routes. */
export const pageStatePiece = z
  .object({
    view: z.preprocess(
      first,
      z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,31}$/, 'view must be a short lowercase name such as overview')
        .optional(),
    ),
    group: text('group', MAX_GROUP_KEY),
    sort: oneOf('sort', SORT_KEYS),
    dir: oneOf('dir', ['asc', 'desc']),
    refresh: oneOf('refresh', REFRESH_INTERVALS),
    order: oneOf('order', SERVICE_SORT_KEYS),
    filter: text('filter', MAX_FILTER),
  })
  .transform((raw) => ({
    ...(raw.view !== undefined && { view: raw.view }),
    ...(raw.order !== undefined && { order: raw.order }),
    ...(raw.filter !== undefined && { filter: raw.filter }),
    ...(raw.group !== undefined && { group: raw.group }),
    sort: raw.sort ?? ('count' as SortKey),
    dir: raw.dir ?? ('desc' as 'asc' | 'desc'),
    refresh: raw.refresh ?? ('off' as RefreshInterval),
  }));

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
type Composed<Pieces extends readonly z.ZodType[]> = z.ZodType<UnionToIntersection<z.output<Pieces[number]>>, Record<string, unknown>>;

/** The pieces read the same params side by side; their outputs (disjoint keys) merge into one query. */
export function composeQuery<const Pieces extends readonly [z.ZodType, ...z.ZodType[]]>(...pieces: Pieces): Composed<Pieces> {
  const [head, ...rest] = pieces;
  return rest.reduce<z.ZodType>((joined, piece) => z.intersection(joined, piece), head) as Composed<Pieces>;
}

const DEPENDENCY_LEVELS = ['service', 'operation'] as const;
type DependencyLevel = (typeof DEPENDENCY_LEVELS)[number];

/** `level=service|operation`: the service map's nodes (`/api/dependencies`, `/map`); default service. */
export const levelPiece = z
  .object({ level: oneOf('level', DEPENDENCY_LEVELS) })
  .transform((raw) => ({ level: raw.level ?? ('service' as DependencyLevel) }));
