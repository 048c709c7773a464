/**
 * Worker-thread side of parallel-aggregate.ts: receives a slice of a trace response (whole
 * elements only), parses, normalises and aggregates it in chunks, and posts the aggregator state
 * back with its typed arrays transferred rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { createAggregator, stateBuffers, type AggregatorState } from '../metrics/aggregator.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import { aggregateRanges, DEFAULT_CHUNK_BYTES } from './aggregate-bytes.ts';
import { splitIntoRanges, type ResponseFormat } from './split-response.ts';

export interface WorkerRequest {
  readonly id: number;
  /** Whole array elements, comma separated, wrapped by the sender as `{"data":[…]}` or `{"result":{"resourceSpans":[…]}}`. */
  readonly bytes: Uint8Array;
  readonly format: ResponseFormat;
  readonly options: AggregationOptions;
}

export type WorkerResponse =
  { readonly id: number; readonly ok: true; readonly state: AggregatorState } | { readonly id: number; readonly ok: false; readonly message: string };

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    const aggregator = createAggregator(request.options);
    aggregateRanges(aggregator, bytes, request.format, splitIntoRanges(bytes, request.format, DEFAULT_CHUNK_BYTES));
    const state = aggregator.toState();
    parentPort?.postMessage({ id: request.id, ok: true, state } satisfies WorkerResponse, stateBuffers(state) as ArrayBuffer[]);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerResponse);
  }
});
