import type { z } from 'zod';
import { formatCompactDuration, formatDuration, formatInstant } from '../units.ts';
import { cohortPiece, pageCohortPiece } from './cohort.ts';
import { InvalidQueryError } from './invalid-query-error.ts';
import { DEFAULT_GROUP_BY } from '../metrics/groups.ts';
import { METRIC_NAMES } from '../metrics/registry.ts';
import {
  baselinePiece,
  composeQuery,
  DEFAULT_LOOKBACK_US,
  filtersPiece,
  foldPiece,
  groupByPiece,
  includePiece,
  levelPiece,
  limitPiece,
  pageStatePiece,
  requiredServicePiece,
  servicePiece,
  sourcePiece,
  windowPiece,
} from './pieces.ts';

/** `/api/services`, `/api/health`: only where to read from. */
export const sourceQuerySchema = sourcePiece;
/** `/api/operations`: one service's operation names. */
export const operationsQuerySchema = composeQuery(sourcePiece, requiredServicePiece('Choose a service to list its operations.'));
/** `/api/tag-keys`: keys on one service's spans in a window. */
export const tagKeysQuerySchema = composeQuery(sourcePiece, requiredServicePiece('Choose a service to list its tag keys.'), windowPiece);

const dataPieces = [sourcePiece, servicePiece, windowPiece, filtersPiece, groupByPiece, limitPiece, foldPiece, baselinePiece] as const;
/** `/api/metrics` and `spanlens report`: the data query (with an optional baseline to compare with), and which metric sets to compute. */
export const metricsQuerySchema = composeQuery(...dataPieces, includePiece);
/** `/api/bubbleup`: the data query (no grouping: every tag key is compared) and the cohort within it. */
export const bubbleupQuerySchema = composeQuery(
  sourcePiece,
  requiredServicePiece('Choose a service: BubbleUp compares the tags of one service’s spans.'),
  windowPiece,
  filtersPiece,
  limitPiece,
  foldPiece,
  cohortPiece,
);
export type BubbleupQuery = Readonly<z.output<typeof bubbleupQuerySchema>>;
/** A page's URL: the data query plus what the page shows (design §5). */
export const dashboardQuerySchema = composeQuery(...dataPieces, pageStatePiece, pageCohortPiece);

/** `/api/overview` (the services home): every service over one window, `limit` traces per service, optionally against a baseline. */
export const overviewQuerySchema = composeQuery(sourcePiece, windowPiece, limitPiece, baselinePiece);

export type OverviewQuery = Readonly<z.output<typeof overviewQuerySchema>>;
/**
 * `/api/dependencies` and the `/map` page: who calls whom over a window, around one service or across
 * every service (no `service`), at service or operation level.
 */
export const dependenciesQuerySchema = composeQuery(sourcePiece, servicePiece, windowPiece, limitPiece, levelPiece);

/**
 * `/api/llm` and the `/llm` page's data: the window and the span filters; `service` optional (without
 * one every service is searched); `groupBy` says who spends.
 */
export const llmQuerySchema = composeQuery(sourcePiece, servicePiece, windowPiece, filtersPiece, groupByPiece, limitPiece);
export type LlmQuery = Readonly<z.output<typeof llmQuerySchema>>;
export const parseLlmQuery = (input: QueryParamsInput): LlmQuery => parseQuery(llmQuerySchema, input);

/**
 * `/api/quality` and the `/quality` page: trace quality over a window, across every service (no
 * `service`) or the traces holding one service's spans; `limit` is traces per service search.
 */
export const qualityQuerySchema = composeQuery(sourcePiece, servicePiece, windowPiece, limitPiece);
export type QualityQuery = Readonly<z.output<typeof qualityQuerySchema>>;
export const parseQualityQuery = (input: QueryParamsInput): QualityQuery => parseQuery(qualityQuerySchema, input);

export type MetricsQuery = Readonly<z.output<typeof metricsQuerySchema>>;
export type DependenciesQuery = Readonly<z.output<typeof dependenciesQuerySchema>>;
export type DashboardQuery = Readonly<z.output<typeof dashboardQuerySchema>>;
/** The fields both share: what any metrics computation needs. */
export type DataQuery = Omit<MetricsQuery, 'include'>;

/** A page's query without its page state: what decides the data. */
export function dataQueryOf(query: DashboardQuery): DataQuery {
  const { view: _view, group: _group, sort: _sort, dir: _dir, refresh: _refresh, order: _order, filter: _filter, cohort: _cohort, ...data } = query;
  return data;
}

export type QueryParamsInput = URLSearchParams | string | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Every value of every param, as both URLSearchParams and Next's `searchParams` record give them.
 * The record has no prototype: a param named `constructor`, `toString` or `__proto__` is a param
 * like any other (ignored unless a piece reads it), never an inherited method or the prototype.
 */
export function toParamRecord(input: QueryParamsInput): Record<string, string[]> {
  const record = Object.create(null) as Record<string, string[]>;
  if (typeof input === 'string' || input instanceof URLSearchParams) {
    const params = typeof input === 'string' ? new URLSearchParams(input) : input;
    for (const [key, value] of params) {
      const values = record[key];
      if (values === undefined) record[key] = [value];
      else values.push(value);
    }
    return record;
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    record[key] = typeof value === 'string' ? [value] : [...value];
  }
  return record;
}

export type SafeParse<T> = { readonly ok: true; readonly query: T } | { readonly ok: false; readonly error: InvalidQueryError };

/** Parses params with one of the schemas above; a bad param becomes InvalidQueryError naming it. */
export function safeParseQuery<T>(schema: z.ZodType<T, Record<string, unknown>>, input: QueryParamsInput): SafeParse<T> {
  const result = schema.safeParse(toParamRecord(input));
  if (result.success) return { ok: true, query: result.data };
  const issue = result.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : 'query';
  return { ok: false, error: new InvalidQueryError(field, issue?.message ?? 'The query is not valid.') };
}

/** @throws InvalidQueryError naming the first bad param. */
export function parseQuery<T>(schema: z.ZodType<T, Record<string, unknown>>, input: QueryParamsInput): T {
  const result = safeParseQuery(schema, input);
  if (!result.ok) throw result.error;
  return result.query;
}

export type ParseResult = SafeParse<DashboardQuery>;
export const safeParseDashboardQuery = (input: QueryParamsInput): ParseResult => safeParseQuery(dashboardQuerySchema, input);
export const parseDashboardQuery = (input: QueryParamsInput): DashboardQuery => parseQuery(dashboardQuerySchema, input);
export const parseMetricsQuery = (input: QueryParamsInput): MetricsQuery => parseQuery(metricsQuerySchema, input);

export const parseDependenciesQuery = (input: QueryParamsInput): DependenciesQuery => parseQuery(dependenciesQuerySchema, input);

/** A dependencies query's params, defaults left out, in the order `serializeQuery` writes them, then `level`. */
export function serializeDependenciesQuery(query: DependenciesQuery): string {
  const { level, ...rest } = query;
  const params = new URLSearchParams(serializeQuery(rest));
  if (level !== 'service') params.append('level', level);
  return params.toString();
}

export const DEFAULT_QUERY: DashboardQuery = parseDashboardQuery({});

/** Any query the schemas above produce, or a part of one. */
export type SerializableQuery = Partial<DashboardQuery & MetricsQuery>;

/**
 * URL search params in a stable order with every default left out (no leading `?`), for any of the
 * queries above: what a page links to and what it sends to `/api/metrics` are written alike.
 */
export function serializeQuery(query: SerializableQuery): string {
  const params = new URLSearchParams();
  if (query.service !== undefined) params.append('service', query.service);
  if (query.operation !== undefined) params.append('operation', query.operation);
  for (const key of Object.keys(query.tags ?? {}).sort()) params.append('tags', `${key}=${query.tags?.[key]}`);
  const groupBy = query.groupBy ?? DEFAULT_GROUP_BY;
  const defaultGroupBy = groupBy.length === DEFAULT_GROUP_BY.length && groupBy.every((key, i) => key === DEFAULT_GROUP_BY[i]);
  if (!defaultGroupBy) for (const key of groupBy) params.append('groupBy', key);
  if (query.window?.kind === 'relative') {
    if (query.window.lookbackUs !== DEFAULT_LOOKBACK_US) params.append('lookback', formatCompactDuration(query.window.lookbackUs));
  } else if (query.window?.kind === 'absolute') {
    params.append('start', formatInstant(query.window.startUs));
    params.append('end', formatInstant(query.window.endUs));
  }
  if (query.baseline?.kind === 'previous') params.append('baseline', 'previous');
  else if (query.baseline?.kind === 'shift') params.append('baseline', formatCompactDuration(query.baseline.shiftUs));
  else if (query.baseline?.kind === 'range') {
    params.append('baselineStart', formatInstant(query.baseline.startUs));
    params.append('baselineEnd', formatInstant(query.baseline.endUs));
  }
  if (query.minDurationUs !== undefined) params.append('minDuration', formatDuration(query.minDurationUs));
  if (query.maxDurationUs !== undefined) params.append('maxDuration', formatDuration(query.maxDurationUs));
  if (query.limit !== undefined) params.append('limit', String(query.limit));
  // Every metric set is the default: left out like every other default.
  if (query.include !== undefined && query.include.length < METRIC_NAMES.length) params.append('include', query.include.join(','));
  if (query.view !== undefined) params.append('view', query.view);
  if (query.group !== undefined) params.append('group', query.group);
  if (query.sort !== undefined && query.sort !== 'count') params.append('sort', query.sort);
  if (query.dir !== undefined && query.dir !== 'desc') params.append('dir', query.dir);
  if (query.refresh !== undefined && query.refresh !== 'off') params.append('refresh', query.refresh);
  if (query.order !== undefined) params.append('order', query.order);
  if (query.filter !== undefined) params.append('filter', query.filter);
  if (query.cohort !== undefined) params.append('cohort', query.cohort);
  if (query.clientErrors) params.append('clientErrors', '1');
  if (query.fold) params.append('fold', '1');
  if (query.source !== undefined) params.append('source', query.source);
  return params.toString();
}

export const serializeDashboardQuery = (query: DashboardQuery): string => serializeQuery(query);

export type DashboardQueryPatch = { readonly [K in keyof DashboardQuery]?: DashboardQuery[K] | undefined };

/** The patched query's params, not yet validated. */
function patchedSearch(query: DashboardQuery, patch: DashboardQueryPatch): string {
  const next: Record<string, unknown> = { ...query };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) next[key] = value;
    else if (!(key in DEFAULT_QUERY)) delete next[key];
  }
  return serializeQuery(next as SerializableQuery);
}

/**
 * A query with some fields replaced; `undefined` removes an optional field (a required one keeps its
 * value). The result is re-validated, so a patch that breaks a rule throws InvalidQueryError.
 */
export function updateDashboardQuery(query: DashboardQuery, patch: DashboardQueryPatch): DashboardQuery {
  return parseDashboardQuery(patchedSearch(query, patch));
}

/**
 * The params a link to the patched query carries; never throws. A patch built from data (a row's
 * operation, a tag value) can break a rule, e.g. a name longer than MAX_TEXT: the link then carries it
 * as is, and the page it opens says what is wrong (InvalidQueryNotice) instead of this page crashing.
 */
export function patchedQuerySearch(query: DashboardQuery, patch: DashboardQueryPatch): string {
  const search = patchedSearch(query, patch);
  const parsed = safeParseDashboardQuery(search);
  return parsed.ok ? serializeQuery(parsed.query) : search;
}
