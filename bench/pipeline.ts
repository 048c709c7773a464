/**
 * The in-process pipeline part of `npm run bench`: bytes → metrics against a bare `JSON.parse` of the
 * same bytes (design §8).
 *
 * Generates a seeded Jaeger search response (≥ 200k spans, ≥ 100 MB, in both the legacy and the
 * api_v3 OTLP-JSON encodings of the same traces), then, for each encoding, measures in separate
 * child processes (so peak RSS belongs to one mode):
 *   parse    Buffer → string → JSON.parse (the baseline any consumer pays)
 *   single   Spanlens on one thread: decode + normalise + aggregate + finish
 *   workers  the same split across worker threads (warm pool, as the app server keeps one)
 * Times are the median of 3 runs after a warm-up run; memory is a fresh process's peak RSS for one
 * run. Also checks that single, workers, legacy and v3 give byte-identical results, and that every
 * group's p50/p90/p95/p99/max equal a plain sort of the generator's durations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { MetricsResult } from '../lib/metrics/aggregator.ts';
import { generateBenchData } from './generate.ts';
import { median, ratioRow, type RatioRow } from './proc.ts';

const TARGET_SPANS = Number(process.env.SPANLENS_BENCH_SPANS ?? 210_000);
const TIMED_RUNS = 3;
const MEASURE = fileURLToPath(new URL('./measure.ts', import.meta.url));

interface Measurement {
  readonly mode: string;
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly timesMs: number[];
  readonly cpuMs: number[];
  readonly baseRssMb: number;
  readonly peakRssMb: number;
  readonly digest: string | null;
  readonly spansCounted: number | null;
}

function measure(mode: string, file: string, format: string, runs: number, resultFile = '-'): Measurement {
  const out = execFileSync(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', '--max-old-space-size=8192', MEASURE, mode, file, format, String(runs), resultFile],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Measurement;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(8);

function checkExact(result: MetricsResult, durationsByOperation: ReadonlyMap<string, number[]>): number {
  let checked = 0;
  for (const group of result.groups) {
    const durations = [...(durationsByOperation.get(`${group.service}::${group.operation}`) ?? [])].sort((a, b) => a - b);
    const rank = (q: number) => durations[Math.ceil((q * durations.length) / 100) - 1];
    const d = group.durations;
    const ok =
      d.count === durations.length &&
      d.p50.valueUs === rank(50) &&
      d.p90.valueUs === rank(90) &&
      d.p95.valueUs === rank(95) &&
      d.p99.valueUs === rank(99) &&
      d.maxUs === durations.at(-1);
    if (!ok) throw new Error(`percentiles of ${group.key} differ from a plain sort`);
    checked++;
  }
  return checked;
}

export function runPipelineBench(SEED: number): RatioRow[] {
  const started = performance.now();
  const ratios: RatioRow[] = [];
  const data = generateBenchData(SEED, TARGET_SPANS);
  const files = {
    legacy: join(tmpdir(), `spanlens-bench-${SEED}-${TARGET_SPANS}-legacy.json`),
    v3: join(tmpdir(), `spanlens-bench-${SEED}-${TARGET_SPANS}-v3.json`),
  };
  for (const format of ['legacy', 'v3'] as const) {
    if (!existsSync(files[format]) || readFileSync(files[format]).length !== data[format].length) writeFileSync(files[format], data[format]);
  }
  console.log(
    `Spanlens bench: ${data.spans.toLocaleString('en')} spans in ${data.traces.toLocaleString('en')} traces; ` +
      `legacy ${(data.legacy.length / 1e6).toFixed(1)} MB, v3 ${(data.v3.length / 1e6).toFixed(1)} MB; ` +
      `${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; node ${process.version}`,
  );

  const digests = new Map<string, string>();
  for (const format of ['legacy', 'v3'] as const) {
    const file = files[format];
    const rows: { mode: string; ms: number; min: number; cpu: number; rss: number }[] = [];
    for (const mode of ['parse', 'single', 'workers']) {
      const resultFile = mode === 'parse' ? '-' : join(tmpdir(), `spanlens-bench-result-${format}-${mode}.json`);
      const timed = measure(mode, file, format, TIMED_RUNS + 1, resultFile);
      const memory = measure(mode, file, format, 1);
      const times = timed.timesMs.slice(1);
      rows.push({ mode, ms: median(times), min: Math.min(...times), cpu: median(timed.cpuMs.slice(1)), rss: memory.peakRssMb - memory.baseRssMb });
      if (timed.digest) {
        digests.set(`${format}/${mode}`, timed.digest);
        if (memory.digest !== timed.digest) throw new Error(`${format}/${mode}: runs disagree`);
        const result = JSON.parse(readFileSync(resultFile, 'utf8')) as MetricsResult;
        if (result.spansCounted !== data.spans) throw new Error(`${format}/${mode}: counted ${result.spansCounted} of ${data.spans} spans`);
        const groups = checkExact(result, data.durationsByOperation);
        console.log(`  ${format}/${mode}: ${groups} groups, exact percentiles equal a plain sort`);
      }
    }
    const phases = measure('phases', file, format, 2).phasesMs;
    const base = rows[0] as { ms: number; cpu: number; rss: number };
    console.log(`\n${format === 'legacy' ? 'legacy /api/traces JSON' : 'api_v3 OTLP-JSON'} (${(data[format].length / 1e6).toFixed(1)} MB)`);
    console.log('  mode        median ms   min ms   × parse   CPU ms (all threads)  × parse   peak RSS MB (above file)   × parse');
    for (const row of rows) {
      console.log(
        `  ${row.mode.padEnd(10)}${fmt(row.ms)}${fmt(row.min)}   ${fmt(row.ms / base.ms, 2)}   ${fmt(row.cpu)}              ${fmt(row.cpu / base.cpu, 2)}   ${fmt(row.rss)}                  ${fmt(row.rss / base.rss, 2)}`,
      );
    }
    const phaseTotal = Object.values(phases).reduce((a, b) => a + b, 0);
    console.log(
      `  single-threaded phases (2 runs, ms): ${Object.entries(phases)
        .map(([name, ms]) => `${name} ${(ms / 2).toFixed(0)} (${((100 * ms) / phaseTotal).toFixed(0)}%)`)
        .join(', ')}`,
    );
    const label = format === 'legacy' ? 'legacy' : 'v3';
    type Row = { ms: number; cpu: number; rss: number };
    const [single, workers] = [rows[1], rows[2]] as [Row, Row];
    // CPU time (all threads) is steadier than wall time on a shared machine: shown next to it.
    const cpu = (row: Row) => `; CPU ${(row.cpu / base.cpu).toFixed(2)}× (${row.cpu.toFixed(0)} vs ${base.cpu.toFixed(0)} ms)`;
    const one = ratioRow(
      `in-process pipeline, ${label} ${(data[format].length / 1e6).toFixed(0)} MB, one thread`,
      single.ms,
      base.ms,
      'JSON.parse',
      1.0,
    );
    const many = ratioRow(`in-process pipeline, ${label}, worker threads`, workers.ms, base.ms, 'JSON.parse', 1.0, 'below');
    ratios.push({ ...one, detail: one.detail + cpu(single) }, { ...many, detail: many.detail + cpu(workers) });
    ratios.push({
      what: `  peak RSS above the file, ${label}, one thread / workers × JSON.parse`,
      value: Math.max(single.rss, workers.rss) / base.rss,
      unit: '×',
      detail: `${single.rss.toFixed(0)} / ${workers.rss.toFixed(0)} MB vs ${base.rss.toFixed(0)} MB`,
      target: 1.0,
      compare: 'max',
    });
    console.log('');
  }

  for (const format of ['legacy', 'v3']) {
    if (digests.get(`${format}/single`) !== digests.get(`${format}/workers`)) throw new Error(`${format}: single and workers differ`);
  }
  // Across encodings the tag records of slowest spans may list keys in another order, so compare as values.
  const [legacyResult, v3Result] = ['legacy', 'v3'].map((format) =>
    JSON.parse(readFileSync(join(tmpdir(), `spanlens-bench-result-${format}-single.json`), 'utf8')),
  );
  if (!isDeepStrictEqual(legacyResult, v3Result)) throw new Error('legacy and v3 encodings of the same traces give different metrics');
  console.log('identical results: single = workers (byte for byte) for each encoding, and legacy = v3 (value for value)');
  console.log(`in-process pipeline took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return ratios;
}
