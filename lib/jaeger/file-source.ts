/**
 * Trace files as TraceSources. `createFileSource` holds the traces in memory (the bundled demo data
 * set and uploads, queried again and again); `openTraceFile` (`spanlens report --file`, one-shot)
 * keeps only the file's bytes and parses them ~4 MB at a time through lib/pipeline on every pass,
 * on worker threads for large files. Both answer like Jaeger's memory store (jaeger-api.md §2.4):
 * the match is per span, the result is the whole trace, and `limit` keeps the newest traces.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Aggregator } from '../metrics/aggregator.ts';
import type { MetricName } from '../metrics/registry.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import { DEFAULT_CHUNK_BYTES, extendExtent, normalizeElements, parseRange, type SpanExtent } from '../pipeline/aggregate-bytes.ts';
import { createAggregationPool, type AggregationPool } from '../pipeline/parallel-aggregate.ts';
import { splitIntoRanges, type ElementRange, type ResponseFormat } from '../pipeline/split-response.ts';
import { JaegerBadResponseError } from './errors.ts';
import { normalizeId, normalizeTracesResponse } from './normalize.ts';
import {
  singleSearchCoverage,
  type Coverage,
  type OperationInfo,
  type SearchOptions,
  type SelfAggregatingSource,
  type TraceSearch,
  type TraceSource,
} from './source.ts';
import type { Trace } from './span.ts';
import { createSpanQueryMatcher } from './span-rules.ts';

/** A trace file could not be read: missing, not gzip/JSON, or not a Jaeger trace response. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
  readonly code = 'trace_file_invalid';
  constructor(path: string, reason: string, cause?: unknown) {
    super(`Cannot read trace file ${path}: ${reason}`, { cause });
  }
}

export interface LoadedTraceFile {
  readonly format: 'legacy' | 'v3';
  readonly traces: Trace[];
}

export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Bytes of a legacy `/api/traces` or `/api/v3/traces` response, optionally gzipped → traces. */
export function parseTraceBytes(bytes: Uint8Array | string, name = 'upload'): LoadedTraceFile {
  let text: string;
  try {
    // Capped: gunzipSync would otherwise inflate a bomb whole before anyone could look at its size.
    text =
      typeof bytes === 'string'
        ? bytes
        : new TextDecoder().decode(isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: DEFAULT_MAX_INFLATED_BYTES }) : bytes);
  } catch (error) {
    throw new TraceFileError(name, 'it looks gzipped but does not decompress', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TraceFileError(name, `it is not valid JSON (${(error as Error).message})`, error);
  }
  try {
    return normalizeTracesResponse(json);
  } catch (error) {
    if (error instanceof JaegerBadResponseError) {
      const at = error.field ? ` at ${error.field}` : '';
      throw new TraceFileError(name, `it is not a Jaeger trace response: ${error.detail}${at}`, error);
    }
    throw error;
  }
}

/** What a gzipped trace file may inflate to by default: far beyond any real export, short of a zip bomb filling the memory. */
export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 ** 3;

/**
 * Gzip bytes → the inflated bytes, streamed through node:zlib and refused as soon as they pass
 * `maxBytes` (gunzipSync would inflate a bomb whole before anyone could look at its size).
 */
export async function inflateCapped(bytes: Uint8Array, maxBytes: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  try {
    await pipeline(Readable.from([bytes]), createGunzip(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) {
        size += chunk.length;
        if (size > maxBytes) {
          tooLarge = true;
          throw new RangeError('inflated bytes over the cap');
        }
        chunks.push(chunk);
      }
    });
  } catch (error) {
    if (tooLarge) throw new TraceFileError(name, `it inflates to more than ${Math.round(maxBytes / 1_048_576)} MB`);
    throw new TraceFileError(name, 'it looks gzipped but does not decompress', error);
  }
  return Buffer.concat(chunks, size);
}

/** A file's bytes, inflated when they are gzip (told apart by content, not name). */
export async function readTraceFileBytes(path: string, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new TraceFileError(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error), error);
  }
  return isGzip(bytes) ? inflateCapped(bytes, maxInflatedBytes, path) : bytes;
}

/** Reads a `.json` or `.json.gz` export in either Jaeger format (told apart by content, not name). */
export async function loadTraceFile(path: string): Promise<LoadedTraceFile> {
  return parseTraceBytes(await readTraceFileBytes(path), path);
}

function traceStartUs(trace: Trace): number {
  let start = Number.POSITIVE_INFINITY;
  for (const span of trace.spans) if (span.startUs < start) start = span.startUs;
  return start;
}

export function createFileSource(input: readonly Trace[] | Uint8Array | string): TraceSource {
  const traces: readonly Trace[] = Array.isArray(input) ? (input as readonly Trace[]) : parseTraceBytes(input as Uint8Array | string).traces;
  const starts = new Map<Trace, number>(traces.map((trace) => [trace, traceStartUs(trace)]));

  return {
    kind: 'file',

    async listServices(options?: SearchOptions): Promise<string[]> {
      options?.signal?.throwIfAborted();
      const services = new Set<string>();
      for (const trace of traces) for (const span of trace.spans) services.add(span.service);
      return [...services].sort();
    },

    async listOperations(service: string, options?: SearchOptions): Promise<OperationInfo[]> {
      options?.signal?.throwIfAborted();
      // Like /api/operations: one entry per (name, kind); "" when the kind is unspecified.
      const seen = new Map<string, OperationInfo>();
      for (const trace of traces) {
        for (const span of trace.spans) {
          if (span.service !== service) continue;
          const spanKind = span.kind ?? '';
          seen.set(`${span.operation}\u0000${spanKind}`, { name: span.operation, spanKind });
        }
      }
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind));
    },

    async searchTraces(search: TraceSearch, onBatch: (batch: readonly Trace[]) => void, options?: SearchOptions): Promise<Coverage> {
      options?.signal?.throwIfAborted();
      // The match is per span, the result the whole trace (tenant.go validTrace).
      const matches = createSpanQueryMatcher(search);
      const matched = traces.filter((trace) => trace.spans.some(matches));
      // Newest first by start, then cut at the limit, as a single Jaeger query would.
      matched.sort((a, b) => (starts.get(b) as number) - (starts.get(a) as number));
      const kept = matched.slice(0, Math.max(0, search.limit));
      onBatch(kept);
      options?.onProgress?.({ subWindowsDone: 1, subWindowsPlanned: 1 });
      return keptCoverage(kept, matched.length > kept.length);
    },

    async getTrace(traceId: string, options?: SearchOptions): Promise<Trace | null> {
      options?.signal?.throwIfAborted();
      const wanted = normalizeId(traceId, 32);
      return traces.find((trace) => trace.traceId === wanted) ?? null;
    },
  };
}

/** The whole-file coverage of one search: the file is one sub-window, sampled when `limit` cut it. */
const fileCoverage = (tracesFetched: number, spansReceived: number, atLimit: boolean): Coverage =>
  singleSearchCoverage({ api: 'file', tracesFetched, spansReceived, atLimit, upstreamRequests: 0 });

const keptCoverage = (kept: readonly Trace[], atLimit: boolean): Coverage =>
  fileCoverage(
    kept.length,
    kept.reduce((n, trace) => n + trace.spans.length, 0),
    atLimit,
  );

/** A search with no trace limit: every matching trace is read, so order does not matter and traces can stream. */
const isUnlimited = (search: TraceSearch) => search.limit >= Number.MAX_SAFE_INTEGER;

/** What `openTraceFile` gives: a one-shot source over a file's bytes. */
export interface TraceFileSource extends TraceSource, SelfAggregatingSource {
  readonly kind: 'file';
  /** Earliest span start to latest span end over the whole file, µs ({0, 0} when it holds no spans). */
  extent(): Promise<SpanExtent>;
  /**
   * The extent of every span the last pass over the file normalised, null before one. A caller that
   * took `extent()` as its window checks it against this: extent() reads the span times straight
   * from the bytes (cheap), and a file laid out other than as Jaeger writes it could fool it.
   */
  seenExtent(): SpanExtent | null;
  /** Stops its worker threads, if it started any. */
  close(): Promise<void>;
}

export interface OpenTraceFileOptions {
  /** Worker threads for large files (default: the machine's parallelism); 0 or 1 keeps every pass on this thread. */
  readonly workers?: number | undefined;
  /** Files (inflated) at least this large are parsed on the workers. */
  readonly workerMinBytes?: number | undefined;
  readonly maxInflatedBytes?: number | undefined;
}

/** Files from 24 MB of JSON up go to the workers, when there are any. */
const DEFAULT_WORKER_MIN_BYTES = 24 * 1_048_576;

/**
 * Worker threads only with 4 or more cores: on the 2-core machine measured (shared, load ≈ 4), two
 * workers made a 53 MB report slower (1.48 s) than one thread (0.93 s), the cores being busy already.
 */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores >= 4 ? cores : 1;
}

const digit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * The span-time extent read straight from the bytes: each legacy span's `"startTime":N,"duration":M`,
 * each v3 span's `"startTimeUnixNano":"N","endTimeUnixNano":"M"` (as Jaeger writes them; a quote
 * cannot occur unescaped in a string, so the patterns match real keys only). Null when a span is
 * not written that way. The caller verifies against `seenExtent()`.
 */
function scanExtent(bytes: Buffer, format: ResponseFormat): SpanExtent | null {
  const key = Buffer.from(format === 'legacy' ? '"startTime":' : '"startTimeUnixNano":"');
  const between = Buffer.from(format === 'legacy' ? ',"duration":' : '","endTimeUnixNano":"');
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (let at = bytes.indexOf(key); at >= 0;) {
    let i = at + key.length;
    const firstStart = i;
    while (digit(bytes[i])) i++;
    if (i === firstStart || bytes.compare(between, 0, between.length, i, i + between.length) !== 0) return null;
    const startText = bytes.toString('latin1', firstStart, i);
    i += between.length;
    const firstEnd = i;
    while (digit(bytes[i])) i++;
    if (i === firstEnd) return null;
    const endText = bytes.toString('latin1', firstEnd, i);
    let spanStart: number;
    let spanEnd: number;
    if (format === 'legacy') {
      if (bytes[i] !== 0x2c && bytes[i] !== 0x7d) return null;
      spanStart = Number(startText);
      spanEnd = spanStart + Number(endText);
    } else {
      if (bytes[i] !== 0x22) return null;
      // normalize-otlp.ts: ⌊start/1000⌋ and ⌊(end−start)/1000⌋.
      const startNs = BigInt(startText);
      spanStart = Number(startNs / 1000n);
      spanEnd = spanStart + Number((BigInt(endText) - startNs) / 1000n);
    }
    if (spanStart < startUs) startUs = spanStart;
    if (spanEnd > endUs) endUs = spanEnd;
    at = bytes.indexOf(key, i);
  }
  return startUs <= endUs ? { startUs, endUs } : null;
}

/** The format and the ~4 MB chunks of the bytes, or null when they are not laid out so (the whole-parse path then decides). */
function chunkLayout(bytes: Buffer): { format: ResponseFormat; ranges: ElementRange[] } | null {
  const v3First = /^\s*\{\s*"result"/.test(bytes.toString('latin1', 0, Math.min(bytes.length, 64)));
  for (const format of v3First ? (['v3', 'legacy'] as const) : (['legacy', 'v3'] as const)) {
    try {
      const ranges = splitIntoRanges(bytes, format, DEFAULT_CHUNK_BYTES);
      if (ranges.length > 0) return { format, ranges };
    } catch {
      return null;
    }
  }
  return null;
}

function withExtent(source: TraceSource, traces: readonly Trace[]): TraceFileSource {
  const extent = extendExtent(null, traces);
  return {
    ...source,
    kind: 'file',
    extent: async () => extent ?? { startUs: 0, endUs: 0 },
    seenExtent: () => extent,
    aggregateSearch: (search, _job, into, options) => source.searchTraces(search, (batch) => batch.forEach((trace) => into.addTrace(trace)), options),
    close: async () => {},
  };
}

interface PassJob {
  onTraces(traces: readonly Trace[]): void;
  resolve(): void;
  reject(error: unknown): void;
}

interface WorkerJob {
  readonly search: TraceSearch;
  readonly options: AggregationOptions;
  readonly include: readonly MetricName[];
  readonly into: Aggregator<MetricName>;
  resolve(coverage: Coverage): void;
  reject(error: unknown): void;
}

/**
 * `spanlens report --file`: a source over the file's bytes, never over all its traces at once.
 * Each query is one pass over the bytes (splitIntoRanges → chunked parse and normalise), and
 * queries issued together (one per service) share one pass. Bytes that are not laid out as a Jaeger
 * response (or fail to parse) take the whole-parse path of `parseTraceBytes`, with its errors.
 */
export async function openTraceFile(path: string, options: OpenTraceFileOptions = {}): Promise<TraceFileSource> {
  const bytes = await readTraceFileBytes(path, options.maxInflatedBytes);
  const layout = chunkLayout(bytes);
  if (layout === null) {
    const { traces } = parseTraceBytes(bytes, path);
    return withExtent(createFileSource(traces), traces);
  }
  const { format, ranges } = layout;
  const workerCount = options.workers ?? defaultWorkers();
  const useWorkers = workerCount > 1 && bytes.length >= (options.workerMinBytes ?? DEFAULT_WORKER_MIN_BYTES);
  let pool: AggregationPool | null = null;
  let seen: SpanExtent | null = null;
  let extent: Promise<SpanExtent> | null = null;

  /** A failure in a chunk, told as the whole-parse path tells it (the same TraceFileError as before chunking). */
  const asFileError = (error: unknown): unknown => {
    if (error instanceof TraceFileError) return error;
    try {
      parseTraceBytes(bytes, path);
    } catch (canonical) {
      return canonical;
    }
    return new TraceFileError(path, `it is not a Jaeger trace response: ${(error as Error).message}`, error);
  };

  let passQueue: PassJob[] = [];
  function runPass(): void {
    const jobs = passQueue;
    passQueue = [];
    let extentSoFar: SpanExtent | null = null;
    try {
      for (const range of ranges) {
        const traces = normalizeElements(format, parseRange(bytes, range));
        extentSoFar = extendExtent(extentSoFar, traces);
        for (const job of jobs) job.onTraces(traces);
      }
    } catch (error) {
      const failure = asFileError(error);
      for (const job of jobs) job.reject(failure);
      return;
    }
    seen = extentSoFar;
    for (const job of jobs) job.resolve();
  }
  /** One pass over every trace of the file; calls made in the same turn share it. */
  function pass(onTraces: PassJob['onTraces'], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      passQueue.push({ onTraces, resolve, reject });
      if (passQueue.length === 1) setImmediate(runPass);
    });
  }

  let workerQueue: WorkerJob[] = [];
  async function runWorkerPass(): Promise<void> {
    const jobs = workerQueue;
    workerQueue = [];
    try {
      pool ??= createAggregationPool(workerCount);
      const parts = await pool.scan(
        bytes,
        format,
        jobs.map(({ search, options: aggregation, include }) => ({ options: aggregation, include, search })),
      );
      const counts = jobs.map(() => ({ traces: 0, spans: 0 }));
      let extentSoFar: SpanExtent | null = null;
      for (const part of parts) {
        const e = part.extent;
        if (e !== null) {
          extentSoFar = extentSoFar === null ? e : { startUs: Math.min(extentSoFar.startUs, e.startUs), endUs: Math.max(extentSoFar.endUs, e.endUs) };
        }
        part.jobs.forEach((result, i) => {
          (jobs[i] as WorkerJob).into.mergeState(result.state);
          (counts[i] as { traces: number }).traces += result.traces;
          (counts[i] as { spans: number }).spans += result.spans;
        });
      }
      seen = extentSoFar;
      jobs.forEach((job, i) => job.resolve(fileCoverage((counts[i] as { traces: number }).traces, (counts[i] as { spans: number }).spans, false)));
    } catch (error) {
      const failure = asFileError(error);
      for (const job of jobs) job.reject(failure);
    }
  }

  const searchTraces: TraceSource['searchTraces'] = async (search, onBatch, searchOptions) => {
    const matches = createSpanQueryMatcher(search);
    let traces = 0;
    let spans = 0;
    let coverage: Coverage;
    if (isUnlimited(search)) {
      await pass((chunk) => {
        const matched = chunk.filter((trace) => trace.spans.some(matches));
        traces += matched.length;
        for (const trace of matched) spans += trace.spans.length;
        if (matched.length > 0) onBatch(matched);
      }, searchOptions?.signal);
      coverage = fileCoverage(traces, spans, false);
    } else {
      // A limit keeps the newest traces: only the matching ones are held, then cut as createFileSource cuts.
      const matched: Trace[] = [];
      await pass((chunk) => {
        for (const trace of chunk) if (trace.spans.some(matches)) matched.push(trace);
      }, searchOptions?.signal);
      const starts = new Map<Trace, number>(matched.map((trace) => [trace, traceStartUs(trace)]));
      matched.sort((a, b) => (starts.get(b) as number) - (starts.get(a) as number));
      const kept = matched.slice(0, Math.max(0, search.limit));
      onBatch(kept);
      coverage = keptCoverage(kept, matched.length > kept.length);
    }
    searchOptions?.onProgress?.({ subWindowsDone: 1, subWindowsPlanned: 1 });
    return coverage;
  };

  return {
    kind: 'file',
    searchTraces,

    async listServices(searchOptions) {
      const services = new Set<string>();
      await pass((chunk) => {
        for (const trace of chunk) for (const span of trace.spans) services.add(span.service);
      }, searchOptions?.signal);
      return [...services].sort();
    },

    async listOperations(service, searchOptions) {
      const seenOperations = new Map<string, OperationInfo>();
      await pass((chunk) => {
        for (const trace of chunk) {
          for (const span of trace.spans) {
            if (span.service !== service) continue;
            const spanKind = span.kind ?? '';
            seenOperations.set(`${span.operation}\u0000${spanKind}`, { name: span.operation, spanKind });
          }
        }
      }, searchOptions?.signal);
      return [...seenOperations.values()].sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind));
    },

    async getTrace(traceId, searchOptions) {
      const wanted = normalizeId(traceId, 32);
      let found: Trace | null = null;
      await pass((chunk) => {
        found ??= chunk.find((trace) => trace.traceId === wanted) ?? null;
      }, searchOptions?.signal);
      return found;
    },

    extent() {
      extent ??= (async () => {
        const scanned = scanExtent(bytes, format);
        if (scanned !== null) return scanned;
        await pass(() => {});
        return seen ?? { startUs: 0, endUs: 0 };
      })();
      return extent;
    },

    seenExtent: () => seen,

    async aggregateSearch(search, job, into, searchOptions) {
      if (!useWorkers || !isUnlimited(search)) {
        return searchTraces(search, (batch) => batch.forEach((trace) => into.addTrace(trace)), searchOptions);
      }
      searchOptions?.signal?.throwIfAborted();
      const coverage = await new Promise<Coverage>((resolve, reject) => {
        workerQueue.push({ search, options: job.options, include: job.include, into, resolve, reject });
        if (workerQueue.length === 1) setImmediate(() => void runWorkerPass());
      });
      searchOptions?.onProgress?.({ subWindowsDone: 1, subWindowsPlanned: 1 });
      return coverage;
    },

    async close() {
      await pool?.close();
    },
  };
}
