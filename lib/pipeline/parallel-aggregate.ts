/**
 * Bytes of a large Jaeger trace response → metrics on several worker threads: the trace array is
 * cut at element boundaries by a byte search (split-response.ts), each worker parses, normalises
 * and aggregates its part, and the parts' states are merged here. Exact: the merge of mergeable
 * accumulators over disjoint traces equals the single-threaded result (tested).
 *
 * A pool keeps its workers between calls (the app server creates one and reuses it); workers are
 * unref'd so an idle pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createAggregator } from '../metrics/aggregator.ts';
import { METRIC_NAMES } from '../metrics/registry.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import type { MetricsResult } from '../metrics/aggregator.ts';
import type { AggregationJob, ScanPart } from './aggregate-bytes.ts';
import type { WorkerRequest, WorkerResponse } from './aggregate-worker.ts';
import { splitIntoRanges, type ResponseFormat } from './split-response.ts';

const ENVELOPES: Readonly<Record<ResponseFormat, readonly [string, string]>> = {
  legacy: ['{"data":[', ']}'],
  v3: ['{"result":{"resourceSpans":[', ']}}'],
};

/**
 * Run from the TypeScript sources, the worker is aggregate-worker.ts; lib/jaeger/errors.ts uses
 * TypeScript parameter properties, which Node's default type stripping rejects, so it loads its .ts
 * modules in transform mode. Inside the CLI bundle (scripts/build-cli.mjs) this module's URL is the
 * bundle's and the worker is its sibling bundle aggregate-worker.mjs, plain JavaScript. Only these
 * flags: a worker refuses per-process ones such as --max-old-space-size (ERR_WORKER_INVALID_EXEC_ARGV).
 */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCES ? './aggregate-worker.ts' : './aggregate-worker.mjs', import.meta.url);
const WORKER_EXEC_ARGV = FROM_SOURCES ? ['--experimental-transform-types', '--no-warnings'] : [];

/** Upper bound of one part sent to a worker (see aggregate()). */
const MAX_PART_BYTES = 16 * 1024 * 1024;

interface PooledWorker {
  readonly worker: Worker;
  /** Set when the worker died (failed to load its modules, crashed, exited): it takes no more parts. */
  failure: Error | null;
}

export interface AggregationPool {
  readonly size: number;
  aggregate(bytes: Buffer, format: ResponseFormat, options: AggregationOptions): Promise<MetricsResult>;
  /**
   * Several aggregations over one parse of the bytes, spread over the workers: one ScanPart per
   * part of the bytes, in no particular order (merge their states; the sum is exact).
   */
  scan(bytes: Buffer, format: ResponseFormat, jobs: readonly AggregationJob[]): Promise<ScanPart[]>;
  close(): Promise<void>;
}

export function createAggregationPool(size = Math.max(1, availableParallelism())): AggregationPool {
  const workers: PooledWorker[] = Array.from({ length: size }, () => {
    const worker = new Worker(WORKER_URL, { execArgv: WORKER_EXEC_ARGV });
    worker.unref();
    const pooled: PooledWorker = { worker, failure: null };
    // Always listening, so a worker that dies while idle cannot crash the process with an unhandled 'error'.
    worker.on('error', (error) => {
      pooled.failure ??= error;
    });
    worker.on('exit', (code) => {
      pooled.failure ??= new Error(`aggregation worker exited with code ${code}`);
    });
    return pooled;
  });
  let nextId = 1;

  function run(pooled: PooledWorker, request: WorkerRequest): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      if (pooled.failure) {
        reject(pooled.failure);
        return;
      }
      const onMessage = (response: WorkerResponse) => {
        if (response.id !== request.id) return;
        cleanup();
        resolve(response);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`aggregation worker exited with code ${code}`));
      const cleanup = () => {
        pooled.worker.off('message', onMessage);
        pooled.worker.off('error', onError);
        pooled.worker.off('exit', onExit);
      };
      pooled.worker.on('message', onMessage);
      pooled.worker.on('error', onError);
      pooled.worker.on('exit', onExit);
      pooled.worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
    });
  }

  async function scan(bytes: Buffer, format: ResponseFormat, jobs: readonly AggregationJob[]): Promise<ScanPart[]> {
    // Parts of at most MAX_PART_BYTES handed out as workers free up: only the parts in flight are
    // copied (peak memory ≈ workers × part, not a second copy of the response), and a slow
    // worker just takes fewer parts.
    const partBytes = Math.min(MAX_PART_BYTES, Math.ceil(bytes.length / size));
    const ranges = splitIntoRanges(bytes, format, partBytes);
    const [prefix, suffix] = ENVELOPES[format];
    const parts: ScanPart[] = [];
    let next = 0;
    let failed = false;
    const drain = async (pooled: PooledWorker): Promise<void> => {
      while (next < ranges.length && !failed) {
        const range = ranges[next++] as { start: number; end: number };
        // A fresh buffer per part: it is transferred to the worker, never shared or copied twice.
        const part = Buffer.allocUnsafeSlow(prefix.length + (range.end - range.start) + suffix.length);
        part.write(prefix, 0, 'latin1');
        bytes.copy(part, prefix.length, range.start, range.end);
        part.write(suffix, part.length - suffix.length, 'latin1');
        const response = await run(pooled, { id: nextId++, bytes: part, format, jobs });
        if (!response.ok) {
          failed = true;
          throw new Error(`aggregation worker failed: ${response.message}`);
        }
        parts.push(response.part);
      }
    };
    await Promise.all(workers.map(drain));
    return parts;
  }

  return {
    size,
    scan,
    async aggregate(bytes, format, options) {
      const merged = createAggregator(options);
      for (const part of await scan(bytes, format, [{ options, include: METRIC_NAMES, search: null }])) {
        merged.mergeState((part.jobs[0] as ScanPart['jobs'][number]).state);
      }
      return merged.finish();
    },
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
