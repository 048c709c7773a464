/**
 * One bench measurement in its own process, so its peak RSS is attributable to one mode:
 *   node --experimental-transform-types bench/measure.ts <parse|single|workers> <file> <legacy|v3> <runs> <resultFile|->
 * Prints one JSON line: wall times of each run, RSS before the first run and the process's peak.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { aggregateResponseBytes, normalizeElements, parseRange } from '../lib/pipeline/aggregate-bytes.ts';
import { createAggregator } from '../lib/metrics/aggregator.ts';
import { splitIntoRanges } from '../lib/pipeline/split-response.ts';
import { createAggregationPool } from '../lib/pipeline/parallel-aggregate.ts';
import type { ResponseFormat } from '../lib/pipeline/split-response.ts';
import type { MetricsResult } from '../lib/metrics/aggregator.ts';
import { BENCH_WINDOW_START_US, BENCH_WINDOW_US } from './generate.ts';

const [mode, file, formatArg, runsArg, resultFile] = process.argv.slice(2);
const format = formatArg as ResponseFormat;
const runs = Number(runsArg ?? 1);
const options = { windowStartUs: BENCH_WINDOW_START_US, windowEndUs: BENCH_WINDOW_START_US + BENCH_WINDOW_US };

const bytes = readFileSync(file as string);
const pool = mode === 'workers' ? createAggregationPool(Number(process.env.SPANLENS_BENCH_WORKERS ?? 2)) : null;
const baseRssBytes = process.memoryUsage().rss;
const timesMs: number[] = [];
/** CPU time of the whole process (all threads) per run: steadier than wall time on a shared machine. */
const cpuMs: number[] = [];
let result: MetricsResult | null = null;
let parsedItems = 0;
/** `phases` mode: where single-threaded time goes, per stage, summed over chunks. */
const phasesMs = { split: 0, decodeAndParse: 0, normalise: 0, aggregate: 0, finish: 0 };

for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  if (mode === 'parse') {
    // The baseline: what any consumer of the response must at least do.
    const json = JSON.parse(bytes.toString('utf8')) as { data?: unknown[]; result?: { resourceSpans?: unknown[] } };
    parsedItems = (json.data ?? json.result?.resourceSpans ?? []).length;
  } else if (mode === 'single') {
    result = aggregateResponseBytes(bytes, format, options);
  } else if (mode === 'phases') {
    let t = performance.now();
    const ranges = splitIntoRanges(bytes, format, 4 * 1024 * 1024);
    phasesMs.split += performance.now() - t;
    const aggregator = createAggregator(options);
    for (const range of ranges) {
      t = performance.now();
      const elements = parseRange(bytes, range);
      const parsed = performance.now();
      const traces = normalizeElements(format, elements);
      const normalised = performance.now();
      for (const trace of traces) aggregator.addTrace(trace);
      const aggregated = performance.now();
      phasesMs.decodeAndParse += parsed - t;
      phasesMs.normalise += normalised - parsed;
      phasesMs.aggregate += aggregated - normalised;
    }
    t = performance.now();
    result = aggregator.finish();
    phasesMs.finish += performance.now() - t;
  } else if (mode === 'workers' && pool) {
    result = await pool.aggregate(bytes, format, options);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  timesMs.push(performance.now() - started);
  const cpu = process.cpuUsage(cpuStarted);
  cpuMs.push((cpu.user + cpu.system) / 1000);
}
await pool?.close();

const digest = result ? createHash('sha256').update(JSON.stringify(result)).digest('hex') : null;
if (result && resultFile && resultFile !== '-') writeFileSync(resultFile, JSON.stringify(result));
process.stdout.write(
  `${JSON.stringify({
    mode,
    format,
    timesMs,
    cpuMs,
    baseRssMb: baseRssBytes / 2 ** 20,
    // resourceUsage().maxRSS is in KiB and covers every thread of the process (workers included).
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    digest,
    parsedItems,
    spansCounted: result?.spansCounted ?? null,
    phasesMs,
  })}\n`,
);
