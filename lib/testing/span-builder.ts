import type { KeyValue, Span, SpanKind, SpanLog, SpanReference, TagValue, Trace } from '../jaeger/span.ts';

/** Deterministic IDs: 16 hex characters from a counter, so built traces never depend on randomness. */
let nextId = 1;
export function hexId(n: number, width = 16): string {
  return n.toString(16).padStart(width, '0');
}

class SpanBuilder {
  private span: {
    -readonly [K in keyof Span]: Span[K];
  };

  constructor() {
    const id = nextId++;
    this.span = {
      traceId: hexId(1, 32),
      spanId: hexId(id),
      parentSpanId: null,
      references: [],
      service: 'svc',
      operation: 'op',
      kind: null,
      startUs: 1_000_000,
      durationUs: 1_000,
      error: false,
      tags: [],
      processTags: [],
      logs: [],
      warnings: [],
    };
  }

  withTraceId(traceId: string): this {
    this.span.traceId = traceId;
    return this;
  }
  withSpanId(spanId: string): this {
    this.span.spanId = spanId;
    return this;
  }
  withService(service: string): this {
    this.span.service = service;
    return this;
  }
  withOperation(operation: string): this {
    this.span.operation = operation;
    return this;
  }
  withKind(kind: SpanKind): this {
    this.span.kind = kind;
    return this;
  }
  withStart(startUs: number): this {
    this.span.startUs = startUs;
    return this;
  }
  withDuration(durationUs: number): this {
    this.span.durationUs = durationUs;
    return this;
  }
  /** Sets the error flag the normaliser would derive; `withTag('error', true)` also sets it. */
  withError(error = true): this {
    this.span.error = error;
    return this;
  }
  withTag(key: string, value: TagValue): this {
    this.span.tags = [...this.span.tags.filter((t) => t.key !== key), { key, value }];
    if (key === 'error' && (value === true || value === 'true')) this.span.error = true;
    if (key === 'otel.status_code' && value === 'ERROR') this.span.error = true;
    if (key === 'span.kind' && typeof value === 'string') this.span.kind = value as SpanKind;
    return this;
  }
  withProcessTag(key: string, value: TagValue): this {
    this.span.processTags = [...this.span.processTags, { key, value }];
    return this;
  }
  withLog(timestampUs: number, fields: Record<string, TagValue>): this {
    const log: SpanLog = { timestampUs, fields: Object.entries(fields).map(([key, value]): KeyValue => ({ key, value })) };
    this.span.logs = [...this.span.logs, log];
    return this;
  }
  withWarning(warning: string): this {
    this.span.warnings = [...this.span.warnings, warning];
    return this;
  }
  /** CHILD_OF the given span (same trace unless a trace ID is given); the first CHILD_OF is the parent. */
  childOf(parent: Span | string, traceId?: string): this {
    return this.withReference('CHILD_OF', parent, traceId);
  }
  followsFrom(parent: Span | string, traceId?: string): this {
    return this.withReference('FOLLOWS_FROM', parent, traceId);
  }
  withReference(refType: SpanReference['refType'], target: Span | string, traceId?: string): this {
    const spanId = typeof target === 'string' ? target : target.spanId;
    const ref: SpanReference = { refType, spanId, traceId: traceId ?? (typeof target === 'string' ? this.span.traceId : target.traceId) };
    this.span.references = [...this.span.references, ref];
    const firstChildOf = this.span.references.find((r) => r.refType === 'CHILD_OF');
    this.span.parentSpanId = (firstChildOf ?? this.span.references[0])?.spanId ?? null;
    return this;
  }
  build(): Span {
    return { ...this.span };
  }
}

export function aSpan(): SpanBuilder {
  return new SpanBuilder();
}

/** A trace of the given spans; their trace ID is rewritten to the trace's (default from the first span). */
export function aTrace(spans: readonly Span[], traceId = spans[0]?.traceId ?? hexId(1, 32), warnings: readonly string[] = []): Trace {
  return {
    traceId,
    spans: spans.map((span) => ({
      ...span,
      traceId,
      references: span.references.map((ref) => (ref.traceId === span.traceId ? { ...ref, traceId } : ref)),
    })),
    warnings,
  };
}
