/**
 * zod schemas for every Jaeger query-API response Spanlens reads (jaeger-api.md §1–§4).
 *
 * Strict where a wrong value would silently corrupt a metric (IDs, times, durations); tolerant of
 * keys Jaeger may add later (zod objects strip unknown keys). Wire quirks are fixed here, once:
 * `data: null` for empty legacy lists, `{}` for empty v3 lists, int64 values sent as strings.
 *
 * The trace schemas are the *reference* definition of a readable response. lib/jaeger/normalize.ts
 * does not run them on the hot path (see the comment there); it runs them only to name the field
 * when its own checks fail, so the two must accept the same inputs.
 */
import { z } from 'zod';

/** Non-empty: Jaeger never sends an empty ID, and a span keyed by "" would join to nothing. */
const legacyIdSchema = z.string().min(1, 'expected a non-empty ID');
/** µs since the epoch or µs of duration: JSON integers, never negative (uimodel/model.go uint64). */
const microsecondsSchema = z.number().int('expected an integer number of µs').nonnegative().max(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------
// Legacy JSON (/api/…)
// ---------------------------------------------------------------------------------------------

/**
 * A tag. `value` keeps its wire type: int64 beyond ±(2^53−1) arrives as a string (jaeger-api.md §3),
 * `binary` as base64 text, OTLP arrays/maps as JSON text, and some Jaeger/Zipkin SDKs send a
 * `bool` tag whose value is the string "true".
 */
export const legacyKeyValueSchema = z.object({
  key: z.string(),
  type: z.string().optional(),
  value: z.union([z.string(), z.number(), z.boolean()]),
});

export const legacyLogSchema = z.object({
  timestamp: microsecondsSchema,
  fields: z.array(legacyKeyValueSchema).nullish(),
});

export const legacyReferenceSchema = z.object({
  refType: z.enum(['CHILD_OF', 'FOLLOWS_FROM']),
  traceID: legacyIdSchema,
  spanID: legacyIdSchema,
});

export const legacySpanSchema = z.object({
  traceID: legacyIdSchema,
  spanID: legacyIdSchema,
  operationName: z.string(),
  /** Absent in some hand-trimmed exports (jaeger-ui's stats fixtures); a root has `[]`. */
  references: z.array(legacyReferenceSchema).nullish(),
  startTime: microsecondsSchema,
  duration: microsecondsSchema,
  tags: z.array(legacyKeyValueSchema).nullish(),
  logs: z.array(legacyLogSchema).nullish(),
  processID: z.string(),
  warnings: z.array(z.string()).nullish(),
});

export const legacyProcessSchema = z.object({
  serviceName: z.string(),
  tags: z.array(legacyKeyValueSchema).nullish(),
});

export const legacyTraceSchema = z
  .object({
    traceID: legacyIdSchema,
    spans: z.array(legacySpanSchema),
    processes: z.record(z.string(), legacyProcessSchema),
    warnings: z.array(z.string()).nullish(),
  })
  .superRefine((trace, ctx) => {
    trace.spans.forEach((span, index) => {
      if (!Object.hasOwn(trace.processes, span.processID)) {
        ctx.addIssue({
          code: 'custom',
          message: `processID "${span.processID}" is not in this trace's processes`,
          path: ['spans', index, 'processID'],
        });
      }
    });
  });

/** One entry of the envelope's `errors` (multi-get reports missing IDs here with status 200). */
export const legacyErrorItemSchema = z.object({
  code: z.number().optional(),
  msg: z.string(),
  traceID: z.string().optional(),
});

const legacyEnvelopeFields = {
  total: z.number().optional(),
  limit: z.number().optional(),
  offset: z.number().optional(),
  errors: z.array(legacyErrorItemSchema).nullish(),
};

/** `data` is `null` rather than `[]` when a list is empty (jaeger-api.md §2.2, §7a). */
const nullableList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullable()
    .transform((list) => list ?? []);

/** `GET /api/traces` (search or multi-get) and `GET /api/traces/{id}`. */
export const legacyTracesResponseSchema = z.object({
  data: nullableList(legacyTraceSchema),
  ...legacyEnvelopeFields,
});

/** `GET /api/services`. */
export const legacyServicesResponseSchema = z.object({ data: nullableList(z.string()), ...legacyEnvelopeFields });

/** `GET /api/services/{service}/operations`: names only. */
export const legacyServiceOperationsResponseSchema = z.object({
  data: nullableList(z.string()),
  ...legacyEnvelopeFields,
});

/** `GET /api/operations?service=S`: `spanKind` is `""` when unspecified (jaeger-api.md §2.3). */
export const legacyOperationsResponseSchema = z.object({
  data: nullableList(z.object({ name: z.string(), spanKind: z.string().default('') })),
  ...legacyEnvelopeFields,
});

/**
 * Go's `http.Error` writes this as text/plain with a trailing newline (JQ/http_handler.go
 * `handleError`), so parse the body as JSON whatever the content type says.
 */
export const legacyErrorBodySchema = z.object({
  data: z.null().optional(),
  errors: z.array(legacyErrorItemSchema).min(1),
});

// ---------------------------------------------------------------------------------------------
// api_v3 (/api/v3/…): OTLP-JSON from ptrace.JSONMarshaler (jaeger:internal/jptrace/traces.go)
// ---------------------------------------------------------------------------------------------

/** The OTLP/JSON spec lets int64 be a decimal string (what Go's marshaler writes) or a number. */
const int64Schema = z.union([z.string().regex(/^-?\d{1,20}$/, 'expected a decimal int64'), z.number().int()]);
/** Unix nanoseconds: non-negative; a string of digits on the wire. */
const unixNanoSchema = z.union([
  z.string().regex(/^\d{1,20}$/, 'expected unix nanoseconds as a decimal string'),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]);
/** zod runs refinements even when a field already failed, so convert only what is well-formed. */
function unixNanoBigInt(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  return null;
}
const hexId = (hexChars: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${hexChars}}$`), `expected ${hexChars} hex characters`);
/** Protobuf enums may arrive as their number (what Go writes) or their name. */
const enumSchema = z.union([z.number().int(), z.string()]);

export interface V3AnyValue {
  stringValue?: string | undefined;
  boolValue?: boolean | undefined;
  intValue?: string | number | undefined;
  doubleValue?: number | string | undefined;
  bytesValue?: string | undefined;
  arrayValue?: { values?: V3AnyValue[] | null | undefined } | undefined;
  kvlistValue?: { values?: V3KeyValue[] | null | undefined } | undefined;
}
export interface V3KeyValue {
  key: string;
  value?: V3AnyValue | null | undefined;
}

/**
 * How many arrayValue/kvlistValue levels may nest inside one attribute value. OTLP sets no limit, but
 * an attribute nested 100k deep would overflow the stack of any recursive reader (zod's, the
 * converter's in normalize-otlp.ts); real attributes nest a few levels. A deeper value is refused as
 * a bad response (a bad upload), never a crash. normalize-otlp.ts applies the same bound.
 */
export const MAX_ANY_VALUE_DEPTH = 32;

const tooDeep = z.custom<never>(() => false, { message: `expected attribute values nested at most ${MAX_ANY_VALUE_DEPTH} levels deep` });

/**
 * The AnyValue and KeyValue schemas of a top-level attribute, built level by level from the deepest
 * (where one more array or map is refused) up, without z.lazy: zod then never recurses more than
 * MAX_ANY_VALUE_DEPTH + 1 levels, whatever the input.
 */
function anyValueSchemas(): { anyValue: z.ZodType<V3AnyValue>; keyValue: z.ZodType<V3KeyValue> } {
  let inner: { anyValue: z.ZodType<V3AnyValue>; keyValue: z.ZodType<V3KeyValue> } | null = null;
  for (let depth = MAX_ANY_VALUE_DEPTH; depth >= 0; depth--) {
    const anyValue: z.ZodType<V3AnyValue> = z.object({
      stringValue: z.string().optional(),
      boolValue: z.boolean().optional(),
      intValue: int64Schema.optional(),
      // proto-JSON writes non-finite doubles as these strings.
      doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
      bytesValue: z.string().optional(),
      arrayValue: (inner ? z.object({ values: z.array(inner.anyValue).nullish() }) : tooDeep).optional(),
      kvlistValue: (inner ? z.object({ values: z.array(inner.keyValue).nullish() }) : tooDeep).optional(),
    });
    inner = { anyValue, keyValue: z.object({ key: z.string(), value: anyValue.nullish() }) };
  }
  return inner as { anyValue: z.ZodType<V3AnyValue>; keyValue: z.ZodType<V3KeyValue> };
}

/** An attribute, `{key, value}`, its value nested at most MAX_ANY_VALUE_DEPTH levels. */
export const v3KeyValueSchema: z.ZodType<V3KeyValue> = anyValueSchemas().keyValue;

const v3AttributesSchema = z.array(v3KeyValueSchema).nullish();

export const v3SpanSchema = z
  .object({
    traceId: hexId(32),
    spanId: hexId(16),
    /** `""` or absent for a root. */
    parentSpanId: z.union([z.literal(''), hexId(16)]).optional(),
    traceState: z.string().optional(),
    name: z.string(),
    kind: enumSchema.optional(),
    startTimeUnixNano: unixNanoSchema,
    endTimeUnixNano: unixNanoSchema,
    attributes: v3AttributesSchema,
    events: z.array(z.object({ timeUnixNano: unixNanoSchema, name: z.string().optional(), attributes: v3AttributesSchema })).nullish(),
    links: z
      .array(
        z.object({
          traceId: hexId(32),
          spanId: hexId(16),
          traceState: z.string().optional(),
          attributes: v3AttributesSchema,
        }),
      )
      .nullish(),
    status: z.object({ code: enumSchema.optional(), message: z.string().optional() }).nullish(),
  })
  .superRefine((span, ctx) => {
    // The duration is end − start in ns; a negative one has no meaning (Jaeger stores it unsigned).
    const start = unixNanoBigInt(span.startTimeUnixNano);
    const end = unixNanoBigInt(span.endTimeUnixNano);
    if (start !== null && end !== null && end < start) {
      ctx.addIssue({ code: 'custom', message: 'the span ends before it starts', path: ['endTimeUnixNano'] });
    }
  });

export const v3ScopeSpansSchema = z.object({
  scope: z.object({ name: z.string().optional(), version: z.string().optional() }).nullish(),
  spans: z.array(v3SpanSchema).nullish(),
});

export const v3ResourceSpansSchema = z.object({
  resource: z.object({ attributes: v3AttributesSchema }).nullish(),
  scopeSpans: z.array(v3ScopeSpansSchema).nullish(),
});

/**
 * `GET /api/v3/traces` and `/api/v3/traces/{id}`: every matched trace in one flat list
 * (jaeger-api.md §4). An empty search is a 404, but proto-JSON omits empty lists, so `{}` and
 * `{"result":{}}` are read as no traces.
 */
export const v3TracesResponseSchema = z.object({
  result: z
    .object({ resourceSpans: z.array(v3ResourceSpansSchema).nullish() })
    .nullish()
    .transform((result) => ({ resourceSpans: result?.resourceSpans ?? [] })),
});

/** `GET /api/v3/services`: `{}` when empty (proto-JSON leaves out empty lists). */
export const v3ServicesResponseSchema = z.object({
  services: z
    .array(z.string())
    .nullish()
    .transform((list) => list ?? []),
});

/** `GET /api/v3/operations`: `{}` when empty; an unspecified kind is reported as `internal`. */
export const v3OperationsResponseSchema = z.object({
  operations: z
    .array(z.object({ name: z.string(), spanKind: z.string().default('') }))
    .nullish()
    .transform((list) => list ?? []),
});

/** grpc-gateway's error body (api_v3 `GRPCGatewayError`), e.g. 404 "No traces found". */
export const v3ErrorBodySchema = z.object({
  error: z.object({ httpCode: z.number().int().optional(), message: z.string() }),
});

/** `data[3].spans[0].duration` from a zod issue path: the form JaegerBadResponseError.field uses. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
