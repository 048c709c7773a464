/**
 * The CLI part of `npm run bench`: `spanlens report --file` and `spanlens --help` as whole processes,
 * the way a user runs them, each against a bare `node` doing the least the same job needs:
 *   report --file F --service S --format json   vs  node -e "JSON.parse(readFileSync(F,'utf8'))"
 *   --help                                      vs  node -e 0
 * on a generated legacy file of ≈ 53 MB (SPANLENS_BENCH_CLI_SPANS spans). Each pair runs interleaved
 * after one warm-up of each (so the file is in the page cache for both), medians of RUNS; peak RSS
 * is GNU time's %M for the largest process of each run (the CLI launcher's child included).
 * The report runs twice: on one thread (SPANLENS_FILE_WORKERS=1) and as shipped (worker threads).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBenchData } from './generate.ts';
import { median, ratioRow, timed, type RatioRow } from './proc.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'scripts/spanlens.mjs');
const RUNS = Number(process.env.SPANLENS_BENCH_CLI_RUNS ?? 5);
const CLI_SPANS = Number(process.env.SPANLENS_BENCH_CLI_SPANS ?? 51_000);

interface Pair {
  readonly ms: number;
  readonly baselineMs: number;
  readonly rssMb: number;
  readonly baselineRssMb: number;
  readonly stdout: string;
}

function pair(args: readonly string[], baselineArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): Pair {
  const node = process.execPath;
  timed(node, baselineArgs);
  timed(node, args, env);
  const runs: ReturnType<typeof timed>[] = [];
  const baselines: ReturnType<typeof timed>[] = [];
  for (let run = 0; run < RUNS; run++) {
    baselines.push(timed(node, baselineArgs));
    runs.push(timed(node, args, env));
  }
  return {
    ms: median(runs.map((r) => r.ms)),
    baselineMs: median(baselines.map((r) => r.ms)),
    rssMb: median(runs.map((r) => r.peakRssMb)),
    baselineRssMb: median(baselines.map((r) => r.peakRssMb)),
    stdout: (runs.at(-1) as ReturnType<typeof timed>).stdout,
  };
}

export function runCliBench(seed: number): RatioRow[] {
  const data = generateBenchData(seed, CLI_SPANS);
  const file = join(tmpdir(), `spanlens-bench-cli-${seed}-${CLI_SPANS}-legacy.json`);
  if (!existsSync(file) || readFileSync(file).length !== data.legacy.length) writeFileSync(file, data.legacy);
  const mb = data.legacy.length / 1e6;
  console.log(`CLI as a whole process (${data.spans.toLocaleString('en')} spans, legacy file ${mb.toFixed(1)} MB, medians of ${RUNS})`);

  const rows: RatioRow[] = [];
  const parse = ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`];
  const report = [CLI, 'report', '--file', file, '--service', 'frontend', '--format', 'json'];
  // SPANLENS_FILE_WORKERS=1 keeps the CLI's parse on one thread; by default it uses worker threads
  // for files past its threshold (24 MB today), so both are measured against their own targets.
  const variants: { label: string; env: NodeJS.ProcessEnv; target: number }[] = [
    { label: 'one thread (SPANLENS_FILE_WORKERS=1)', env: { ...process.env, SPANLENS_FILE_WORKERS: '1' }, target: 1.25 },
    { label: 'default (worker threads)', env: { ...process.env, SPANLENS_FILE_WORKERS: '' }, target: 0.8 },
  ];
  for (const variant of variants) {
    const result = pair(report, parse, variant.env);
    const groups = (JSON.parse(result.stdout) as { groups?: { count: number }[] }).groups ?? [];
    const spans = groups.reduce((sum, group) => sum + group.count, 0);
    console.log(
      `  report --file, ${variant.label}: ${result.ms.toFixed(0)} ms, peak RSS ${result.rssMb.toFixed(0)} MB (${spans.toLocaleString('en')} frontend spans in ${groups.length} groups); ` +
        `node JSON.parse: ${result.baselineMs.toFixed(0)} ms, peak RSS ${result.baselineRssMb.toFixed(0)} MB`,
    );
    rows.push(
      ratioRow(`spanlens report --file ${mb.toFixed(0)} MB, ${variant.label}`, result.ms, result.baselineMs, 'node JSON.parse', variant.target),
    );
    rows.push({
      what: '  its peak RSS, × node JSON.parse',
      value: result.rssMb / result.baselineRssMb,
      unit: '×',
      detail: `${result.rssMb.toFixed(0)} MB vs ${result.baselineRssMb.toFixed(0)} MB`,
      target: Number.NaN,
      compare: 'max',
    });
  }
  const help = pair([CLI, '--help'], ['-e', '0']);
  console.log(
    `  --help: ${help.ms.toFixed(0)} ms, peak RSS ${help.rssMb.toFixed(0)} MB; node -e 0: ${help.baselineMs.toFixed(0)} ms, ${help.baselineRssMb.toFixed(0)} MB`,
  );
  rows.push(ratioRow('spanlens --help (start-up)', help.ms, help.baselineMs, 'node -e 0', 2));
  console.log('');
  return rows;
}
