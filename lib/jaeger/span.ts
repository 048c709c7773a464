/**
 * The one normalised span record every source (legacy JSON, OTLP-JSON /api/v3, files) produces
 * (design §2). Pure types: lib/metrics imports them without pulling in any I/O.
 */

export type TagValue = string | number | boolean;

/** Legacy tags are reused as parsed; OTLP attributes are mapped to this. */
export interface KeyValue {
  readonly key: string;
  readonly value: TagValue;
  /** The legacy wire type (`string`, `bool`, `int64`, `float64`, `binary`) when the source sent one. */
  readonly type?: string;
}

export type SpanKind = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export interface SpanReference {
  readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  readonly traceId: string;
  readonly spanId: string;
}

export interface SpanLog {
  readonly timestampUs: number;
  readonly fields: readonly KeyValue[];
}

export interface Span {
  /** Lowercase hex left-padded to 32 characters when the ID is hex; kept as sent otherwise. */
  readonly traceId: string;
  readonly spanId: string;
  /** First CHILD_OF reference, else the first reference, else null (design §2). */
  readonly parentSpanId: string | null;
  /** All references in array order (self time needs the first one that resolves inside the trace). */
  readonly references: readonly SpanReference[];
  readonly service: string;
  readonly operation: string;
  readonly kind: SpanKind | null;
  readonly startUs: number;
  readonly durationUs: number;
  /**
   * Error by the documented rule (design §2): tag `error` true (bool or "true"), `otel.status_code`
   * ERROR, or a server span with HTTP status ≥ 500. Client 4xx is an opt-in applied by lib/metrics.
   */
  readonly error: boolean;
  readonly tags: readonly KeyValue[];
  /** Process (resource) tags; grouping addresses them as `process.<key>`. */
  readonly processTags: readonly KeyValue[];
  readonly logs: readonly SpanLog[];
  readonly warnings: readonly string[];
}

export interface Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
  readonly warnings: readonly string[];
}
