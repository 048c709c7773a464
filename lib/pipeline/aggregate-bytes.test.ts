import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBenchData, BENCH_WINDOW_START_US, BENCH_WINDOW_US } from '../../bench/generate.ts';
import { normalizeTracesResponse } from '../jaeger/normalize.ts';
import { aggregateTraces } from '../metrics/aggregator.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import { describeWithSharedFixtures, sharedFixtureNames, sharedFixturePath } from '../testing/fixtures.ts';
import { aggregateResponseBytes } from './aggregate-bytes.ts';
import { createAggregationPool } from './parallel-aggregate.ts';

const options: AggregationOptions = { windowStartUs: BENCH_WINDOW_START_US, windowEndUs: BENCH_WINDOW_START_US + BENCH_WINDOW_US, slowestLimit: 20 };
const data = generateBenchData(7, 3_000);
const pool = createAggregationPool(2);
afterAll(() => pool.close());

function reference(bytes: Buffer, opts: AggregationOptions) {
  return aggregateTraces(normalizeTracesResponse(JSON.parse(bytes.toString('utf8'))).traces, opts);
}

describe('aggregateResponseBytes', () => {
  it.each(['legacy', 'v3'] as const)('equals parse-everything-then-aggregate on generated %s responses, for any chunk size', (format) => {
    const expected = reference(data[format], options);
    expect(expected.spansCounted).toBe(data.spans);
    for (const chunk of [1, 10_000, 100_000, 1 << 30]) {
      expect(aggregateResponseBytes(data[format], format, options, chunk)).toEqual(expected);
    }
  });

  it('gives identical metrics from the legacy and the v3 encoding of the same traces', () => {
    expect(aggregateResponseBytes(data.v3, 'v3', options)).toEqual(aggregateResponseBytes(data.legacy, 'legacy', options));
  });
});

describeWithSharedFixtures('aggregateResponseBytes on the shared fixtures', () => {
  const files = sharedFixtureNames();
  it.each(files)('%s: chunked bytes → metrics equals the whole-response path', (file) => {
    const bytes = readFileSync(sharedFixturePath(file));
    const { format, traces } = normalizeTracesResponse(JSON.parse(bytes.toString('utf8')));
    const starts = traces.flatMap((t) => t.spans.map((s) => s.startUs));
    const opts = { windowStartUs: Math.min(...starts), windowEndUs: Math.max(...starts) };
    expect(aggregateResponseBytes(bytes, format, opts, 1)).toEqual(aggregateTraces(traces, opts));
  });
});

describe('createAggregationPool', () => {
  it.each(['legacy', 'v3'] as const)('gives the single-threaded result on %s bytes, call after call', async (format) => {
    const expected = aggregateResponseBytes(data[format], format, options);
    expect(await pool.aggregate(data[format], format, options)).toEqual(expected);
    expect(await pool.aggregate(data[format], format, { ...options, service: 'orders' })).toEqual(
      aggregateResponseBytes(data[format], format, { ...options, service: 'orders' }),
    );
  });

  it('rejects with the worker error for malformed bytes and keeps working', async () => {
    const broken = Buffer.from('{"data":[{"traceID":"x","spans":[{"traceID":"x"}],"processes":{}}]}');
    await expect(pool.aggregate(broken, 'legacy', options)).rejects.toThrow(/aggregation worker failed/);
    expect((await pool.aggregate(data.legacy, 'legacy', options)).spansCounted).toBe(data.spans);
  });

  it('rejects instead of hanging once its worker has exited', async () => {
    const closed = createAggregationPool(1);
    await closed.close();
    await expect(closed.aggregate(data.legacy, 'legacy', options)).rejects.toThrow(/exited/);
  });
});
