import type { Span } from '../jaeger/span.ts';
import { createSpanQueryMatcher, isErrorSpan as isErrorByRule } from '../jaeger/span-rules.ts';
import { foldSpanName, isFoldedName } from './name-folding.ts';
import type { AggregationOptions } from './types.ts';

/**
 * Which spans a query counts (design §2): the queried service, operation, tags and duration bounds,
 * with a start inside the window — the very matcher the trace search uses (lib/jaeger/span-rules.ts),
 * so a trace is returned exactly when some span of it is counted; the rest of each trace is context.
 * With `foldNames`, an operation that is a folded name (`GET /items/{id}`) matches the spans whose name
 * folds to it (the search asked Jaeger for the whole service: metrics-service.ts traceSearchFor).
 */
export function createSpanMatcher(options: AggregationOptions): (span: Span) => boolean {
  const foldedOperation = options.foldNames && options.operation !== undefined && isFoldedName(options.operation) ? options.operation : undefined;
  const matches = createSpanQueryMatcher({
    service: options.service,
    operation: foldedOperation === undefined ? options.operation : undefined,
    startUs: options.windowStartUs,
    endUs: options.windowEndUs,
    minDurationUs: options.minDurationUs,
    maxDurationUs: options.maxDurationUs,
    tags: options.tags,
  });
  return foldedOperation === undefined ? matches : (span) => matches(span) && foldSpanName(span.operation) === foldedOperation;
}

/** The error rule of design §2 (lib/jaeger/span-rules.ts `isErrorSpan`). */
export function isErrorSpan(span: Span, clientErrorsFrom4xx: boolean): boolean {
  return isErrorByRule(span, clientErrorsFrom4xx);
}
