import { formatDuration } from '../units.ts';

/**
 * Deep links into the Jaeger UI (jaeger-api.md §6), built only here. `uiBase` is the URL the browser
 * sees (JAEGER_UI_URL, default JAEGER_URL) including any base path; null (demo, upload) → no links.
 * IDs are checked to be hex first: they come from untrusted span data and end up in an href.
 */

const TRACE_ID = /^[0-9a-f]{1,32}$/i;
const SPAN_ID = /^[0-9a-f]{1,16}$/i;
/** The search form's own ceiling (`search.maxLimit`, jaeger-ui default-config.ts). */
export const JAEGER_UI_MAX_LIMIT = 1_500;

function base(uiBase: string | null): string | null {
  if (uiBase === null) return null;
  try {
    const url = new URL(uiBase);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

export function buildTraceLink(uiBase: string | null, traceId: string): string | null {
  const root = base(uiBase);
  if (root === null || !TRACE_ID.test(traceId)) return null;
  return `${root}/trace/${traceId}`;
}

/** Opens the trace scrolled to the span: uiFind matches a span whose ID equals the term (filter-spans.ts). */
export function buildSpanLink(uiBase: string | null, traceId: string, spanId: string): string | null {
  const trace = buildTraceLink(uiBase, traceId);
  if (trace === null || !SPAN_ID.test(spanId)) return null;
  return `${trace}?uiFind=${spanId}`;
}

export interface JaegerSearchLinkParams {
  readonly service: string;
  readonly operation?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly startUs: number;
  readonly endUs: number;
  readonly minDurationUs?: number | undefined;
  readonly maxDurationUs?: number | undefined;
  readonly limit?: number | undefined;
}

/**
 * A prefilled search over an absolute window. Tags go as `tags=<JSON>`: the older `tag=k:v` form is
 * cut at the second `:` by the UI (SearchTracePage/url.ts), which would mangle values such as URLs.
 */
export function buildSearchLink(uiBase: string | null, params: JaegerSearchLinkParams): string | null {
  const root = base(uiBase);
  if (root === null) return null;
  const parts: [string, string][] = [['service', params.service]];
  if (params.operation !== undefined) parts.push(['operation', params.operation]);
  const tagKeys = Object.keys(params.tags ?? {}).sort();
  if (tagKeys.length > 0) parts.push(['tags', JSON.stringify(Object.fromEntries(tagKeys.map((key) => [key, params.tags?.[key]])))]);
  parts.push(['start', String(Math.floor(params.startUs))], ['end', String(Math.ceil(params.endUs))], ['lookback', 'custom']);
  if (params.minDurationUs !== undefined) parts.push(['minDuration', formatDuration(params.minDurationUs)]);
  if (params.maxDurationUs !== undefined) parts.push(['maxDuration', formatDuration(params.maxDurationUs)]);
  if (params.limit !== undefined) parts.push(['limit', String(Math.min(params.limit, JAEGER_UI_MAX_LIMIT))]);
  // encodeURIComponent, not URLSearchParams: a space must be %20, not `+`, to survive every decoder.
  return `${root}/search?${parts.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}
