/**
 * The span rules every part of Spanlens shares: which spans a search matches, how a tag filter
 * compares, what counts as an error, how a grouping key reads a tag, and how strings sort.
 * The trace search (search-filter.ts, file-source.ts) and the metrics (lib/metrics/span-match.ts)
 * both match spans with `createSpanQueryMatcher`, so "the search keeps a trace" holds exactly when
 * "some span of it is counted" (design §2).
 *
 * The reference is Jaeger's own memory store, internal/storage/v2/memory/tenant.go at v1.76.0
 * (`validTrace`, `validResource`, `validSpan`, `findKeyValInTrace`, `matchAttributes`), and its
 * tests in memory_test.go. Pure: no I/O, no env; imports only the span types.
 */
import type { KeyValue, Span, SpanKind, TagValue } from './span.ts';

/**
 * Orders strings by UTF-16 code units, the order `Array.prototype.sort` uses without a comparator
 * (and Go's string `<` for ASCII), so results do not depend on the runtime's locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Tag lookup (grouping, error rule)
// ---------------------------------------------------------------------------------------------

/** The value of the first tag with this key. */
export function findTag(tags: readonly KeyValue[], key: string): TagValue | undefined {
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as KeyValue;
    if (tag.key === key) return tag.value;
  }
  return undefined;
}

const PROCESS_PREFIX = 'process.';

/** A span's tag, or with a `process.` prefix its process tag (design §4 grouping). */
export function spanTagValue(span: Span, key: string): TagValue | undefined {
  const own = findTag(span.tags, key);
  if (own !== undefined || !key.startsWith(PROCESS_PREFIX)) return own;
  return findTag(span.processTags, key.slice(PROCESS_PREFIX.length));
}

// ---------------------------------------------------------------------------------------------
// The error rule (design §2)
// ---------------------------------------------------------------------------------------------

/** An HTTP status tag value as a number; 0 when it is none (a non-numeric string, a boolean). */
export function parseHttpStatus(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/**
 * The span's HTTP status from `http.response.status_code` (OTel semconv ≥ 1.21) or
 * `http.status_code` (older); 0 when it has none. When both are present the later tag wins, the
 * same rule as the normaliser's one-pass `classifyTags` (span-classify.ts).
 */
export function httpStatusOf(tags: readonly KeyValue[]): number {
  let status = 0;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as KeyValue;
    if (tag.key === 'http.response.status_code' || tag.key === 'http.status_code') status = parseHttpStatus(tag.value);
  }
  return status;
}

/** Server spans fail from 500 (design §2). */
export const SERVER_ERROR_STATUS = 500;
/** Client spans fail from 400, only when the user opts in (design §2). */
export const CLIENT_ERROR_STATUS = 400;

export function isHttpErrorStatus(kind: SpanKind | null, status: number, clientErrorsFrom4xx: boolean): boolean {
  if (kind === 'server') return status >= SERVER_ERROR_STATUS;
  return clientErrorsFrom4xx && kind === 'client' && status >= CLIENT_ERROR_STATUS;
}

/**
 * The error rule of design §2: the normaliser's flag (error tag, otel.status_code ERROR, server
 * 5xx), plus client spans with HTTP status ≥ 400 when the user opts in.
 */
export function isErrorSpan(span: Span, clientErrorsFrom4xx: boolean): boolean {
  if (span.error) return true;
  if (!clientErrorsFrom4xx || span.kind !== 'client') return false;
  return isHttpErrorStatus(span.kind, httpStatusOf(span.tags), true);
}

// ---------------------------------------------------------------------------------------------
// Search match per span
// ---------------------------------------------------------------------------------------------

/**
 * The per-span conditions of a trace search. As in Jaeger's TraceQueryParams, an empty or absent
 * field, and a zero time or duration bound, means "no condition" (tenant.go validResource and
 * validSpan test `!= ""`, `!IsZero()` and `!= 0` before comparing).
 */
export interface SpanQuery {
  readonly service?: string | undefined;
  readonly operation?: string | undefined;
  readonly startUs?: number | undefined;
  readonly endUs?: number | undefined;
  readonly minDurationUs?: number | undefined;
  readonly maxDurationUs?: number | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** The query key Jaeger reads as the span status, never as an attribute (memory.go `errorAttribute`). */
const ERROR_KEY = 'error';

function hasTagValue(tags: readonly KeyValue[], key: string, expected: string): boolean {
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as KeyValue;
    // tenant.go matchAttributes: `queryValue.AsString() == val.AsString()`, so 200 matches "200".
    if (tag.key === key && String(tag.value) === expected) return true;
  }
  return false;
}

/**
 * One tag filter against one span.
 *
 * `error` tests the span status, not an `error` attribute, as Jaeger's does (tenant.go validSpan):
 * `error=true` keeps the spans the error rule flags (design §2), any other value the spans it does
 * not. Jaeger itself would keep only spans whose status is explicitly OK for `error=false`, so an
 * UNSET status — most spans — would match neither (memory_test.go TestFindTraces_StatusCode). That
 * is no filter a person means by "not an error", and Spanlens never sends `error` to Jaeger (the
 * search filter applies it), so it keeps the two sides complementary instead.
 *
 * Any other key is compared as a string against the span attributes, the resource attributes (our
 * process tags, plus `service.name`, which Jaeger keeps among them) and then every event's (log's)
 * attributes; a match in any of them is enough (tenant.go findKeyValInTrace,
 * memory_test.go TestFindTracesAttributesMatching, TestFindTraces_AttributesFoundInEvents).
 * Jaeger also looks at scope attributes, which neither API hands back, so they cannot match here.
 */
export function tagFilterMatches(span: Span, key: string, expected: string): boolean {
  if (key === ERROR_KEY) return span.error === (expected === 'true');
  if (hasTagValue(span.tags, key, expected) || hasTagValue(span.processTags, key, expected)) return true;
  if (key === 'service.name' && span.service === expected) return true;
  for (let i = 0; i < span.logs.length; i++) {
    if (hasTagValue((span.logs[i] as Span['logs'][number]).fields, key, expected)) return true;
  }
  return false;
}

/**
 * A span matcher for one query: every condition must hold on this one span (tenant.go validSpan).
 * Service and operation compare exactly, "" meaning any (validResource, validSpan). The start must
 * lie in [startUs, endUs] and the duration in [minDurationUs, maxDurationUs], both ends inclusive:
 * Jaeger rejects only `startTime.Before(StartTimeMin)`, `startTime.After(StartTimeMax)`,
 * `duration < DurationMin` and `duration > DurationMax`.
 */
export function createSpanQueryMatcher(query: SpanQuery): (span: Span) => boolean {
  const service = query.service || undefined;
  const operation = query.operation || undefined;
  const startUs = query.startUs || undefined;
  const endUs = query.endUs || undefined;
  const minDurationUs = query.minDurationUs || undefined;
  const maxDurationUs = query.maxDurationUs || undefined;
  const tags = Object.entries(query.tags ?? {});
  return (span) => {
    if (service !== undefined && span.service !== service) return false;
    if (operation !== undefined && span.operation !== operation) return false;
    if (startUs !== undefined && span.startUs < startUs) return false;
    if (endUs !== undefined && span.startUs > endUs) return false;
    if (minDurationUs !== undefined && span.durationUs < minDurationUs) return false;
    if (maxDurationUs !== undefined && span.durationUs > maxDurationUs) return false;
    for (let i = 0; i < tags.length; i++) {
      const [key, expected] = tags[i] as [string, string];
      if (!tagFilterMatches(span, key, expected)) return false;
    }
    return true;
  };
}

/** One span against one query; to test many spans, make the matcher once with createSpanQueryMatcher. */
export function spanMatchesQuery(span: Span, query: SpanQuery): boolean {
  return createSpanQueryMatcher(query)(span);
}
