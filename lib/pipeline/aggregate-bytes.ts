import { normalizeLegacyTraces, normalizeV3Traces } from '../jaeger/normalize.ts';
import type { Trace } from '../jaeger/span.ts';
import { createAggregator, type Aggregator } from '../metrics/aggregator.ts';
import type { AggregationOptions, MetricsResult } from '../metrics/types.ts';
import { splitIntoRanges, type ElementRange, type ResponseFormat } from './split-response.ts';

/**
 * ~4 MB of JSON per parse: large enough that per-chunk overhead vanishes, small enough that the
 * parsed objects die young (cheap scavenges) and peak memory stays far below one whole-response
 * `JSON.parse` (measured by `npm run bench`).
 */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Decodes one run of whole trace-array elements with the normaliser of lib/jaeger. */
export function decodeRange(bytes: Buffer, format: ResponseFormat, range: ElementRange): Trace[] {
  const elements: unknown = JSON.parse(`[${bytes.toString('utf8', range.start, range.end)}]`);
  return format === 'legacy'
    ? normalizeLegacyTraces({ data: elements })
    : normalizeV3Traces({ result: { resourceSpans: elements } });
}

/** Adds every trace of the ranges to `aggregator`, one chunk at a time. */
export function aggregateRanges(
  aggregator: Aggregator,
  bytes: Buffer,
  format: ResponseFormat,
  ranges: readonly ElementRange[],
): void {
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
