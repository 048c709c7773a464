import type { TraceSearch } from './source.ts';
import type { Span, Trace } from './span.ts';
import { createSpanQueryMatcher } from './span-rules.ts';

/**
 * Jaeger's own per-span match (memory store `validSpan`, jaeger-api.md §2.4; the rules are in
 * span-rules.ts), re-applied to what Jaeger sent back, for the filters a Jaeger may not apply itself:
 * - v2.13's api_v3 HTTP gateway drops `query.attributes` altogether ("most curiously not supported by
 *   grpc-gateway", cmd/query/app/apiv3/http_gateway.go at v1.76.0), so v3 tag filters come back unfiltered;
 * - v2.13's memory store reads `error=true` with pcommon `Value.Bool()` on the string "true", which is
 *   false, so it returns spans with status OK instead (internal/storage/v2/memory/tenant.go). The
 *   `error` key is therefore never sent to Jaeger and is matched here, on the span status.
 * A trace is kept when one single span matches every condition; the whole trace is kept, as Jaeger does.
 */
export function traceMatchesSearch(trace: Trace, search: TraceSearch): boolean {
  return trace.spans.some(createSpanQueryMatcher(search));
}

export function spanMatchesSearch(span: Span, search: TraceSearch): boolean {
  return createSpanQueryMatcher(search)(span);
}
