import type { KeyValue, Span, TagValue } from '../jaeger/span.ts';
import type { AggregationOptions } from './types.ts';

export function findTag(tags: readonly KeyValue[], key: string): TagValue | undefined {
  for (const tag of tags) if (tag.key === key) return tag.value;
  return undefined;
}

/** A span's tag, or with a `process.` prefix its process tag (design §4 grouping). */
export function spanTagValue(span: Span, key: string): TagValue | undefined {
  const own = findTag(span.tags, key);
  if (own !== undefined || !key.startsWith('process.')) return own;
  return findTag(span.processTags, key.slice('process.'.length));
}

/**
 * Tag filters compare as strings against span tags, then process tags, then log fields — the order
 * Jaeger's memory store uses (tenant.go validSpan); `error` tests the error status, as Jaeger's
 * `error=true|false` tests the span status rather than an `error` attribute.
 */
function tagMatches(span: Span, key: string, expected: string): boolean {
  if (key === 'error') return String(span.error) === expected;
  const own = findTag(span.tags, key) ?? findTag(span.processTags, key);
  if (own !== undefined) return String(own) === expected;
  for (const log of span.logs) {
    const field = findTag(log.fields, key);
    if (field !== undefined && String(field) === expected) return true;
  }
  return false;
}

/**
 * Which spans a query counts (design §2): the queried service, operation, tags and duration bounds,
 * with a start inside the window — the same per-span conditions Jaeger's search applies; the rest
 * of each returned trace is context only.
 */
export function createSpanMatcher(options: AggregationOptions): (span: Span) => boolean {
  const { service, operation, minDurationUs, maxDurationUs, windowStartUs, windowEndUs } = options;
  const tagFilters = Object.entries(options.tags ?? {});
  return (span) =>
    (service === undefined || span.service === service) &&
    (operation === undefined || span.operation === operation) &&
    span.startUs >= windowStartUs &&
    span.startUs <= windowEndUs &&
    (minDurationUs === undefined || span.durationUs >= minDurationUs) &&
    (maxDurationUs === undefined || span.durationUs <= maxDurationUs) &&
    tagFilters.every(([key, value]) => tagMatches(span, key, value));
}

function httpStatus(span: Span): number | null {
  const raw = findTag(span.tags, 'http.response.status_code') ?? findTag(span.tags, 'http.status_code');
  const status = typeof raw === 'string' ? Number(raw) : raw;
  return typeof status === 'number' && Number.isFinite(status) ? status : null;
}

/**
 * The error rule of design §2: the normaliser's flag (error tag, otel.status_code ERROR, server
 * 5xx), plus client spans with HTTP status ≥ 400 when the user opts in.
 */
export function isErrorSpan(span: Span, clientErrorsFrom4xx: boolean): boolean {
  if (span.error) return true;
  if (!clientErrorsFrom4xx || span.kind !== 'client') return false;
  const status = httpStatus(span);
  return status !== null && status >= 400;
}
