import type { Span } from '../jaeger/span.ts';
import { createSpanQueryMatcher, isErrorSpan as isErrorByRule } from '../jaeger/span-rules.ts';
import type { AggregationOptions } from './types.ts';

/**
 * Which spans a query counts (design §2): the queried service, operation, tags and duration bounds,
 * with a start inside the window — the very matcher the trace search uses (lib/jaeger/span-rules.ts),
 * so a trace is returned exactly when some span of it is counted; the rest of each trace is context.
 */
export function createSpanMatcher(options: AggregationOptions): (span: Span) => boolean {
  return createSpanQueryMatcher({
    service: options.service,
    operation: options.operation,
    startUs: options.windowStartUs,
    endUs: options.windowEndUs,
    minDurationUs: options.minDurationUs,
    maxDurationUs: options.maxDurationUs,
    tags: options.tags,
  });
}

/** The error rule of design §2 (lib/jaeger/span-rules.ts `isErrorSpan`). */
export function isErrorSpan(span: Span, clientErrorsFrom4xx: boolean): boolean {
  return isErrorByRule(span, clientErrorsFrom4xx);
}
