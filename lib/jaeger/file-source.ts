/**
 * A TraceSource over traces held in memory: the bundled demo data set and files people upload or
 * pass to `spanlens report --file`. It answers like Jaeger's memory store (jaeger-api.md §2.4):
 * the match is per span, the result is the whole trace, and `limit` keeps the newest traces.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { JaegerBadResponseError } from './errors.ts';
import { normalizeId, normalizeTracesResponse } from './normalize.ts';
import type { Coverage, OperationInfo, SearchOptions, TraceSearch, TraceSource } from './source.ts';
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

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Bytes of a legacy `/api/traces` or `/api/v3/traces` response, optionally gzipped → traces. */
export function parseTraceBytes(bytes: Uint8Array | string, name = 'upload'): LoadedTraceFile {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(isGzip(bytes) ? gunzipSync(bytes) : bytes);
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

/** Reads a `.json` or `.json.gz` export in either Jaeger format (told apart by content, not name). */
export async function loadTraceFile(path: string): Promise<LoadedTraceFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new TraceFileError(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error), error);
  }
  return parseTraceBytes(bytes, path);
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
      const atLimit = matched.length > kept.length;
      return {
        api: 'file',
        tracesFetched: kept.length,
        spansReceived: kept.reduce((n, trace) => n + trace.spans.length, 0),
        subWindows: 1,
        subWindowsAtLimit: atLimit ? 1 : 0,
        failedSubWindows: [],
        upstreamRequests: 0,
        complete: !atLimit,
        partial: false,
      };
    },

    async getTrace(traceId: string, options?: SearchOptions): Promise<Trace | null> {
      options?.signal?.throwIfAborted();
      const wanted = normalizeId(traceId, 32);
      return traces.find((trace) => trace.traceId === wanted) ?? null;
    },
  };
}
