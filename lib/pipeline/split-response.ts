/**
 * Byte-level splitting of a Jaeger trace response into its top-level array elements, without
 * parsing: legacy `{"data":[trace, …]}` splits at traces, `/api/v3` `{"result":{"resourceSpans":
 * [rs, …]}}` at resourceSpans. Each slice is valid JSON on its own, so a chunk of traces can be
 * `JSON.parse`d, normalised and aggregated while the rest of the response stays bytes — memory
 * bounded by the chunk, and slices can go to worker threads.
 */

export type ResponseFormat = 'legacy' | 'v3';

/** The JSON bytes both splitters (this one and stream-split.ts) look for. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
const COLON = 0x3a;

export class ResponseShapeError extends Error {}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(bytes: Uint8Array, pos: number): number {
  while (pos < bytes.length && isSpace(bytes[pos] as number)) pos++;
  return pos;
}

/** From an opening quote to just past its closing quote (a quote preceded by an odd run of backslashes is escaped). */
function skipString(bytes: Uint8Array, pos: number): number {
  let i = pos + 1;
  for (;;) {
    const c = bytes[i];
    if (c === undefined) throw new ResponseShapeError('unterminated string');
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
}

/** Just past the JSON value starting at `pos` (strings and containers matched, scalars to the next delimiter). */
function skipValue(bytes: Uint8Array, pos: number): number {
  const first = bytes[pos];
  if (first === QUOTE) return skipString(bytes, pos);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = pos;
    for (;;) {
      const c = bytes[i];
      if (c === undefined || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) return i;
      i++;
    }
  }
  let depth = 0;
  let i = pos;
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      // Inline string skip: most bytes of a trace response are inside strings.
      i++;
      for (;;) {
        const s = bytes[i];
        if (s === undefined) throw new ResponseShapeError('unterminated string');
        if (s === QUOTE) break;
        i += s === BACKSLASH ? 2 : 1;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new ResponseShapeError('unterminated object or array');
}

function keyEquals(bytes: Uint8Array, start: number, end: number, key: string): boolean {
  // start/end include the quotes; Jaeger's keys are ASCII and unescaped.
  if (end - start - 2 !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[start + 1 + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** Position of the `[` of the array at `path` (object keys from the top), or -1 when absent or null. */
export function findArray(bytes: Uint8Array, path: readonly string[]): number {
  let pos = skipSpace(bytes, 0);
  for (let level = 0; level < path.length; level++) {
    if (bytes[pos] !== OPEN_BRACE) throw new ResponseShapeError(`expected an object around "${path[level]}"`);
    pos = skipSpace(bytes, pos + 1);
    let found = false;
    while (bytes[pos] !== CLOSE_BRACE) {
      if (bytes[pos] !== QUOTE) throw new ResponseShapeError('expected an object key');
      const keyStart = pos;
      pos = skipString(bytes, pos);
      const keyEnd = pos;
      pos = skipSpace(bytes, pos);
      if (bytes[pos] !== COLON) throw new ResponseShapeError('expected ":" after an object key');
      pos = skipSpace(bytes, pos + 1);
      if (keyEquals(bytes, keyStart, keyEnd, path[level] as string)) {
        found = true;
        break;
      }
      pos = skipSpace(bytes, skipValue(bytes, pos));
      if (bytes[pos] === COMMA) pos = skipSpace(bytes, pos + 1);
    }
    if (!found) return -1;
  }
  if (bytes[pos] === OPEN_BRACKET) return pos;
  if (bytes[pos] === 0x6e /* null */) return -1;
  throw new ResponseShapeError(`expected an array at ${path.join('.')}`);
}

export const ARRAY_PATHS: Readonly<Record<ResponseFormat, readonly string[]>> = {
  legacy: ['data'],
  v3: ['result', 'resourceSpans'],
};

/** Start and end byte offsets of every element of the response's trace array, in order. */
export function splitResponse(bytes: Uint8Array, format: ResponseFormat): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const open = findArray(bytes, ARRAY_PATHS[format]);
  if (open < 0) return { starts, ends };
  let pos = skipSpace(bytes, open + 1);
  while (bytes[pos] !== CLOSE_BRACKET) {
    if (pos >= bytes.length) throw new ResponseShapeError('unterminated trace array');
    starts.push(pos);
    pos = skipValue(bytes, pos);
    ends.push(pos);
    pos = skipSpace(bytes, pos);
    if (bytes[pos] === COMMA) pos = skipSpace(bytes, pos + 1);
    else if (bytes[pos] !== CLOSE_BRACKET) throw new ResponseShapeError('expected "," or "]" between traces');
  }
  return { starts, ends };
}

/** A run of whole array elements, `[start, end)`: `JSON.parse('[' + text + ']')` gives them. */
export interface ElementRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The byte that opens each element in what Jaeger writes: Go marshals struct fields in declaration
 * order, so a legacy trace starts `{"traceID":"…","spans":[` (uimodel.Trace) and an OTLP
 * resourceSpans `{"resource":` (proto field 1). A quote cannot occur unescaped inside a JSON
 * string, so these byte patterns only ever match real keys, and only traces have a "spans" key
 * and only resourceSpans a "resource" key.
 */
const ELEMENT_MARKERS: Readonly<Record<ResponseFormat, Buffer>> = {
  legacy: Buffer.from('"spans":['),
  v3: Buffer.from('{"resource":'),
};
const LEGACY_TRACE_START = Buffer.from('{"traceID":"');
const V3_TRACE_ID = Buffer.from('"traceId":"');

/** Start of the element holding the next marker at or after `from`, or -1 (then the caller scans). */
function nextElementStart(bytes: Buffer, format: ResponseFormat, from: number): number {
  const marker = bytes.indexOf(ELEMENT_MARKERS[format], from);
  if (marker < 0) return -1;
  if (format === 'v3') return marker;
  const start = bytes.lastIndexOf(LEGACY_TRACE_START, marker);
  // Only `{"traceID":"<id>",` may sit between the trace's "{" and its "spans" key.
  if (start < 0 || bytes.indexOf(0x22, start + LEGACY_TRACE_START.length) !== marker - 2) return -2;
  return start;
}

export function firstTraceIdAt(bytes: Buffer, elementStart: number): string | null {
  const at = bytes.indexOf(V3_TRACE_ID, elementStart);
  return at < 0 ? null : bytes.toString('latin1', at + V3_TRACE_ID.length, at + V3_TRACE_ID.length + 32);
}

/**
 * Cuts the trace array into runs of whole elements of about `targetBytes` each, looking only near
 * the cut points (a native byte search for the markers above), so the cost does not grow with the
 * response. A v3 cut is moved forward until the trace ID changes, so no trace is split (Jaeger's
 * api_v3 writes each trace's resourceSpans one after another). Falls back to a full scan
 * (`splitResponse`) when the bytes are not laid out as Jaeger writes them (pretty-printed, other
 * key order, files from elsewhere).
 */
export function splitIntoRanges(bytes: Buffer, format: ResponseFormat, targetBytes: number): ElementRange[] {
  const open = findArray(bytes, ARRAY_PATHS[format]);
  if (open < 0) return [];
  const first = skipSpace(bytes, open + 1);
  if (bytes[first] === CLOSE_BRACKET) return [];
  const cuts: number[] = [first];
  let from = first + Math.max(1, targetBytes);
  while (from < bytes.length) {
    let cut = nextElementStart(bytes, format, from);
    // `from` inside the head of the last cut's trace finds that trace again: look past its marker.
    let searchFrom = from;
    while (cut >= 0 && cut <= (cuts[cuts.length - 1] as number)) {
      searchFrom = bytes.indexOf(ELEMENT_MARKERS[format], searchFrom) + 1;
      cut = nextElementStart(bytes, format, searchFrom);
    }
    if (cut === -2 || (cut >= 0 && bytes[cut - 1] !== COMMA)) return rangesFromScan(bytes, format, targetBytes);
    if (cut >= 0 && format === 'v3') {
      const previous = bytes.lastIndexOf(ELEMENT_MARKERS.v3, cut - 1);
      while (cut >= 0 && firstTraceIdAt(bytes, cut) === firstTraceIdAt(bytes, previous)) {
        cut = nextElementStart(bytes, format, cut + 1);
        if (cut >= 0 && bytes[cut - 1] !== COMMA) return rangesFromScan(bytes, format, targetBytes);
      }
    }
    if (cut < 0) break;
    cuts.push(cut);
    from = cut + Math.max(1, targetBytes);
  }
  const ranges: ElementRange[] = [];
  for (let i = 0; i < cuts.length - 1; i++) ranges.push({ start: cuts[i] as number, end: (cuts[i + 1] as number) - 1 });
  // The last run ends where the array does: scan just that run, element by element.
  const lastStart = cuts[cuts.length - 1] as number;
  let pos = lastStart;
  let end = lastStart;
  while (bytes[pos] !== CLOSE_BRACKET) {
    if (pos >= bytes.length) throw new ResponseShapeError('unterminated trace array');
    end = skipValue(bytes, pos);
    pos = skipSpace(bytes, end);
    if (bytes[pos] === COMMA) pos = skipSpace(bytes, pos + 1);
    else if (bytes[pos] !== CLOSE_BRACKET) throw new ResponseShapeError('expected "," or "]" between traces');
  }
  ranges.push({ start: lastStart, end });
  return ranges;
}

/** Ranges from a full element scan; for v3, cuts only between elements of different traces. */
function rangesFromScan(bytes: Buffer, format: ResponseFormat, targetBytes: number): ElementRange[] {
  const { starts, ends } = splitResponse(bytes, format);
  const ranges: ElementRange[] = [];
  let runStart = 0;
  for (let i = 1; i <= starts.length; i++) {
    const atEnd = i === starts.length;
    if (!atEnd && (ends[i - 1] as number) - (starts[runStart] as number) < targetBytes) continue;
    if (!atEnd && format === 'v3' && firstTraceIdAt(bytes, starts[i] as number) === firstTraceIdAt(bytes, starts[i - 1] as number)) continue;
    ranges.push({ start: starts[runStart] as number, end: ends[i - 1] as number });
    runStart = i;
  }
  return ranges;
}
