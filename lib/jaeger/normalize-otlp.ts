/**
 * `/api/v3` OTLP-JSON → spans, the fast path of `normalizeV3Traces` (normalize.ts): it throws
 * ShapeMismatch, which normalize.ts turns into JaegerBadResponseError naming the field.
 */
import { EMPTY, fail, isObject, normalizeId, parentOf } from './normalize-common.ts';
import type { KeyValue, Span, SpanKind, SpanLog, SpanReference, Trace } from './span.ts';
import { classifiedError, classifiedKind, classifyTags } from './span-classify.ts';
import { compareCodeUnits } from './span-rules.ts';

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
    const keys = [...byKey.keys()].sort(compareCodeUnits);
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
  if (kind !== null) tags.push({ key: 'span.kind', type: 'string', value: kind });
  if (statusCode === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  if (statusCode === 2) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (statusMessage !== '') tags.push({ key: 'otel.status_description', type: 'string', value: statusMessage });
  if (typeof raw.traceState === 'string' && raw.traceState !== '') {
    tags.push({ key: 'w3c.tracestate', type: 'string', value: raw.traceState });
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
        fields.push({ key: 'event', type: 'string', value: event.name });
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
    kind: classifiedKind(classified),
    // Design §2: ⌊start/1000⌋ and ⌊(end−start)/1000⌋ in BigInt, exactly Jaeger's own conversion.
    startUs: Number(startNs / 1000n),
    durationUs: Number((endNs - startNs) / 1000n),
    error: classifiedError(classified),
    tags,
    processTags: resource.tags,
    logs: logs.length === 0 ? EMPTY : logs,
    warnings: v3Warnings(raw.attributes),
  };
}

function byKey(a: KeyValue, b: KeyValue): number {
  return compareCodeUnits(a.key, b.key);
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
  if (typeof raw.name === 'string' && raw.name !== '') tags.push({ key: 'otel.scope.name', type: 'string', value: raw.name });
  if (typeof raw.version === 'string' && raw.version !== '') {
    tags.push({ key: 'otel.scope.version', type: 'string', value: raw.version });
  }
  return tags;
}

export function v3TracesFast(json: unknown): Trace[] {
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
