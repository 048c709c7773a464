/**
 * The incremental form of split-response.ts: a Jaeger trace response is fed in as it arrives off the
 * socket, in chunks cut anywhere (inside a string, an escape, a number), and comes out as runs of
 * whole elements of its trace array (legacy `data[]` traces, v3 `result.resourceSpans[]`), each run
 * about `targetBytes` long and valid JSON once wrapped in `[` `]`. Only the bytes of the run being
 * assembled are held, so memory follows the run size, not the response.
 *
 * v3 groups spans by resource, so one trace may be spread over several adjacent resourceSpans
 * (Jaeger's api_v3 writes each trace's resourceSpans one after another, split-response.ts). A v3 run
 * is therefore cut only between two elements whose first trace IDs differ, and the last complete
 * element is held back until the next one shows whether it continues the same trace. A layout that
 * interleaves traces cannot be cut safely; the client detects a trace ID seen in an earlier run and
 * refuses the answer rather than count half a trace.
 *
 * What is not recognisably a trace array (the array key absent or null, an envelope that is not an
 * object) is not split: the splitter keeps the whole body (`fallbackBody`), and the caller reads it
 * the buffered way, which yields the same result or the same typed error as before streaming. There
 * the body must still prove it is Jaeger's answer (dialects.ts `answerProblem`, as must the envelope
 * around a split array once it has ended): a body without the trace array is an error, never an
 * empty result.
 */
import {
  ARRAY_PATHS,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  findArray,
  firstTraceIdAt,
  isSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  ResponseShapeError,
  type ResponseFormat,
} from './split-response.ts';

/** A head longer than this is not Jaeger's (`{"data":[` / `{"result":{"resourceSpans":[`): stop looking and buffer. */
const MAX_HEAD_BYTES = 64 * 1024;

/** Whole elements `[start, end)` of the trace array, comma-separated: `JSON.parse('[' + bytes + ']')` gives them. */
export interface ElementRun {
  readonly bytes: Buffer;
  /** Index in the trace array of the run's first element, to name a bad field as `data[i]`. */
  readonly firstIndex: number;
  readonly elements: number;
}

export class StreamSplitter {
  private mode: 'head' | 'elements' | 'tail' | 'fallback' = 'head';
  /** Bytes not yet emitted, starting at absolute offset `base`. */
  private chunks: Buffer[] = [];
  private base = 0;
  private received = 0;
  private head: Buffer | null = null;
  private tail: Buffer[] = [];
  // Element scanner state, carried across chunks.
  private depth = 0;
  private inString = false;
  /** Backslashes at the end of the last chunk while inside a string (odd: the next byte is escaped). */
  private backslashRun = 0;
  private inScalar = false;
  private elementStart = -1;
  /** Complete elements not yet emitted (absolute offsets). */
  private complete: Array<{ start: number; end: number }> = [];
  private elementsEmitted = 0;
  /** Runs completed during the current scan. */
  private ready: ElementRun[] = [];

  constructor(
    private readonly format: ResponseFormat,
    private readonly targetBytes: number,
  ) {}

  /** Bytes seen so far. */
  get bytesReceived(): number {
    return this.received;
  }

  /** True when the body is not split but kept whole (see the module comment). */
  get buffering(): boolean {
    return this.mode === 'fallback' || this.mode === 'head';
  }

  push(chunk: Buffer): ElementRun[] {
    const offset = this.received;
    this.received += chunk.length;
    this.chunks.push(chunk);
    if (this.mode === 'fallback') return [];
    if (this.mode === 'head') {
      const open = this.findHead();
      if (open === null) return [];
      this.mode = 'elements';
      return this.scan(this.chunks[0] as Buffer, this.base, open + 1);
    }
    if (this.mode === 'tail') {
      this.tail.push(chunk);
      this.chunks.pop();
      return [];
    }
    return this.scan(chunk, offset, 0);
  }

  /** The rest of the runs once the body has ended. Throws ResponseShapeError when the array never closed. */
  end(): ElementRun[] {
    if (this.mode === 'head') this.mode = 'fallback';
    if (this.mode === 'fallback') return [];
    if (this.mode === 'elements') throw new ResponseShapeError('unterminated trace array');
    return [];
  }

  /** The whole body, when it was not split. */
  fallbackBody(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Everything but the trace array's elements: `head` `]` `tail`, to check the envelope around them. */
  envelope(): Buffer {
    return Buffer.concat([this.head ?? Buffer.alloc(0), Buffer.from(']'), ...this.tail]);
  }

  /** Position of the array's `[` once the head has arrived, null while it may still arrive. */
  private findHead(): number | null {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    if (this.chunks.length > 1) this.chunks = [bytes];
    let open: number;
    try {
      open = findArray(bytes, ARRAY_PATHS[this.format]);
    } catch (error) {
      if (!(error instanceof ResponseShapeError)) throw error;
      // Not there yet, or never: past a head's length it is not Jaeger's layout.
      if (bytes.length > MAX_HEAD_BYTES) this.mode = 'fallback';
      return null;
    }
    if (open < 0) {
      this.mode = 'fallback';
      return null;
    }
    this.head = Buffer.from(bytes.subarray(0, open + 1));
    return open;
  }

  /** Scans `chunk` (absolute offset `offset`) from `from`, then emits what is ready. */
  private scan(chunk: Buffer, offset: number, from: number): ElementRun[] {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      if (this.inString) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote < 0) {
          this.backslashRun = trailingBackslashes(chunk, n, i, this.backslashRun);
          i = n;
          break;
        }
        if (trailingBackslashes(chunk, quote, i, this.backslashRun) % 2 === 1) {
          this.backslashRun = 0;
          i = quote + 1;
          continue;
        }
        this.backslashRun = 0;
        this.inString = false;
        i = quote + 1;
        if (this.depth === 0) this.finishElement(offset + i);
        continue;
      }
      const c = chunk[i] as number;
      if (this.inScalar) {
        if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) {
          this.inScalar = false;
          this.finishElement(offset + i);
          continue; // the delimiter is read at depth 0 below
        }
        i++;
        continue;
      }
      if (this.depth > 0) {
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.depth--;
          if (this.depth === 0) this.finishElement(offset + i + 1);
        }
        i++;
        continue;
      }
      // Between elements, at the array's own level.
      if (isSpace(c) || c === COMMA) {
        i++;
        continue;
      }
      if (c === CLOSE_BRACKET) {
        this.mode = 'tail';
        const rest = chunk.subarray(i + 1);
        if (rest.length > 0) this.tail.push(Buffer.from(rest));
        return this.drain(this.emit(true));
      }
      this.elementStart = offset + i;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth = 1;
      else if (c === QUOTE) this.inString = true;
      else this.inScalar = true;
      i++;
    }
    return this.drain([]);
  }

  private drain(last: ElementRun[]): ElementRun[] {
    const out = this.ready;
    this.ready = [];
    out.push(...last);
    return out;
  }

  /** Ends the element in progress; a run that reached its size leaves at once, even mid-chunk. */
  private finishElement(end: number): void {
    this.complete.push({ start: this.elementStart, end });
    this.elementStart = -1;
    const first = this.complete[0] as { start: number };
    if (end - first.start >= this.targetBytes) this.ready.push(...this.emit(false));
  }

  /** Runs ready to hand out: all complete elements at the end, else once they reach the target size. */
  private emit(final: boolean): ElementRun[] {
    const complete = this.complete;
    if (complete.length === 0) return final ? this.release(0) : [];
    const first = complete[0] as { start: number; end: number };
    const last = complete[complete.length - 1] as { start: number; end: number };
    if (!final && last.end - first.start < this.targetBytes) return [];
    if (final || this.format === 'legacy') return this.cutBefore(complete.length, final);
    // v3: cut before the last element that starts a new trace, so that no trace is split.
    const bytes = this.slice(first.start, last.end);
    const ids = complete.map((element) => firstTraceIdAt(bytes, element.start - first.start));
    for (let k = complete.length - 1; k >= 1; k--) {
      if (ids[k] !== ids[k - 1]) return this.cutBefore(k, false, bytes);
    }
    return [];
  }

  /** Emits the first `count` complete elements as one run and drops the bytes before what remains. */
  private cutBefore(count: number, final: boolean, sliced?: Buffer): ElementRun[] {
    const emitted = this.complete.slice(0, count);
    this.complete = this.complete.slice(count);
    const first = emitted[0] as { start: number; end: number };
    const last = emitted[emitted.length - 1] as { start: number; end: number };
    const bytes = sliced ? sliced.subarray(0, last.end - first.start) : this.slice(first.start, last.end);
    const run: ElementRun = { bytes, firstIndex: this.elementsEmitted, elements: emitted.length };
    this.elementsEmitted += emitted.length;
    const keepFrom = this.complete[0]?.start ?? (this.elementStart >= 0 ? this.elementStart : last.end);
    this.release(final ? this.received : keepFrom);
    return [run];
  }

  /** Drops held chunks wholly before absolute offset `keepFrom`. */
  private release(keepFrom: number): ElementRun[] {
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0] as Buffer;
      if (this.base + chunk.length > keepFrom) break;
      this.base += chunk.length;
      this.chunks.shift();
    }
    if (this.mode === 'tail') {
      this.chunks = [];
      this.base = this.received;
    }
    return [];
  }

  /** Bytes `[start, end)` (absolute) out of the held chunks. */
  private slice(start: number, end: number): Buffer {
    const parts: Buffer[] = [];
    let at = this.base;
    for (const chunk of this.chunks) {
      const chunkEnd = at + chunk.length;
      if (chunkEnd > start && at < end) parts.push(chunk.subarray(Math.max(0, start - at), Math.min(chunk.length, end - at)));
      at = chunkEnd;
      if (at >= end) break;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }
}

/** Backslashes just before `at` inside `[from, at)`, plus `carried` from earlier chunks if the run reaches `from`. */
function trailingBackslashes(chunk: Buffer, at: number, from: number, carried: number): number {
  let k = at - 1;
  while (k >= from && chunk[k] === BACKSLASH) k--;
  const run = at - 1 - k;
  return k < from ? run + carried : run;
}
