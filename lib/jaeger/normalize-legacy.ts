/**
 * Legacy `/api/traces` JSON → spans, the fast path of `normalizeLegacyTraces` (normalize.ts): it
 * throws ShapeMismatch, which normalize.ts turns into JaegerBadResponseError naming the field.
 */
import { EMPTY, fail, isObject, normalizeId, parentOf } from './normalize-common.ts';
import type { KeyValue, Span, SpanLog, SpanReference, Trace } from './span.ts';
import { classifiedError, classifiedKind, classifyTags } from './span-classify.ts';

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
      kind: classifiedKind(classified),
      startUs: s.startTime,
      durationUs: s.duration,
      error: classifiedError(classified),
      tags,
      processTags: process.tags,
      logs: legacyLogs(s.logs),
      warnings: legacyStrings(s.warnings),
    };
  }
  return { traceId, spans, warnings: legacyStrings(raw.warnings) };
}

export function legacyTracesFast(json: unknown): Trace[] {
  if (!isObject(json)) fail('expected a JSON object with `data`');
  const data = json.data;
  // Jaeger writes `data: null` for an empty list (jaeger-api.md §7a).
  if (data === null) return [];
  if (!Array.isArray(data)) fail('expected an array of traces');
  const traces = new Array<Trace>(data.length);
  for (let i = 0; i < data.length; i++) traces[i] = legacyTrace(data[i]);
  return traces;
}
