/**
 * Every Jaeger trace response (legacy `/api/traces` JSON, `/api/v3` OTLP-JSON) → the one flat
 * `Span`/`Trace` record of lib/jaeger/span.ts (design §2).
 *
 * Why hand-written checks instead of `schema.parse` on the hot path: the aggregation target is
 * bytes→metrics within 1.15× of a bare `JSON.parse` of the same bytes (design §8). Running zod over
 * ~200k spans allocates a fresh object per span, tag and log and costs several times the parse
 * itself. So the loops below test exactly the fields they read with `typeof` and reuse the parsed
 * tag arrays as they are. Only when a check fails do they run the zod schema of lib/jaeger/schemas.ts
 * over the response, which names the exact field (`data[3].spans[0].duration`) for
 * JaegerBadResponseError. The two accept the same inputs; normalize.test.ts fuzzes that agreement.
 */
import { JaegerBadResponseError } from './errors.ts';
import { formatIssuePath, legacyTracesResponseSchema, v3TracesResponseSchema } from './schemas.ts';
import type { KeyValue, Span, SpanKind, SpanLog, SpanReference, Trace } from './span.ts';

/** Internal: a fast-path check failed; `normalize*` turns it into JaegerBadResponseError. */
class ShapeMismatch extends Error {}

const EMPTY: readonly never[] = Object.freeze([]);
const ZEROS = '00000000000000000000000000000000';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds no path on the hot path: on failure the zod schema names the field (see the top comment). */
function fail(detail: string): never {
  throw new ShapeMismatch(detail);
}

/** Per ASCII code: 1 = lowercase hex digit, 2 = uppercase hex digit, 0 = anything else. */
const HEX_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) HEX_CLASS[c] = 1;
for (let c = 97; c <= 102; c++) HEX_CLASS[c] = 1;
for (let c = 65; c <= 70; c++) HEX_CLASS[c] = 2;

/** 0 = not hex, 1 = lowercase hex, 2 = hex with some uppercase. */
function hexClass(id: string): 0 | 1 | 2 {
  let seen = 1;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const cls = c < 128 ? (HEX_CLASS[c] as number) : 0;
    if (cls === 0) return 0;
    seen |= cls;
  }
  return seen === 1 ? 1 : 2;
}

/**
 * Hex IDs become lowercase and are left-padded to `width` (32 for traces, 16 for spans): legacy
 * sends 16-character trace IDs when the upper 64 bits are zero (jaeger-idl model/v1/ids.go) while
 * v3 always sends 32, and trimmed exports drop leading zeros (jaeger-ui's stats fixtures).
 * Jaeger's own TraceIDFromString/SpanIDFromString pad the same way. Anything else (`trace-123`
 * in hand-written files) is kept as sent so references still join.
 */
export function normalizeId(id: string, width: 16 | 32): string {
  const cls = id.length > 0 && id.length <= width ? hexClass(id) : 0;
  if (cls === 0) return id;
  const lower = cls === 2 ? id.toLowerCase() : id;
  return lower.length === width ? lower : ZEROS.slice(0, width - lower.length) + lower;
}

const SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};

function httpStatus(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

const KIND_BITS: Readonly<Record<SpanKind, number>> = {
  server: 1,
  client: 2,
  producer: 3,
  consumer: 4,
  internal: 5,
};
const KIND_BY_BITS: readonly (SpanKind | null)[] = [null, 'server', 'client', 'producer', 'consumer', 'internal'];
const ERROR_BIT = 8;

/**
 * Span kind and the error rule of design §2, read from the final tag list so that legacy spans and
 * v3 spans (whose status and kind were first turned into the same tags) are judged identically.
 * Returns `kindBits | ERROR_BIT` to stay allocation-free. The first `span.kind` tag wins.
 */
function classifyTags(tags: readonly KeyValue[]): number {
  let kind = 0;
  let errorTag = false;
  let status = 0;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as KeyValue;
    const key = tag.key;
    // Switch on length first: most keys differ in length from all five, so one integer compare rejects them.
    switch (key.length) {
      case 5:
        if (key === 'error' && (tag.value === true || tag.value === 'true')) errorTag = true;
        break;
      case 9:
        if (key === 'span.kind' && kind === 0 && typeof tag.value === 'string') {
          const known = SPAN_KINDS[tag.value];
          if (known !== undefined && Object.hasOwn(SPAN_KINDS, tag.value)) kind = KIND_BITS[known];
        }
        break;
      case 16:
        if (key === 'otel.status_code') {
          if (tag.value === 'ERROR') errorTag = true;
        } else if (key === 'http.status_code') {
          status = httpStatus(tag.value);
        }
        break;
      case 25:
        if (key === 'http.response.status_code') status = httpStatus(tag.value);
        break;
      default:
        break;
    }
  }
  const serverError = kind === KIND_BITS.server && status >= 500;
  return kind | (errorTag || serverError ? ERROR_BIT : 0);
}

function toError(
  cause: ShapeMismatch,
  json: unknown,
  schema: typeof legacyTracesResponseSchema | typeof v3TracesResponseSchema,
): JaegerBadResponseError {
  const result = schema.safeParse(json);
  const issue = result.success ? undefined : result.error.issues[0];
  if (issue === undefined) return new JaegerBadResponseError(cause.message, null, cause);
  return new JaegerBadResponseError(issue.message, formatIssuePath(issue.path) || null, result.error);
}

function run<T>(json: unknown, schema: typeof legacyTracesResponseSchema | typeof v3TracesResponseSchema, body: (json: unknown) => T): T {
  try {
    return body(json);
  } catch (error) {
    if (error instanceof ShapeMismatch) throw toError(error, json, schema);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Legacy JSON (jaeger-api.md §3)
// ---------------------------------------------------------------------------------------------

function isMicroseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks a legacy tag list and returns it unchanged when every tag is already a `KeyValue` (the
 * common case: no copy). A `bool` tag whose value is the string "true"/"false" (Jaeger and Zipkin
 * SDKs, jaeger-api.md §3) gets a corrected copy.
 */
function legacyTags(raw: unknown): readonly KeyValue[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw)) fail('expected an array of tags');
  let fixed: KeyValue[] | null = null;
  for (let i = 0; i < raw.length; i++) {
    const tag: unknown = raw[i];
    if (!isObject(tag)) fail('expected a tag object');
    if (typeof tag.key !== 'string') fail('expected a string');
    const value = tag.value;
    const type = typeof value;
    if (type === 'string') {
      if (tag.type === 'bool' && (value === 'true' || value === 'false')) {
        fixed ??= raw.slice() as KeyValue[];
        fixed[i] = { ...tag, key: tag.key, value: value === 'true' };
      }
    } else if (type !== 'number' && type !== 'boolean') {
      fail('expected a string, number or boolean');
    }
    if (tag.type !== undefined && typeof tag.type !== 'string') fail('expected a string');
  }
  return fixed ?? (raw as KeyValue[]);
}

function legacyStrings(raw: unknown): readonly string[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw)) fail('expected an array of strings');
  for (let i = 0; i < raw.length; i++) if (typeof raw[i] !== 'string') fail('expected a string');
  return raw as string[];
}

function legacyId(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) fail('expected a non-empty ID');
  return raw;
}

interface Process {
  readonly service: string;
  readonly tags: readonly KeyValue[];
}

function legacyProcesses(raw: unknown): Map<string, Process> {
  if (!isObject(raw)) fail('expected an object of processes');
  const processes = new Map<string, Process>();
  for (const id of Object.keys(raw)) {
    const process = raw[id];
    if (!isObject(process)) fail('expected a process object');
    if (typeof process.serviceName !== 'string') fail('expected a string');
    processes.set(id, { service: process.serviceName, tags: legacyTags(process.tags) });
  }
  return processes;
}

function legacyReferences(raw: unknown, rawTraceId: string, traceId: string): readonly SpanReference[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw)) fail('expected an array of references');
  if (raw.length === 0) return EMPTY;
  const refs = new Array<SpanReference>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const ref: unknown = raw[i];
    if (!isObject(ref)) fail('expected a reference object');
    const refType = ref.refType;
    if (refType !== 'CHILD_OF' && refType !== 'FOLLOWS_FROM') fail('expected CHILD_OF or FOLLOWS_FROM');
    const refTrace = legacyId(ref.traceID);
    const refSpan = legacyId(ref.spanID);
    refs[i] = {
      refType,
      traceId: refTrace === rawTraceId ? traceId : normalizeId(refTrace, 32),
      spanId: normalizeId(refSpan, 16),
    };
  }
  return refs;
}

function legacyLogs(raw: unknown): readonly SpanLog[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw)) fail('expected an array of logs');
  if (raw.length === 0) return EMPTY;
  const logs = new Array<SpanLog>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const log: unknown = raw[i];
    if (!isObject(log)) fail('expected a log object');
    if (!isMicroseconds(log.timestamp)) fail('expected µs since the epoch');
    logs[i] = { timestampUs: log.timestamp, fields: legacyTags(log.fields) };
  }
  return logs;
}

/** The first CHILD_OF reference, else the first reference (design §2). */
function parentOf(references: readonly SpanReference[]): string | null {
  for (let i = 0; i < references.length; i++) {
    const ref = references[i] as SpanReference;
    if (ref.refType === 'CHILD_OF') return ref.spanId;
  }
  return references.length > 0 ? (references[0] as SpanReference).spanId : null;
}

function legacyTrace(raw: unknown): Trace {
  if (!isObject(raw)) fail('expected a trace object');
  const rawTraceId = legacyId(raw.traceID);
  const traceId = normalizeId(rawTraceId, 32);
  const rawSpans = raw.spans;
  if (!Array.isArray(rawSpans)) fail('expected an array of spans');
  const processes = legacyProcesses(raw.processes);
  const spans = new Array<Span>(rawSpans.length);
  for (let j = 0; j < rawSpans.length; j++) {
    const s: unknown = rawSpans[j];
    if (!isObject(s)) fail('expected a span object');
    const spanTrace = legacyId(s.traceID);
    const spanId = legacyId(s.spanID);
    if (typeof s.operationName !== 'string') fail('expected a string');
    if (!isMicroseconds(s.startTime)) fail('expected µs since the epoch');
    if (!isMicroseconds(s.duration)) fail('expected a non-negative integer of µs');
    if (typeof s.processID !== 'string') fail('expected a string');
    const process = processes.get(s.processID);
    if (process === undefined) fail(`processID "${s.processID}" is not in this trace's processes`);
    const references = legacyReferences(s.references, rawTraceId, traceId);
    const tags = legacyTags(s.tags);
    const classified = classifyTags(tags);
    spans[j] = {
      traceId: spanTrace === rawTraceId ? traceId : normalizeId(spanTrace, 32),
      spanId: normalizeId(spanId, 16),
      parentSpanId: parentOf(references),
      references,
      service: process.service,
      operation: s.operationName,
      kind: KIND_BY_BITS[classified & 7] ?? null,
      startUs: s.startTime,
      durationUs: s.duration,
      error: (classified & ERROR_BIT) !== 0,
      tags,
      processTags: process.tags,
      logs: legacyLogs(s.logs),
      warnings: legacyStrings(s.warnings),
    };
  }
  return { traceId, spans, warnings: legacyStrings(raw.warnings) };
}

function legacyTracesFast(json: unknown): Trace[] {
  if (!isObject(json)) fail('expected a JSON object with `data`');
  const data = json.data;
  // Jaeger writes `data: null` for an empty list (jaeger-api.md §7a).
  if (data === null) return [];
  if (!Array.isArray(data)) fail('expected an array of traces');
  const traces = new Array<Trace>(data.length);
  for (let i = 0; i < data.length; i++) traces[i] = legacyTrace(data[i]);
  return traces;
}

/** `GET /api/traces` (search, multi-get) or `/api/traces/{id}` → traces. Throws JaegerBadResponseError. */
export function normalizeLegacyTraces(json: unknown): Trace[] {
  return run(json, legacyTracesResponseSchema, legacyTracesFast);
}

// ---------------------------------------------------------------------------------------------
// OTLP-JSON (/api/v3), turned into exactly the spans Jaeger's own legacy translation gives
// (collector-contrib pkg/translator/jaeger/traces_to_jaegerproto.go, via jaeger v1adapter)
// ---------------------------------------------------------------------------------------------

/** Jaeger keeps adjuster warnings in this span attribute (jaeger internal/jptrace/attributes.go). */
const WARNINGS_ATTRIBUTE = '@jaeger@warnings';
const V3_KINDS: readonly (SpanKind | null)[] = [null, 'internal', 'server', 'client', 'producer', 'consumer'];
const V3_KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const V3_STATUS_NAMES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const INT64 = /^-?\d{1,20}$/;
const UNIX_NANO = /^\d{1,20}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX16 = /^[0-9a-fA-F]{16}$/;

function enumValue(raw: unknown, names: Readonly<Record<string, number>>): number {
  if (raw === undefined) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string') return Object.hasOwn(names, raw) ? (names[raw] as number) : 0;
  return fail('expected an enum number or name');
}

function unixNano(raw: unknown): bigint {
  if (typeof raw === 'string' && UNIX_NANO.test(raw)) return BigInt(raw);
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  return fail('expected unix nanoseconds');
}

function v3Hex(raw: unknown, pattern: RegExp, width: 16 | 32): string {
  if (typeof raw !== 'string' || !pattern.test(raw)) fail(`expected ${width} hex characters`);
  return normalizeId(raw, width);
}

/** Go's encoding/json escapes these inside strings (HTML-safe by default); match it byte for byte. */
const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
function goJsonString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/**
 * An OTLP array or map attribute as the JSON text Jaeger's translator writes for it
 * (pcommon `Value.AsString`: `json.Marshal(v.AsRaw())`, so map keys come out sorted and bytes as
 * base64). Builds the text by hand so int64 strings keep every digit.
 */
function rawJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (!isObject(value)) fail('an attribute value is not an AnyValue object');
  if (value.arrayValue !== undefined) {
    return `[${listOf(value.arrayValue).map(rawJson).join(',')}]`;
  }
  if (value.kvlistValue !== undefined) {
    // Go marshals a map with its keys sorted; a repeated key keeps its last value.
    const byKey = new Map<string, string>();
    for (const kv of listOf(value.kvlistValue)) {
      if (!isObject(kv) || typeof kv.key !== 'string') fail('a kvlistValue entry is not {key, value}');
      byKey.set(kv.key, rawJson(kv.value));
    }
    const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${goJsonString(k)}:${byKey.get(k) as string}`).join(',')}}`;
  }
  const tag = v3Tag('', value);
  // int64 text keeps every digit (BigInt-safe); a non-finite double is a quoted string, as in proto-JSON.
  if (tag.type === 'int64' || tag.type === 'bool' || (tag.type === 'float64' && typeof tag.value === 'number')) {
    return String(tag.value);
  }
  if (tag.type === 'string' && value.stringValue === undefined) return 'null';
  return goJsonString(String(tag.value));
}

function listOf(container: unknown): readonly unknown[] {
  if (!isObject(container)) fail('expected an object with `values`');
  const values = container.values;
  if (values === undefined || values === null) return EMPTY;
  if (!Array.isArray(values)) fail('expected an array');
  return values;
}

/** One OTLP attribute → the legacy tag Jaeger's translator makes of it (`attributeToJaegerProtoTag`). */
function v3Tag(key: string, value: unknown): KeyValue & { readonly type: string } {
  if (value === undefined || value === null) return { key, type: 'string', value: '' };
  if (!isObject(value)) fail('expected an AnyValue object');
  if (value.stringValue !== undefined) {
    if (typeof value.stringValue !== 'string') fail('expected a string');
    return { key, type: 'string', value: value.stringValue };
  }
  if (value.boolValue !== undefined) {
    if (typeof value.boolValue !== 'boolean') fail('expected a boolean');
    return { key, type: 'bool', value: value.boolValue };
  }
  if (value.intValue !== undefined) {
    const n = value.intValue;
    // Legacy JSON sends int64 as a number when it fits in a double exactly, else as a string (§3).
    if (typeof n === 'string' && INT64.test(n)) {
      const asNumber = Number(n);
      return { key, type: 'int64', value: Number.isSafeInteger(asNumber) ? asNumber : BigInt(n).toString() };
    }
    if (typeof n === 'number' && Number.isInteger(n)) return { key, type: 'int64', value: n };
    fail('expected a decimal int64');
  }
  if (value.doubleValue !== undefined) {
    const d = value.doubleValue;
    if (typeof d === 'number' || d === 'NaN' || d === 'Infinity' || d === '-Infinity') return { key, type: 'float64', value: d };
    fail('expected a number');
  }
  if (value.bytesValue !== undefined) {
    if (typeof value.bytesValue !== 'string') fail('expected base64 text');
    return { key, type: 'binary', value: value.bytesValue };
  }
  if (value.arrayValue !== undefined || value.kvlistValue !== undefined) {
    return { key, type: 'string', value: rawJson(value) };
  }
  return { key, type: 'string', value: '' };
}

function v3Attributes(raw: unknown, into: KeyValue[], skip: string | null): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) fail('expected an array of attributes');
  for (let i = 0; i < raw.length; i++) {
    const attr: unknown = raw[i];
    if (!isObject(attr) || typeof attr.key !== 'string') fail('expected {key, value}');
    if (attr.key === skip) continue;
    into.push(v3Tag(attr.key, attr.value));
  }
}

interface V3Resource {
  readonly service: string;
  readonly tags: readonly KeyValue[];
}

function v3Resource(raw: unknown): V3Resource {
  if (raw === undefined || raw === null) return { service: NO_SERVICE_NAME, tags: EMPTY };
  if (!isObject(raw)) fail('expected a resource object');
  const attrs = raw.attributes;
  let service = NO_SERVICE_NAME;
  if (Array.isArray(attrs)) {
    for (const attr of attrs) {
      if (isObject(attr) && attr.key === 'service.name' && isObject(attr.value) && typeof attr.value.stringValue === 'string') {
        service = attr.value.stringValue;
      }
    }
  }
  const tags: KeyValue[] = [];
  v3Attributes(attrs, tags, 'service.name');
  return { service, tags };
}

/** What Jaeger's translator calls a resource with no `service.name` (traces_to_jaegerproto.go). */
const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

function v3Warnings(raw: unknown): readonly string[] {
  if (!Array.isArray(raw)) return EMPTY;
  for (const attr of raw) {
    if (isObject(attr) && attr.key === WARNINGS_ATTRIBUTE && isObject(attr.value) && isObject(attr.value.arrayValue)) {
      const values = attr.value.arrayValue.values;
      if (!Array.isArray(values)) return EMPTY;
      return values.map((v) => (isObject(v) && typeof v.stringValue === 'string' ? v.stringValue : JSON.stringify(v)));
    }
  }
  return EMPTY;
}

function v3Span(raw: unknown, resource: V3Resource, scopeTags: readonly KeyValue[]): Span {
  if (!isObject(raw)) fail('expected a span object');
  const traceId = v3Hex(raw.traceId, HEX32, 32);
  const spanId = v3Hex(raw.spanId, HEX16, 16);
  const parentRaw = raw.parentSpanId;
  const parentSpanId = parentRaw === undefined || parentRaw === '' ? null : v3Hex(parentRaw, HEX16, 16);
  if (typeof raw.name !== 'string') fail('expected a string');
  const startNs = unixNano(raw.startTimeUnixNano);
  const endNs = unixNano(raw.endTimeUnixNano);
  if (endNs < startNs) fail('ends before it starts');
  const kindNumber = enumValue(raw.kind, V3_KIND_NAMES);
  const kind = V3_KINDS[kindNumber] ?? null;
  let statusCode = 0;
  let statusMessage = '';
  if (raw.status !== undefined && raw.status !== null) {
    if (!isObject(raw.status)) fail('expected a status object');
    statusCode = enumValue(raw.status.code, V3_STATUS_NAMES);
    if (raw.status.message !== undefined) {
      if (typeof raw.status.message !== 'string') fail('expected a string');
      statusMessage = raw.status.message;
    }
  }
  if (raw.traceState !== undefined && typeof raw.traceState !== 'string') fail('expected a string');

  // The tags getJaegerProtoSpanTags adds: scope, attributes, span.kind, otel.status_code, error,
  // otel.status_description (whatever the code), w3c.tracestate; then sorted by key as the legacy
  // API returns them (checked on Jaeger v2.13 with the same spans fetched through both APIs).
  const tags: KeyValue[] = scopeTags.slice();
  v3Attributes(raw.attributes, tags, WARNINGS_ATTRIBUTE);
  if (kind !== null) tags.push({ key: 'span.kind', type: 'string', value: kind } as KeyValue);
  if (statusCode === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' } as KeyValue);
  if (statusCode === 2) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' } as KeyValue);
    tags.push({ key: 'error', type: 'bool', value: true } as KeyValue);
  }
  if (statusMessage !== '') tags.push({ key: 'otel.status_description', type: 'string', value: statusMessage } as KeyValue);
  if (typeof raw.traceState === 'string' && raw.traceState !== '') {
    tags.push({ key: 'w3c.tracestate', type: 'string', value: raw.traceState } as KeyValue);
  }

  const references: SpanReference[] = [];
  if (parentSpanId !== null) references.push({ refType: 'CHILD_OF', traceId, spanId: parentSpanId });
  const links = raw.links;
  if (links !== undefined && links !== null) {
    if (!Array.isArray(links)) fail('expected an array of links');
    for (let i = 0; i < links.length; i++) {
      const link: unknown = links[i];
      if (!isObject(link)) fail('expected a link object');
      references.push({
        refType: linkRefType(link.attributes),
        traceId: v3Hex(link.traceId, HEX32, 32),
        spanId: v3Hex(link.spanId, HEX16, 16),
      });
    }
  }

  const logs: SpanLog[] = [];
  const events = raw.events;
  if (events !== undefined && events !== null) {
    if (!Array.isArray(events)) fail('expected an array of events');
    for (let i = 0; i < events.length; i++) {
      const event: unknown = events[i];
      if (!isObject(event)) fail('expected an event object');
      const timeNs = unixNano(event.timeUnixNano);
      if (event.name !== undefined && typeof event.name !== 'string') fail('expected a string');
      const fields: KeyValue[] = [];
      // spanEventsToJaegerProtoLogs: the event name first, as `event`, unless an attribute has that key.
      const hasEventAttribute = Array.isArray(event.attributes) && event.attributes.some((a) => isObject(a) && a.key === 'event');
      if (typeof event.name === 'string' && event.name !== '' && !hasEventAttribute) {
        fields.push({ key: 'event', type: 'string', value: event.name } as KeyValue);
      }
      v3Attributes(event.attributes, fields, null);
      logs.push({ timestampUs: Number(timeNs / 1000n), fields });
    }
  }

  tags.sort(byKey);
  // Legacy logs come in time order; v3 lists events in its own order (by name on v2.13).
  logs.sort(byTimestamp);
  const classified = classifyTags(tags);
  return {
    traceId,
    spanId,
    parentSpanId: parentOf(references),
    references,
    service: resource.service,
    operation: raw.name,
    kind: KIND_BY_BITS[classified & 7] ?? null,
    // Design §2: ⌊start/1000⌋ and ⌊(end−start)/1000⌋ in BigInt, exactly Jaeger's own conversion.
    startUs: Number(startNs / 1000n),
    durationUs: Number((endNs - startNs) / 1000n),
    error: (classified & ERROR_BIT) !== 0,
    tags,
    processTags: resource.tags,
    logs: logs.length === 0 ? EMPTY : logs,
    warnings: v3Warnings(raw.attributes),
  };
}

function byKey(a: KeyValue, b: KeyValue): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function byTimestamp(a: SpanLog, b: SpanLog): number {
  return a.timestampUs - b.timestampUs;
}

/** A link marked `opentracing.ref_type=child_of` stays CHILD_OF; every other link is FOLLOWS_FROM. */
function linkRefType(attributes: unknown): SpanReference['refType'] {
  if (Array.isArray(attributes)) {
    for (const attr of attributes) {
      if (isObject(attr) && attr.key === 'opentracing.ref_type' && isObject(attr.value) && attr.value.stringValue === 'child_of') {
        return 'CHILD_OF';
      }
    }
  }
  return 'FOLLOWS_FROM';
}

function v3ScopeTags(raw: unknown): readonly KeyValue[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!isObject(raw)) fail('expected a scope object');
  const tags: KeyValue[] = [];
  if (raw.name !== undefined && typeof raw.name !== 'string') fail('expected a string');
  if (raw.version !== undefined && typeof raw.version !== 'string') fail('expected a string');
  if (typeof raw.name === 'string' && raw.name !== '') tags.push({ key: 'otel.scope.name', type: 'string', value: raw.name } as KeyValue);
  if (typeof raw.version === 'string' && raw.version !== '') {
    tags.push({ key: 'otel.scope.version', type: 'string', value: raw.version } as KeyValue);
  }
  return tags;
}

function v3TracesFast(json: unknown): Trace[] {
  if (!isObject(json)) fail('expected a JSON object with `result`');
  const result = json.result;
  if (result === undefined || result === null) return [];
  if (!isObject(result)) fail('expected an object');
  const resourceSpans = result.resourceSpans;
  if (resourceSpans === undefined || resourceSpans === null) return [];
  if (!Array.isArray(resourceSpans)) fail('expected an array');
  // One flat list for every matched trace (jaeger-api.md §4): group by trace ID, first seen first.
  const byTrace = new Map<string, Span[]>();
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs: unknown = resourceSpans[r];
    if (!isObject(rs)) fail('expected a resourceSpans object');
    const resource = v3Resource(rs.resource);
    const scopeSpans = rs.scopeSpans;
    if (scopeSpans === undefined || scopeSpans === null) continue;
    if (!Array.isArray(scopeSpans)) fail('expected an array');
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss: unknown = scopeSpans[s];
      if (!isObject(ss)) fail('expected a scopeSpans object');
      const scopeTags = v3ScopeTags(ss.scope);
      const spans = ss.spans;
      if (spans === undefined || spans === null) continue;
      if (!Array.isArray(spans)) fail('expected an array of spans');
      for (let k = 0; k < spans.length; k++) {
        const span = v3Span(spans[k], resource, scopeTags);
        const list = byTrace.get(span.traceId);
        if (list === undefined) byTrace.set(span.traceId, [span]);
        else list.push(span);
      }
    }
  }
  const traces: Trace[] = [];
  for (const [traceId, spans] of byTrace) traces.push({ traceId, spans, warnings: EMPTY });
  return traces;
}

/** `GET /api/v3/traces` or `/api/v3/traces/{id}` → traces. Throws JaegerBadResponseError. */
export function normalizeV3Traces(json: unknown): Trace[] {
  return run(json, v3TracesResponseSchema, v3TracesFast);
}

/** Either format, told apart by its envelope (`data` vs `result`); for files and uploads. */
export function normalizeTracesResponse(json: unknown): { format: 'legacy' | 'v3'; traces: Trace[] } {
  if (isObject(json) && 'result' in json && !('data' in json)) return { format: 'v3', traces: normalizeV3Traces(json) };
  if (isObject(json) && 'data' in json) return { format: 'legacy', traces: normalizeLegacyTraces(json) };
  throw new JaegerBadResponseError('expected a Jaeger trace response: an object with `data` (legacy) or `result` (api_v3)');
}
