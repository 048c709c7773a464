/**
 * `/api/v3` OTLP-JSON → spans, the fast path of `normalizeV3Traces` (normalize.ts): it throws
 * ShapeMismatch, which normalize.ts turns into JaegerBadResponseError naming the field.
 */
import { EMPTY, exactHexId, fail, isObject, parentOf, type JsonObject } from './normalize-common.ts';
import { MAX_ANY_VALUE_DEPTH } from './schemas.ts';
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

function enumValue(raw: unknown, names: Readonly<Record<string, number>>): number {
  if (raw === undefined) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string') return Object.hasOwn(names, raw) ? (names[raw] as number) : 0;
  return fail('expected an enum number or name');
}

// ---------------------------------------------------------------------------------------------
// Unix nanoseconds → µs (design §2: start µs = ⌊start/1000⌋, duration µs = ⌊(end−start)/1000⌋,
// exactly). A nanosecond value is read as its whole µs (every digit but the last 3) and its sub-µs
// part (the last 3 digits, 0–999), both exact doubles while the µs part is a safe integer (up to
// year 2255 for a 19-digit value). Then ⌊(end−start)/1000⌋ = endUs − startUs − (endSub < startSub ? 1 : 0).
// Only values beyond that are converted in BigInt, as Jaeger does.
// ---------------------------------------------------------------------------------------------

/** What `readUnixNano` read last: whole µs and the sub-µs nanoseconds (module state: no allocation per span). */
let nanoUs = 0;
let nanoSub = 0;

/**
 * Checks unix nanoseconds (1–20 decimal digits, or a safe non-negative integer) and sets
 * `nanoUs`/`nanoSub`. Returns false when the µs part exceeds Number.MAX_SAFE_INTEGER: the caller
 * then converts with `unixNanoBig`.
 */
function readUnixNano(raw: unknown): boolean {
  if (typeof raw === 'string') {
    const n = raw.length;
    if (n === 0 || n > 20) fail('expected unix nanoseconds');
    const split = n - 3;
    let us = 0;
    let sub = 0;
    for (let i = 0; i < n; i++) {
      const digit = raw.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) fail('expected unix nanoseconds');
      // Exact while us ≤ 2^53; once past it stays past it (rounding is monotonic), so the check below holds.
      if (i < split) us = us * 10 + digit;
      else sub = sub * 10 + digit;
    }
    nanoUs = us;
    nanoSub = sub;
    return us <= Number.MAX_SAFE_INTEGER;
  }
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) {
    const sub = raw % 1000;
    nanoUs = (raw - sub) / 1000;
    nanoSub = sub;
    return true;
  }
  return fail('expected unix nanoseconds');
}

/** The BigInt conversion, for values `readUnixNano` has already checked but could not hold exactly. */
function unixNanoBig(raw: unknown): bigint {
  return BigInt(raw as string | number);
}

/** µs of an already checked unix-nanosecond value: ⌊raw/1000⌋. */
function unixNanoToUs(raw: unknown): number {
  return readUnixNano(raw) ? nanoUs : Number(unixNanoBig(raw) / 1000n);
}

function v3Hex(raw: unknown, width: 16 | 32): string {
  const id = typeof raw === 'string' ? exactHexId(raw, width) : null;
  if (id === null) fail(`expected ${width} hex characters`);
  return id;
}

/** Legacy JSON sends int64 as a number when it fits in a double exactly, else as a string (§3); null = not /^-?\d{1,20}$/. */
function int64Value(text: string): number | string | null {
  const n = text.length;
  const negative = n > 0 && text.charCodeAt(0) === 45; // -
  const first = negative ? 1 : 0;
  const digits = n - first;
  if (digits < 1 || digits > 20) return null;
  let value = 0;
  for (let i = first; i < n; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  // Up to 15 digits the sum above is exact; longer ones go through the exact conversions.
  if (digits <= 15) return negative ? -value : value;
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text).toString();
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
 * base64). Builds the text by hand so int64 strings keep every digit. `depth` is how many arrays and
 * maps enclose `value`; a container deeper than MAX_ANY_VALUE_DEPTH is refused, as schemas.ts does, so
 * no input can make this recursion overflow the stack.
 */
function rawJson(value: unknown, depth: number): string {
  if (value === undefined || value === null) return 'null';
  if (!isObject(value)) fail('an attribute value is not an AnyValue object');
  if ((value.arrayValue !== undefined || value.kvlistValue !== undefined) && depth >= MAX_ANY_VALUE_DEPTH) fail(TOO_DEEP);
  if (value.arrayValue !== undefined) {
    const items = listOf(value.arrayValue);
    let text = '[';
    for (let i = 0; i < items.length; i++) text += (i === 0 ? '' : ',') + rawJson(items[i], depth + 1);
    return `${text}]`;
  }
  if (value.kvlistValue !== undefined) {
    // Go marshals a map with its keys sorted; a repeated key keeps its last value.
    const byKey = new Map<string, string>();
    for (const kv of listOf(value.kvlistValue)) {
      if (!isObject(kv) || typeof kv.key !== 'string') fail('a kvlistValue entry is not {key, value}');
      byKey.set(kv.key, rawJson(kv.value, depth + 1));
    }
    const keys = [...byKey.keys()].sort(compareCodeUnits);
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      text += `${i === 0 ? '' : ','}${goJsonString(k)}:${byKey.get(k) as string}`;
    }
    return `${text}}`;
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

const TOO_DEEP = `expected attribute values nested at most ${MAX_ANY_VALUE_DEPTH} levels deep`;

/** Whether an AnyValue inside `depth` arrays/maps holds a container deeper than MAX_ANY_VALUE_DEPTH (recursion ≤ that bound). */
function nestedTooDeep(value: unknown, depth: number): boolean {
  if (!isObject(value) || (value.arrayValue === undefined && value.kvlistValue === undefined)) return false;
  if (depth >= MAX_ANY_VALUE_DEPTH) return true;
  for (const item of valuesOf(value.arrayValue)) if (nestedTooDeep(item, depth + 1)) return true;
  for (const entry of valuesOf(value.kvlistValue)) if (isObject(entry) && nestedTooDeep(entry.value, depth + 1)) return true;
  return false;
}

function valuesOf(container: unknown): readonly unknown[] {
  return isObject(container) && Array.isArray(container.values) ? container.values : EMPTY;
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
    if (typeof n === 'string') {
      const parsed = int64Value(n);
      if (parsed !== null) return { key, type: 'int64', value: parsed };
    } else if (typeof n === 'number' && Number.isInteger(n)) {
      return { key, type: 'int64', value: n };
    }
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
    return { key, type: 'string', value: rawJson(value, 0) };
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

/** A resource built from `attributes` (already checked), kept to reuse for resources with equal attributes. */
interface CachedResource extends V3Resource {
  readonly attributes: readonly unknown[];
}

/**
 * Jaeger's answer repeats the same resource in every resourceSpans of a service (one per trace and
 * service), so `cache` (one per response, keyed by service) hands back the resource already built
 * when the attributes are equal, instead of the same process tags again for every resourceSpans.
 */
function v3Resource(raw: unknown, cache: Map<string, CachedResource>): V3Resource {
  if (raw === undefined || raw === null) return { service: NO_SERVICE_NAME, tags: EMPTY };
  if (!isObject(raw)) fail('expected a resource object');
  const attrs = raw.attributes;
  let service = NO_SERVICE_NAME;
  if (!Array.isArray(attrs)) {
    const tags: KeyValue[] = [];
    v3Attributes(attrs, tags, 'service.name');
    return { service, tags };
  }
  for (let i = 0; i < attrs.length; i++) {
    const attr: unknown = attrs[i];
    if (isObject(attr) && attr.key === 'service.name' && isObject(attr.value) && typeof attr.value.stringValue === 'string') {
      service = attr.value.stringValue;
    }
  }
  const cached = cache.get(service);
  if (cached !== undefined && sameResourceAttributes(attrs, cached.attributes)) return cached;
  const tags: KeyValue[] = [];
  v3Attributes(attrs, tags, 'service.name');
  const resource: CachedResource = { service, tags, attributes: attrs };
  cache.set(service, resource);
  return resource;
}

/**
 * Whether `attrs` give exactly the tags of `checked` (attributes `v3Attributes` accepted), and so
 * would pass the same checks: the same keys in the same order, and values of the same kind and value
 * (string, bool, or int64 text; anything else counts as different and is built afresh).
 * `service.name` values are not compared: they make no tag, and the cache key is the service.
 */
function sameResourceAttributes(attrs: readonly unknown[], checked: readonly unknown[]): boolean {
  if (attrs.length !== checked.length) return false;
  for (let i = 0; i < attrs.length; i++) {
    const a: unknown = attrs[i];
    const b = checked[i] as JsonObject;
    if (!isObject(a) || a.key !== b.key) return false;
    if (a.key !== 'service.name' && !sameScalarValue(a.value, b.value)) return false;
  }
  return true;
}

function sameScalarValue(a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return false;
  if (a.stringValue !== undefined || b.stringValue !== undefined) return typeof a.stringValue === 'string' && a.stringValue === b.stringValue;
  if (a.boolValue !== undefined || b.boolValue !== undefined) return typeof a.boolValue === 'boolean' && a.boolValue === b.boolValue;
  if (a.intValue !== undefined || b.intValue !== undefined) return typeof a.intValue === 'string' && a.intValue === b.intValue;
  return false;
}

/** What Jaeger's translator calls a resource with no `service.name` (traces_to_jaegerproto.go). */
const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

/** The warnings of a `@jaeger@warnings` attribute value, or null when it holds no arrayValue (a later one may). */
function jaegerWarnings(value: unknown): readonly string[] | null {
  if (!isObject(value) || !isObject(value.arrayValue)) return null;
  const values = value.arrayValue.values;
  if (!Array.isArray(values)) return EMPTY;
  const warnings = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (isObject(v) && typeof v.stringValue === 'string') {
      warnings[i] = v.stringValue;
    } else {
      // JSON.stringify recurses too: bound the item first, as rawJson bounds every other attribute.
      if (nestedTooDeep(v, 1)) fail(TOO_DEEP);
      warnings[i] = JSON.stringify(v);
    }
  }
  return warnings;
}

/**
 * A span's attributes → tags pushed onto `into`, in one pass that also takes Jaeger's
 * `@jaeger@warnings` attribute out (the first one holding an arrayValue) and returns its warnings.
 */
function v3SpanAttributes(raw: unknown, into: KeyValue[]): readonly string[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!Array.isArray(raw)) fail('expected an array of attributes');
  let warnings: readonly string[] | null = null;
  for (let i = 0; i < raw.length; i++) {
    const attr: unknown = raw[i];
    if (!isObject(attr) || typeof attr.key !== 'string') fail('expected {key, value}');
    const key = attr.key;
    if (key === WARNINGS_ATTRIBUTE) {
      warnings ??= jaegerWarnings(attr.value);
      continue;
    }
    into.push(v3Tag(key, attr.value));
  }
  return warnings ?? EMPTY;
}

/** Whether an event's attributes hold one keyed `event` (spanEventsToJaegerProtoLogs then drops the name). */
function hasEventAttribute(attributes: unknown): boolean {
  if (!Array.isArray(attributes)) return false;
  for (let i = 0; i < attributes.length; i++) {
    const attr: unknown = attributes[i];
    if (isObject(attr) && attr.key === 'event') return true;
  }
  return false;
}

/**
 * Stable sort by key, as `tags.sort(byKey)`: insertion sort for the short lists spans carry
 * (no comparator calls, and the list is often nearly sorted), the built-in sort for long ones.
 */
function sortByKey(tags: KeyValue[]): void {
  const n = tags.length;
  if (n > 32) {
    tags.sort(byKey);
    return;
  }
  for (let i = 1; i < n; i++) {
    const tag = tags[i] as KeyValue;
    const key = tag.key;
    let j = i - 1;
    if ((tags[j] as KeyValue).key <= key) continue;
    do {
      tags[j + 1] = tags[j] as KeyValue;
      j--;
    } while (j >= 0 && (tags[j] as KeyValue).key > key);
    tags[j + 1] = tag;
  }
}

/**
 * The tags Jaeger's translator adds for kind and status, the same for every span: shared like the
 * scope and process tags (a span's tags are read-only), not allocated per span.
 */
const SPAN_KIND_TAGS: readonly (KeyValue | null)[] = V3_KINDS.map((kind) =>
  kind === null ? null : { key: 'span.kind', type: 'string', value: kind },
);
const STATUS_OK_TAG: KeyValue = { key: 'otel.status_code', type: 'string', value: 'OK' };
const STATUS_ERROR_TAG: KeyValue = { key: 'otel.status_code', type: 'string', value: 'ERROR' };
const ERROR_TAG: KeyValue = { key: 'error', type: 'bool', value: true };

/**
 * The last span's raw trace ID and `v3Hex` of it (always a valid pair, so a raw ID equal to
 * `lastRawTraceId` needs no check): spans of one resourceSpans nearly always share it.
 */
let lastRawTraceId = '00000000000000000000000000000000';
let lastTraceId = lastRawTraceId;

function v3Span(raw: unknown, resource: V3Resource, scopeTags: readonly KeyValue[]): Span {
  if (!isObject(raw)) fail('expected a span object');
  const rawTraceId = raw.traceId;
  let traceId: string;
  if (rawTraceId === lastRawTraceId) {
    traceId = lastTraceId;
  } else {
    traceId = v3Hex(rawTraceId, 32);
    lastRawTraceId = rawTraceId as string; // v3Hex accepted it, so a string
    lastTraceId = traceId;
  }
  const spanId = v3Hex(raw.spanId, 16);
  const parentRaw = raw.parentSpanId;
  const parentSpanId = parentRaw === undefined || parentRaw === '' ? null : v3Hex(parentRaw, 16);
  if (typeof raw.name !== 'string') fail('expected a string');
  // Design §2: ⌊start/1000⌋ and ⌊(end−start)/1000⌋, exactly Jaeger's own (BigInt) conversion.
  let startUs: number;
  let durationUs: number;
  const startExact = readUnixNano(raw.startTimeUnixNano);
  const startWholeUs = nanoUs;
  const startSub = nanoSub;
  if (readUnixNano(raw.endTimeUnixNano) && startExact) {
    if (nanoUs < startWholeUs || (nanoUs === startWholeUs && nanoSub < startSub)) fail('ends before it starts');
    startUs = startWholeUs;
    durationUs = nanoUs - startWholeUs - (nanoSub < startSub ? 1 : 0);
  } else {
    const startNs = unixNanoBig(raw.startTimeUnixNano);
    const endNs = unixNanoBig(raw.endTimeUnixNano);
    if (endNs < startNs) fail('ends before it starts');
    startUs = Number(startNs / 1000n);
    durationUs = Number((endNs - startNs) / 1000n);
  }
  const kindNumber = enumValue(raw.kind, V3_KIND_NAMES);
  const kind = V3_KINDS[kindNumber] ?? null;
  let statusCode = 0;
  let statusMessage = '';
  const status = raw.status;
  if (status !== undefined && status !== null) {
    if (!isObject(status)) fail('expected a status object');
    statusCode = enumValue(status.code, V3_STATUS_NAMES);
    if (status.message !== undefined) {
      if (typeof status.message !== 'string') fail('expected a string');
      statusMessage = status.message;
    }
  }
  const traceState = raw.traceState;
  if (traceState !== undefined && typeof traceState !== 'string') fail('expected a string');

  // The tags getJaegerProtoSpanTags adds: scope, attributes, span.kind, otel.status_code, error,
  // otel.status_description (whatever the code), w3c.tracestate; then sorted by key as the legacy
  // API returns them (checked on Jaeger v2.13 with the same spans fetched through both APIs).
  // Pushing onto [] allocates the backing store once for up to 17 tags (slice() then push would twice).
  const tags: KeyValue[] = [];
  for (let i = 0; i < scopeTags.length; i++) tags.push(scopeTags[i] as KeyValue);
  const warnings = v3SpanAttributes(raw.attributes, tags);
  if (kind !== null) tags.push(SPAN_KIND_TAGS[kindNumber] as KeyValue);
  if (statusCode === 1) tags.push(STATUS_OK_TAG);
  if (statusCode === 2) tags.push(STATUS_ERROR_TAG, ERROR_TAG);
  if (statusMessage !== '') tags.push({ key: 'otel.status_description', type: 'string', value: statusMessage });
  if (typeof traceState === 'string' && traceState !== '') {
    tags.push({ key: 'w3c.tracestate', type: 'string', value: traceState });
  }

  let references: readonly SpanReference[] = EMPTY;
  const links = raw.links;
  if (links !== undefined && links !== null) {
    if (!Array.isArray(links)) fail('expected an array of links');
    if (links.length > 0) {
      const refs: SpanReference[] = [];
      if (parentSpanId !== null) refs.push({ refType: 'CHILD_OF', traceId, spanId: parentSpanId });
      for (let i = 0; i < links.length; i++) {
        const link: unknown = links[i];
        if (!isObject(link)) fail('expected a link object');
        refs.push({
          refType: linkRefType(link.attributes),
          traceId: v3Hex(link.traceId, 32),
          spanId: v3Hex(link.spanId, 16),
        });
      }
      references = refs;
    }
  }
  if (references.length === 0 && parentSpanId !== null) references = [{ refType: 'CHILD_OF', traceId, spanId: parentSpanId }];

  let logs: readonly SpanLog[] = EMPTY;
  const events = raw.events;
  if (events !== undefined && events !== null) {
    if (!Array.isArray(events)) fail('expected an array of events');
    if (events.length > 0) logs = v3Logs(events);
  }

  sortByKey(tags);
  const classified = classifyTags(tags);
  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId ?? parentOf(references),
    references,
    service: resource.service,
    operation: raw.name,
    kind: classifiedKind(classified),
    startUs,
    durationUs,
    error: classifiedError(classified),
    tags,
    processTags: resource.tags,
    logs,
    warnings,
  };
}

/** Span events → legacy logs (spanEventsToJaegerProtoLogs), in time order like the legacy API. */
function v3Logs(events: readonly unknown[]): SpanLog[] {
  const logs = new Array<SpanLog>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (!isObject(event)) fail('expected an event object');
    const timestampUs = unixNanoToUs(event.timeUnixNano);
    const name = event.name;
    if (name !== undefined && typeof name !== 'string') fail('expected a string');
    const fields: KeyValue[] = [];
    // The event name first, as `event`, unless an attribute has that key.
    if (typeof name === 'string' && name !== '' && !hasEventAttribute(event.attributes)) {
      fields.push({ key: 'event', type: 'string', value: name });
    }
    v3Attributes(event.attributes, fields, null);
    logs[i] = { timestampUs, fields };
  }
  // Legacy logs come in time order; v3 lists events in its own order (by name on v2.13).
  if (logs.length > 1) logs.sort(byTimestamp);
  return logs;
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

/** The last scope's name, version and tags: a response repeats the same scope in every resourceSpans. */
let lastScopeName: unknown = undefined;
let lastScopeVersion: unknown = undefined;
let lastScopeTags: readonly KeyValue[] = EMPTY;

function v3ScopeTags(raw: unknown): readonly KeyValue[] {
  if (raw === undefined || raw === null) return EMPTY;
  if (!isObject(raw)) fail('expected a scope object');
  if (raw.name !== undefined && typeof raw.name !== 'string') fail('expected a string');
  if (raw.version !== undefined && typeof raw.version !== 'string') fail('expected a string');
  if (raw.name === lastScopeName && raw.version === lastScopeVersion) return lastScopeTags;
  lastScopeName = raw.name;
  lastScopeVersion = raw.version;
  lastScopeTags = scopeTagsOf(raw);
  return lastScopeTags;
}

function scopeTagsOf(raw: JsonObject): readonly KeyValue[] {
  const tags: KeyValue[] = [];
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
  // Consecutive spans nearly always share a trace (and then the very same ID string, see v3Span),
  // so the Map is consulted only when the trace changes.
  const byTrace = new Map<string, Span[]>();
  const resources = new Map<string, CachedResource>();
  let currentTraceId: string | null = null;
  let current: Span[] = [];
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs: unknown = resourceSpans[r];
    if (!isObject(rs)) fail('expected a resourceSpans object');
    const resource = v3Resource(rs.resource, resources);
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
        if (span.traceId !== currentTraceId) {
          currentTraceId = span.traceId;
          const list = byTrace.get(currentTraceId);
          if (list === undefined) byTrace.set(currentTraceId, (current = []));
          else current = list;
        }
        current.push(span);
      }
    }
  }
  const traces: Trace[] = [];
  for (const [traceId, spans] of byTrace) traces.push({ traceId, spans, warnings: EMPTY });
  return traces;
}
