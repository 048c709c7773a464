import { isAscii } from 'node:buffer';
import { normalizeLegacyTraces, normalizeV3Traces } from '../jaeger/normalize.ts';
import type { Trace } from '../jaeger/span.ts';
import { createSpanQueryMatcher, type SpanQuery } from '../jaeger/span-rules.ts';
import { createAggregator, type Aggregator, type AggregatorState } from '../metrics/aggregator.ts';
import type { MetricName } from '../metrics/registry.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import type { MetricsResult } from '../metrics/aggregator.ts';
import { splitIntoRanges, type ElementRange, type ResponseFormat } from './split-response.ts';

/**
 * ~4 MB of JSON per parse: large enough that per-chunk overhead vanishes, small enough that the
 * parsed objects die young (cheap scavenges) and peak memory stays far below one whole-response
 * `JSON.parse` (measured by `npm run bench`).
 */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Reused between chunks (one per thread): fresh multi-MB buffers would page-fault on every chunk. */
let scratch = Buffer.alloc(0);

/**
 * The chunk as the text of one JSON array, `[` + elements + `]`, built in a byte buffer and decoded
 * once: a template string would hand JSON.parse a cons-string it must flatten (an extra copy,
 * measured ~1.5× slower parse). For pure-ASCII bytes (what Jaeger sends unless a value holds
 * non-ASCII text) latin1 decoding yields the identical string, measured ~5× faster than UTF-8
 * decoding on ~4 MB chunks (a widening copy, no validation); `isAscii` costs ~0.1 ms per MB.
 */
function chunkArrayText(bytes: Buffer, range: ElementRange): string {
  const length = range.end - range.start + 2;
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, scratch.length * 2));
  scratch[0] = 0x5b; // [
  bytes.copy(scratch, 1, range.start, range.end);
  scratch[length - 1] = 0x5d; // ]
  const text = scratch.subarray(0, length);
  return isAscii(text) ? text.toString('latin1') : text.toString('utf8');
}

/** One run of whole trace-array elements, parsed (bytes → string → JSON.parse). */
export function parseRange(bytes: Buffer, range: ElementRange): unknown {
  return JSON.parse(chunkArrayText(bytes, range));
}

/** Parsed elements of a trace array → traces, by the normaliser of lib/jaeger. */
export function normalizeElements(format: ResponseFormat, elements: unknown): Trace[] {
  return format === 'legacy' ? normalizeLegacyTraces({ data: elements }) : normalizeV3Traces({ result: { resourceSpans: elements } });
}

function decodeRange(bytes: Buffer, format: ResponseFormat, range: ElementRange): Trace[] {
  return normalizeElements(format, parseRange(bytes, range));
}

/** Adds every trace of the ranges to `aggregator`, one chunk at a time. */
export function aggregateRanges(aggregator: Aggregator, bytes: Buffer, format: ResponseFormat, ranges: readonly ElementRange[]): void {
  for (const range of ranges) {
    for (const trace of decodeRange(bytes, format, range)) aggregator.addTrace(trace);
  }
}

/**
 * A Jaeger trace response's bytes → metrics on this thread, parsing ~4 MB at a time; the same
 * result as `aggregateTraces(normalizeTracesResponse(JSON.parse(text)).traces, options)`.
 */
export function aggregateResponseBytes(
  bytes: Buffer,
  format: ResponseFormat,
  options: AggregationOptions,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): MetricsResult {
  const aggregator = createAggregator(options);
  aggregateRanges(aggregator, bytes, format, splitIntoRanges(bytes, format, chunkBytes));
  return aggregator.finish();
}

/**
 * One aggregation over a scan: its options and metric sets and, when `search` is set, the trace
 * search whose results it counts: only traces with a span matching it are added (a trace source's
 * per-span match, lib/jaeger/span-rules.ts), as if the traces had come from `searchTraces`.
 */
export interface AggregationJob {
  readonly options: AggregationOptions;
  readonly include: readonly MetricName[];
  readonly search: SpanQuery | null;
}

/** The earliest span start and latest span end seen, µs; null before any span. */
export interface SpanExtent {
  readonly startUs: number;
  readonly endUs: number;
}

/** What a scan of some ranges gives: per job, its aggregator state and the traces and spans it was fed. */
export interface ScanPart {
  readonly jobs: readonly { readonly state: AggregatorState; readonly traces: number; readonly spans: number }[];
  /** Over every span of every trace scanned, matched or not. */
  readonly extent: SpanExtent | null;
}

/** Folds the extent of `traces` into `extent`. */
export function extendExtent(extent: SpanExtent | null, traces: readonly Trace[]): SpanExtent | null {
  let startUs = extent?.startUs ?? Number.POSITIVE_INFINITY;
  let endUs = extent?.endUs ?? Number.NEGATIVE_INFINITY;
  for (const trace of traces) {
    for (const span of trace.spans) {
      if (span.startUs < startUs) startUs = span.startUs;
      if (span.startUs + span.durationUs > endUs) endUs = span.startUs + span.durationUs;
    }
  }
  return startUs <= endUs ? { startUs, endUs } : extent;
}

/** Parses the ranges one chunk at a time and feeds every job from the same traces (one parse, many aggregations). */
export function scanRanges(bytes: Buffer, format: ResponseFormat, ranges: readonly ElementRange[], jobs: readonly AggregationJob[]): ScanPart {
  const running = jobs.map((job) => ({
    aggregator: createAggregator(job.options, job.include),
    matches: job.search === null ? null : createSpanQueryMatcher(job.search),
    traces: 0,
    spans: 0,
  }));
  let extent: SpanExtent | null = null;
  for (const range of ranges) {
    const traces = decodeRange(bytes, format, range);
    extent = extendExtent(extent, traces);
    for (const job of running) {
      for (const trace of traces) {
        if (job.matches !== null && !trace.spans.some(job.matches)) continue;
        job.aggregator.addTrace(trace);
        job.traces += 1;
        job.spans += trace.spans.length;
      }
    }
  }
  return { jobs: running.map(({ aggregator, traces, spans }) => ({ state: aggregator.toState(), traces, spans })), extent };
}
