/**
 * Pieces the legacy and OTLP normalisers share: the fast-path failure signal, ID normalisation and
 * the parent rule. See normalize.ts for why the checks are hand-written.
 */
import type { SpanReference } from './span.ts';

/** Internal: a fast-path check failed; `normalize*` turns it into JaegerBadResponseError. */
export class ShapeMismatch extends Error {}

export const EMPTY: readonly never[] = Object.freeze([]);
const ZEROS = '00000000000000000000000000000000';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds no path on the hot path: on failure the zod schema names the field (see the top comment). */
export function fail(detail: string): never {
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
 * `id` lowercased when it is exactly `width` hex characters, else null: the check and the
 * normalisation of an OTLP ID (always full width) in one pass.
 */
export function exactHexId(id: string, width: 16 | 32): string | null {
  if (id.length !== width) return null;
  const cls = hexClass(id);
  if (cls === 0) return null;
  return cls === 2 ? id.toLowerCase() : id;
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

/** The first CHILD_OF reference, else the first reference (design §2). */
export function parentOf(references: readonly SpanReference[]): string | null {
  for (let i = 0; i < references.length; i++) {
    const ref = references[i] as SpanReference;
    if (ref.refType === 'CHILD_OF') return ref.spanId;
  }
  return references.length > 0 ? (references[0] as SpanReference).spanId : null;
}
