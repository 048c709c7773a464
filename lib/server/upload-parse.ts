/**
 * An uploaded export → traces, as it streams: the (optionally gzipped) bytes are inflated by
 * node:zlib with a cap on the inflated bytes, cut into ~1 MB runs of whole trace-array elements by
 * lib/pipeline/stream-split.ts, and each run parsed and normalised before the next is read, with the
 * event loop given a turn between runs. So neither the file nor its inflated JSON is ever held
 * whole, a gzip bomb stops at the cap, and no single step blocks other requests for longer than one
 * run's parse (~10 ms per MB).
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { JaegerBadResponseError } from '../jaeger/errors.ts';
import { isGzip, parseTraceBytes, TraceFileError } from '../jaeger/file-source.ts';
import { normalizeTracesResponse } from '../jaeger/normalize.ts';
import type { Trace } from '../jaeger/span.ts';
import { normalizeElements, parseRange } from '../pipeline/aggregate-bytes.ts';
import { ARRAY_PATHS, findArray, ResponseShapeError, type ResponseFormat } from '../pipeline/split-response.ts';
import { StreamSplitter, type ElementRun } from '../pipeline/stream-split.ts';
import { estimateTracesBytes } from './upload-store.ts';

/** JSON per parse step: ~10 ms of JSON.parse + normalise on this machine, the longest the loop waits. */
const RUN_BYTES = 1_048_576;
/** Most bytes the splitter scans without giving the event loop a turn (~1 ms). */
const SCAN_BYTES = 256 * 1024;
/** How much of the start is looked at to tell the two formats apart (the split needs its array's key). */
const HEAD_BYTES = 64 * 1024;
/**
 * A body that is not laid out as a Jaeger trace array (no `data` / `result.resourceSpans` array near
 * its start) is parsed whole to say what is wrong with it, but only up to this size: a whole parse
 * blocks the loop, and nothing that large and of another shape is an export we could read.
 */
const MAX_UNSPLIT_BYTES = 4 * 1_048_576;

export interface UploadParseLimits {
  /** Most bytes of JSON (after inflating, when gzipped); more → `tooLarge()`. */
  readonly maxJsonBytes: number;
  readonly tooLarge: () => Error;
  /** Most estimated heap bytes of the traces (upload-store.ts); more → `tooMuchMemory(estimate)` as soon as it is known. */
  readonly maxTraceBytes?: number;
  readonly tooMuchMemory?: (estimate: number) => Error;
}

export interface ParsedUpload {
  readonly traces: Trace[];
  /** Bytes of JSON read (inflated). */
  readonly jsonBytes: number;
  /** `estimateTracesBytes` of the traces, summed run by run. */
  readonly traceBytes: number;
}

/** Inflates a gzip stream, refusing as soon as the inflated bytes pass the cap. */
async function* gunzipCapped(source: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Buffer, void, undefined> {
  const input = Readable.from(source, { objectMode: false });
  const gunzip = createGunzip();
  let sourceError: unknown = null;
  input.on('error', (error) => {
    sourceError = error;
    gunzip.destroy(error);
  });
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (sourceError !== null) throw sourceError;
    throw new TraceFileError(name, 'it looks gzipped but does not decompress', error);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/** The chunks, gunzipped when the first two bytes say gzip (told apart by content, not name). */
async function* maybeGunzip(source: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Buffer, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    headBytes += next.value.byteLength;
  }
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const chunk = head.shift();
        if (chunk !== undefined) return { done: false, value: chunk };
        const next = await iterator.next();
        return next.done === true
          ? { done: true, value: undefined }
          : { done: false, value: Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength) };
      },
      return: async () => {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
  if (headBytes >= 2 && isGzip(Buffer.concat(head))) yield* gunzipCapped(rest, name);
  else yield* rest;
}

/** Which array the export holds, from its start: the format whose array key is found there. */
function formatOf(head: Buffer): ResponseFormat {
  const v3First = /^\s*\{\s*"result"/.test(head.toString('latin1', 0, Math.min(head.length, 64)));
  const order: ResponseFormat[] = v3First ? ['v3', 'legacy'] : ['legacy', 'v3'];
  for (const format of order) {
    try {
      if (findArray(head, ARRAY_PATHS[format]) >= 0) return format;
    } catch {
      // Not this layout, or the head ends inside a value before the array.
    }
  }
  return order[0] as ResponseFormat;
}

const fileError = (name: string, error: unknown, firstIndex: number): unknown => {
  if (!(error instanceof JaegerBadResponseError)) return error;
  const field =
    error.field === null
      ? null
      : error.field.replace(/^(data|result\.resourceSpans)\[(\d+)\]/, (_, array: string, index: string) => `${array}[${Number(index) + firstIndex}]`);
  const at = field ? ` at ${field}` : '';
  return new TraceFileError(name, `it is not a Jaeger trace response: ${error.detail}${at}`, error);
};

/** A v3 trace may be spread over resourceSpans anywhere in a file: its parts from later runs join the first. */
function mergeTrace(into: Trace, more: Trace): Trace {
  return { traceId: into.traceId, spans: [...into.spans, ...more.spans], warnings: [...into.warnings, ...more.warnings] };
}

/**
 * The traces of an uploaded export, read from `chunks` (the request body, already capped in raw
 * bytes by the caller). Throws TraceFileError for what is not a Jaeger export, `limits.tooLarge()`
 * past `maxJsonBytes` of JSON.
 */
export async function parseUploadStream(chunks: AsyncIterable<Uint8Array>, name: string, limits: UploadParseLimits): Promise<ParsedUpload> {
  let jsonBytes = 0;
  let splitter: StreamSplitter | null = null;
  let format: ResponseFormat = 'legacy';
  const pending: Buffer[] = [];
  const traces: Trace[] = [];
  const v3Index = new Map<string, number>();
  let traceBytes = 0;

  const readRun = async (run: ElementRun): Promise<void> => {
    let elements: unknown;
    try {
      elements = parseRange(run.bytes, { start: 0, end: run.bytes.length });
    } catch (error) {
      throw new TraceFileError(name, `it is not valid JSON (${(error as Error).message})`, error);
    }
    let runTraces: Trace[];
    try {
      runTraces = normalizeElements(format, elements);
    } catch (error) {
      throw fileError(name, error, run.firstIndex);
    }
    traceBytes += estimateTracesBytes(runTraces);
    if (limits.maxTraceBytes !== undefined && traceBytes > limits.maxTraceBytes) {
      throw limits.tooMuchMemory?.(traceBytes) ?? limits.tooLarge();
    }
    for (const trace of runTraces) {
      if (format !== 'v3') {
        traces.push(trace);
        continue;
      }
      const at = v3Index.get(trace.traceId);
      if (at === undefined) {
        v3Index.set(trace.traceId, traces.length);
        traces.push(trace);
      } else {
        traces[at] = mergeTrace(traces[at] as Trace, trace);
      }
    }
    // Let every other request run between two parse steps.
    await nextTurn();
  };

  const feed = async (chunk: Buffer): Promise<void> => {
    if (splitter === null) {
      pending.push(chunk);
      const head = Buffer.concat(pending);
      if (head.length < HEAD_BYTES) return;
      format = formatOf(head);
      splitter = new StreamSplitter(format, RUN_BYTES);
      pending.length = 0;
      chunk = head;
    }
    // A body handed over in one piece (a Request made from a buffer) is scanned a slice at a time.
    for (let at = 0; at < chunk.length; at += SCAN_BYTES) {
      const runs = splitter.push(chunk.subarray(at, at + SCAN_BYTES));
      for (const run of runs) await readRun(run);
      if (runs.length === 0 && chunk.length > SCAN_BYTES) await nextTurn();
    }
    if (splitter.buffering && splitter.bytesReceived > MAX_UNSPLIT_BYTES) {
      throw new TraceFileError(name, 'it is not a Jaeger trace response: no "data" (legacy) or "result.resourceSpans" (api_v3) array near its start');
    }
  };

  /** A small body read the buffered way (parseTraceBytes), with its errors. */
  const whole = (bytes: Buffer): ParsedUpload => {
    const parsed = parseTraceBytes(bytes, name).traces;
    return { traces: parsed, jsonBytes, traceBytes: estimateTracesBytes(parsed) };
  };

  for await (const chunk of maybeGunzip(chunks, name)) {
    jsonBytes += chunk.length;
    if (jsonBytes > limits.maxJsonBytes) throw limits.tooLarge();
    await feed(chunk);
  }

  if (splitter === null) {
    // Shorter than the head: small enough to read whole.
    return whole(Buffer.concat(pending));
  }
  const split = splitter as StreamSplitter;
  try {
    for (const run of split.end()) await readRun(run);
  } catch (error) {
    if (error instanceof ResponseShapeError) throw new TraceFileError(name, `it is not valid JSON (${error.message})`, error);
    throw error;
  }
  if (split.buffering) return whole(split.fallbackBody());
  // The envelope around the array must be whole JSON of the same shape (a cut-off tail is truncation).
  const envelope = split.envelope().toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(envelope);
  } catch (error) {
    throw new TraceFileError(name, `it is not valid JSON (${(error as Error).message})`, error);
  }
  try {
    normalizeTracesResponse(json);
  } catch (error) {
    throw fileError(name, error, 0);
  }
  return { traces, jsonBytes, traceBytes };
}
