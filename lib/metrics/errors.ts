import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits, findTag } from '../jaeger/span-rules.ts';
import { defineMetric, type MetricAccumulator, type SpanVisit } from './metric.ts';
import type { ErrorGroup } from './types.ts';

const MAX_EXAMPLES = 3;
const UNKNOWN_ERROR_TYPE = '(unknown)';

/**
 * What went wrong, first found: tag `error.type`, tag `exception.type`, an `exception.type` log
 * field (OTel exception events become logs), `otel.status_description`, a log `message` field.
 */
export function errorType(span: Span): string {
  const fromTags = findTag(span.tags, 'error.type') ?? findTag(span.tags, 'exception.type');
  if (fromTags !== undefined && fromTags !== '') return String(fromTags);
  for (const log of span.logs) {
    const value = findTag(log.fields, 'exception.type');
    if (value !== undefined && value !== '') return String(value);
  }
  const description = findTag(span.tags, 'otel.status_description');
  if (description !== undefined && description !== '') return String(description);
  for (const log of span.logs) {
    const value = findTag(log.fields, 'message');
    if (value !== undefined && value !== '') return String(value);
  }
  return UNKNOWN_ERROR_TYPE;
}

type ErrorState = readonly ErrorCell[];

interface Example {
  readonly traceId: string;
  readonly spanId: string;
  readonly startUs: number;
}

interface ErrorCell {
  readonly service: string;
  readonly operation: string;
  readonly errorType: string;
  count: number;
  /**
   * At most one error per trace (that trace's earliest), the earliest such traces first (by start,
   * then IDs), so examples show distinct traces and do not depend on arrival order or merge split.
   */
  examples: Example[];
}

function earlier(a: Example, b: Example): number {
  return a.startUs - b.startUs || compareCodeUnits(a.traceId, b.traceId) || compareCodeUnits(a.spanId, b.spanId);
}

/**
 * Keeps each trace's first example of a list sorted by `earlier`. A trace among the earliest
 * MAX_EXAMPLES traces of the whole input is among them in the part holding its earliest span too,
 * so truncating per part and merging gives the same examples as one pass.
 */
function distinctTraces(sorted: readonly Example[]): Example[] {
  const seen = new Set<string>();
  return sorted.filter(({ traceId }) => {
    if (seen.has(traceId)) return false;
    seen.add(traceId);
    return true;
  });
}

/** Error spans grouped by service, operation and error type, with example trace and span IDs. */
class ErrorAccumulator implements MetricAccumulator<ErrorState, { readonly errors: readonly ErrorGroup[] }> {
  readonly cells = new Map<string, ErrorCell>();

  constructor(state: ErrorState = []) {
    for (const cell of state) {
      this.cells.set(`${cell.service}\u0000${cell.operation}\u0000${cell.errorType}`, { ...cell, examples: [...cell.examples] });
    }
  }

  addSpan({ span, error }: SpanVisit): void {
    if (!error) return;
    const type = errorType(span);
    const key = `${span.service}\u0000${span.operation}\u0000${type}`;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { service: span.service, operation: span.operation, errorType: type, count: 0, examples: [] };
      this.cells.set(key, cell);
    }
    cell.count++;
    this.keepExamples(cell, [{ traceId: span.traceId, spanId: span.spanId, startUs: span.startUs }]);
  }

  toState(): ErrorState {
    return [...this.cells.values()];
  }

  merge(other: ErrorAccumulator): void {
    for (const [key, cell] of other.cells) {
      const mine = this.cells.get(key);
      if (mine === undefined) this.cells.set(key, { ...cell, examples: [...cell.examples] });
      else {
        mine.count += cell.count;
        this.keepExamples(mine, cell.examples);
      }
    }
  }

  finish(): { readonly errors: readonly ErrorGroup[] } {
    const errors = [...this.cells.values()]
      .map(({ service, operation, errorType: type, count, examples }) => ({
        service,
        operation,
        errorType: type,
        count,
        examples: examples.map(({ traceId, spanId }) => ({ traceId, spanId })),
      }))
      .sort(
        (a, b) =>
          b.count - a.count ||
          compareCodeUnits(a.service, b.service) ||
          compareCodeUnits(a.operation, b.operation) ||
          compareCodeUnits(a.errorType, b.errorType),
      );
    return { errors };
  }

  private keepExamples(cell: ErrorCell, incoming: readonly Example[]): void {
    const last = cell.examples[cell.examples.length - 1];
    if (incoming.length === 1 && cell.examples.length >= MAX_EXAMPLES && last && earlier(incoming[0] as Example, last) >= 0) return;
    cell.examples = distinctTraces([...cell.examples, ...incoming].sort(earlier)).slice(0, MAX_EXAMPLES);
  }
}

export const errorsMetric = defineMetric({
  definition:
    'Error spans by service, operation and error type (error.type, exception.type, otel.status_description or a log message, first found), with example spans from the earliest distinct traces (one per trace, its earliest).',
  create: (_context, state?: ErrorState) => new ErrorAccumulator(state),
  buffers: () => [],
});
