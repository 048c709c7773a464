import type { TraceSearch } from './source.ts';
import type { KeyValue, Span, Trace } from './span.ts';

/**
 * Jaeger's own per-span match (memory store `validSpan`, jaeger-api.md §2.4), re-applied to what
 * Jaeger sent back, for the filters a Jaeger may not apply itself:
 * - v2.13's api_v3 HTTP gateway drops `query.attributes` altogether ("most curiously not supported by
 *   grpc-gateway", cmd/query/app/apiv3/http_gateway.go at v1.76.0), so v3 tag filters come back unfiltered;
 * - v2.13's memory store reads `error=true` with pcommon `Value.Bool()` on the string "true", which is
 *   false, so it returns spans with status OK instead (internal/storage/v2/memory/tenant.go). The
 *   `error` key is therefore never sent to Jaeger and is matched here, on the normalised error flag.
 * A trace is kept when one single span matches every condition; the whole trace is kept, as Jaeger does.
 */
export function traceMatchesSearch(trace: Trace, search: TraceSearch): boolean {
  return trace.spans.some((span) => spanMatchesSearch(span, search));
}

export function spanMatchesSearch(span: Span, search: TraceSearch): boolean {
  if (span.service !== search.service) return false;
  if (search.operation && span.operation !== search.operation) return false;
  if (span.startUs < search.startUs || span.startUs > search.endUs) return false;
  if (search.minDurationUs !== undefined && span.durationUs < search.minDurationUs) return false;
  if (search.maxDurationUs !== undefined && span.durationUs > search.maxDurationUs) return false;
  for (const [key, value] of Object.entries(search.tags)) {
    if (key === 'error') {
      if (span.error !== (value === 'true')) return false;
      continue;
    }
    // Compared as strings against span, resource (process) and event (log) attributes, like AsString().
    const matches = (tags: readonly KeyValue[]): boolean => tags.some((tag) => tag.key === key && String(tag.value) === value);
    if (!matches(span.tags) && !matches(span.processTags) && !span.logs.some((log) => matches(log.fields))) return false;
  }
  return true;
}
