import type { z } from 'zod';
import { normalizeLegacyTraces, normalizeV3Traces } from './normalize.ts';
import { isObject } from './normalize-common.ts';
import { legacyOperationsResponseSchema, legacyServicesResponseSchema, v3OperationsResponseSchema, v3ServicesResponseSchema } from './schemas.ts';
import type { OperationInfo, TraceSearch } from './source.ts';
import { compareCodeUnits } from './span-rules.ts';
import type { Trace } from './span.ts';

/**
 * What differs between Jaeger's two query APIs (jaeger-api.md §2 legacy `/api`, §4 `/api/v3`): paths,
 * parameter names and formats, response shapes, and how each says "no match". The client picks one
 * dialect once it knows the API and does everything else (limits, retries, cache, errors) the same
 * way for both. Pure: no I/O, so the URL builders are pinned by dialects.test.ts against exact strings.
 */

export type JaegerApi = 'legacy' | 'v3';

export type QueryParams = ReadonlyArray<readonly [string, string]>;

/** The kinds of success answer the client reads; each must prove it is Jaeger's (`answerProblem`). */
export type AnswerKind = 'services' | 'operations' | 'search' | 'trace';

export interface JaegerDialect {
  readonly api: JaegerApi;
  /** Also the probe's endpoint: a 2xx JSON answer that `servicesSchema` accepts means this API is served. */
  readonly servicesPath: string;
  readonly operationsPath: string;
  readonly searchPath: string;
  tracePath(traceId: string): string;
  /** The services answer → its service names (schemas.ts turns legacy's `data: null` and v3's `{}` into []). */
  readonly servicesSchema: z.ZodType<readonly string[]>;
  readonly operationsSchema: z.ZodType<readonly OperationInfo[]>;
  operationsParams(service: string): QueryParams;
  searchParams(search: TraceSearch): QueryParams;
  /** What this API's answer of each kind is called in an error: "a Jaeger v3 search result". */
  readonly answerNames: Readonly<Record<AnswerKind, string>>;
  /**
   * Why a 2xx JSON body is not recognisably this API's answer of `kind` (an auth proxy's
   * `{"message":"Unauthorized"}`, another service's JSON), or null when it is. Every field of a v3
   * answer is optional in proto-JSON, so without this a foreign body would read as an empty list.
   */
  answerProblem(kind: AnswerKind, json: unknown): string | null;
  /** A trace answer (search or get) → flat traces. */
  normalizeTraces(json: unknown): Trace[];
  /** The status with which a search answers "nothing matched" in its JSON error envelope, if any. */
  readonly searchNoMatchStatus: number | null;
  /** Said when this API's endpoint is missing, to point at the setting that fixes it. */
  readonly missingHint: string;
}

/** Go duration with a unit, as both APIs parse it with time.ParseDuration (§2.4, §4). */
const goDuration = (microseconds: number): string => `${Math.round(microseconds)}us`;

/** RFC 3339 with µs precision; v3 parses it with time.RFC3339Nano, so six fractional digits are fine. */
export function toRfc3339(microseconds: number): string {
  const us = Math.floor(microseconds);
  const seconds = Math.floor(us / 1_000_000);
  const fraction = String(us - seconds * 1_000_000).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/**
 * The tag filter as Jaeger's JSON object, keys sorted for a stable cache key, without `error`: v2.13
 * inverts `error=true` (search-filter.ts), so the error filter is applied here only.
 */
function tagsJaegerApplies(tags: Readonly<Record<string, string>>): string | null {
  const entries = Object.entries(tags)
    .filter(([key]) => key !== 'error')
    .sort(([a], [b]) => compareCodeUnits(a, b));
  return entries.length > 0 ? JSON.stringify(Object.fromEntries(entries)) : null;
}

/** `{}`: what proto-JSON writes for a message whose lists are all empty. */
const isEmptyObject = (json: Record<string, unknown>): boolean => Object.keys(json).length === 0;

const jsonKind = (json: unknown): string => (json === null ? 'null' : Array.isArray(json) ? 'a JSON array' : `a JSON ${typeof json}`);

/**
 * Jaeger's legacy envelope (JQ/http_handler.go `structuredResponse`): Go writes every field, so a real
 * answer always has `data` (a list, or null when empty) and `errors` (null or a list); measured on
 * v2.13 for services, operations, search and get, empty and not.
 */
function legacyEnvelopeProblem(json: unknown): string | null {
  if (!isObject(json)) return `it is ${jsonKind(json)}, not an object`;
  if (!Object.hasOwn(json, 'data')) return 'it has no `data`';
  if (json.data !== null && !Array.isArray(json.data)) return '`data` is neither a list nor null';
  if (!Object.hasOwn(json, 'errors')) return 'it has no `errors`';
  if (json.errors !== null && !Array.isArray(json.errors)) return '`errors` is neither a list nor null';
  return null;
}

/**
 * A v3 list answer: `{"<key>":[…]}`, or `{}` when the list is empty (v2.13 answers an empty service
 * list with exactly `{}`, its operations with `{"operations":[]}`; measured).
 */
function v3ListProblem(json: unknown, key: string): string | null {
  if (!isObject(json)) return `it is ${jsonKind(json)}, not an object`;
  if (!Object.hasOwn(json, key)) return isEmptyObject(json) ? null : `it has no \`${key}\``;
  const list = json[key];
  return list === null || Array.isArray(list) ? null : `\`${key}\` is not a list`;
}

/**
 * A v3 trace answer: `{"result":{"resourceSpans":[…]}}`. An empty search is a 404 "No traces found"
 * (measured on v2.13), but proto-JSON may write an empty result as `{"result":{}}`, so that is read
 * as no traces; a body without `result` is not a trace answer at all.
 */
function v3TracesProblem(json: unknown): string | null {
  if (!isObject(json)) return `it is ${jsonKind(json)}, not an object`;
  if (!Object.hasOwn(json, 'result')) return 'it has no `result`';
  const result = json.result;
  if (!isObject(result)) return '`result` is not an object';
  if (!Object.hasOwn(result, 'resourceSpans')) return isEmptyObject(result) ? null : '`result` has no `resourceSpans`';
  return result.resourceSpans === null || Array.isArray(result.resourceSpans) ? null : '`result.resourceSpans` is not a list';
}

export const legacyDialect: JaegerDialect = {
  api: 'legacy',
  servicesPath: '/api/services',
  operationsPath: '/api/operations',
  searchPath: '/api/traces',
  tracePath: (traceId) => `/api/traces/${encodeURIComponent(traceId)}`,
  servicesSchema: legacyServicesResponseSchema.transform((body) => body.data),
  operationsSchema: legacyOperationsResponseSchema.transform((body) => body.data),
  operationsParams: (service) => [['service', service]],
  searchParams(search) {
    const params: Array<[string, string]> = [
      ['service', search.service],
      ['start', String(Math.floor(search.startUs))],
      ['end', String(Math.ceil(search.endUs))],
      ['limit', String(search.limit)],
    ];
    if (search.operation) params.push(['operation', search.operation]);
    const tags = tagsJaegerApplies(search.tags);
    if (tags) params.push(['tags', tags]);
    if (search.minDurationUs !== undefined) params.push(['minDuration', goDuration(search.minDurationUs)]);
    if (search.maxDurationUs !== undefined) params.push(['maxDuration', goDuration(search.maxDurationUs)]);
    return params;
  },
  answerNames: {
    services: 'a Jaeger legacy service list',
    operations: 'a Jaeger legacy operation list',
    search: 'a Jaeger legacy search result',
    trace: 'a Jaeger legacy trace',
  },
  answerProblem: (_kind, json) => legacyEnvelopeProblem(json),
  normalizeTraces: normalizeLegacyTraces,
  // An empty legacy search is a 200 with `data: []` (§2.4).
  searchNoMatchStatus: null,
  missingHint: 'this Jaeger has no legacy /api search (removed in jaeger#9260); set JAEGER_API=v3 or auto',
};

export const v3Dialect: JaegerDialect = {
  api: 'v3',
  servicesPath: '/api/v3/services',
  operationsPath: '/api/v3/operations',
  searchPath: '/api/v3/traces',
  tracePath: (traceId) => `/api/v3/traces/${encodeURIComponent(traceId)}`,
  servicesSchema: v3ServicesResponseSchema.transform((body) => body.services),
  operationsSchema: v3OperationsResponseSchema.transform((body) => body.operations),
  operationsParams: (service) => [['service', service]],
  searchParams(search) {
    // snake_case: the only spelling before v2.19, accepted by every v2 (jaeger-api.md §4). v2.13 reads
    // the depth only from query.num_traces and fails with 500 without it (§7a).
    const params: Array<[string, string]> = [
      ['query.service_name', search.service],
      ['query.start_time_min', toRfc3339(search.startUs)],
      ['query.start_time_max', toRfc3339(search.endUs)],
      ['query.num_traces', String(search.limit)],
    ];
    if (search.operation) params.push(['query.operation_name', search.operation]);
    // Sent for the Jaegers that apply it; v2.13 ignores it, and search-filter.ts re-checks either way.
    const tags = tagsJaegerApplies(search.tags);
    if (tags) params.push(['query.attributes', tags]);
    if (search.minDurationUs !== undefined) params.push(['query.duration_min', goDuration(search.minDurationUs)]);
    if (search.maxDurationUs !== undefined) params.push(['query.duration_max', goDuration(search.maxDurationUs)]);
    return params;
  },
  answerNames: {
    services: 'a Jaeger v3 service list',
    operations: 'a Jaeger v3 operation list',
    search: 'a Jaeger v3 search result',
    trace: 'a Jaeger v3 trace',
  },
  answerProblem(kind, json) {
    if (kind === 'services') return v3ListProblem(json, 'services');
    if (kind === 'operations') return v3ListProblem(json, 'operations');
    return v3TracesProblem(json);
  },
  normalizeTraces: normalizeV3Traces,
  // v3 answers an empty search with 404 "No traces found" in its JSON envelope (http_gateway.go).
  searchNoMatchStatus: 404,
  missingHint: 'this Jaeger does not serve /api/v3 over HTTP; set JAEGER_API=legacy or auto',
};

export const dialects: Readonly<Record<JaegerApi, JaegerDialect>> = { legacy: legacyDialect, v3: v3Dialect };

/** `baseUrl` + `path` + the params sorted by name, so the same query always has the same cache and coalescing key. */
export function buildUrl(baseUrl: string, path: string, params: QueryParams = []): string {
  const sorted = [...params].sort(([a], [b]) => compareCodeUnits(a, b));
  const query = new URLSearchParams(sorted.map(([key, value]): [string, string] => [key, value])).toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

/** The search URL the client sends for `search` through `dialect`. */
export function buildSearchUrl(dialect: JaegerDialect, baseUrl: string, search: TraceSearch): string {
  return buildUrl(baseUrl, dialect.searchPath, dialect.searchParams(search));
}
