/**
 * Worker-thread side of parallel-aggregate.ts: receives a slice of a trace response (whole
 * elements only), parses and normalises it in chunks, feeds each job's aggregator, and posts the
 * aggregator states back with their typed arrays transferred rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { stateBuffers } from '../metrics/aggregator.ts';
import { DEFAULT_CHUNK_BYTES, scanRanges, type AggregationJob, type ScanPart } from './aggregate-bytes.ts';
import { splitIntoRanges, type ResponseFormat } from './split-response.ts';

export interface WorkerRequest {
  readonly id: number;
  /** Whole array elements, comma separated, wrapped by the sender as `{"data":[…]}` or `{"result":{"resourceSpans":[…]}}`. */
  readonly bytes: Uint8Array;
  readonly format: ResponseFormat;
  /** One aggregation per job, all over the same parse of the slice. */
  readonly jobs: readonly AggregationJob[];
}

export type WorkerResponse =
  { readonly id: number; readonly ok: true; readonly part: ScanPart } | { readonly id: number; readonly ok: false; readonly message: string };

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    const part = scanRanges(bytes, request.format, splitIntoRanges(bytes, request.format, DEFAULT_CHUNK_BYTES), request.jobs);
    const transfer = part.jobs.flatMap((job) => stateBuffers(job.state)) as ArrayBuffer[];
    parentPort?.postMessage({ id: request.id, ok: true, part } satisfies WorkerResponse, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerResponse);
  }
});
