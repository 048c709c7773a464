/**
 * `npm run bench [-- --only=pipeline,cli,api]`: the design §8 targets, measured in one run as ratios
 * against baselines measured in the same run (medians of 3), on the paths users run:
 *   pipeline  in-process bytes → metrics vs bare JSON.parse (bench/pipeline.ts)
 *   cli       `spanlens report --file` and `spanlens --help` as whole processes vs bare node (bench/cli.ts)
 *   api       `/api/metrics` of `next start` on a real Jaeger vs Jaeger's own /api/traces (bench/api.ts)
 * `--only=product` is cli and api. Ends with one table of every ratio, its target and PASS/MISS.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runApiBench } from './api.ts';
import { runCliBench } from './cli.ts';
import { runPipelineBench } from './pipeline.ts';
import { formatTarget, formatValue, verdict, type RatioRow } from './proc.ts';

const SEED = 20261123;
const PARTS = ['pipeline', 'cli', 'api'] as const;
type Part = (typeof PARTS)[number];

function selectedParts(): ReadonlySet<Part> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  if (values.only === undefined) return new Set(PARTS);
  const parts = new Set<Part>();
  for (const name of values.only.split(',')) {
    if (name === 'product') parts.add('cli').add('api');
    else if ((PARTS as readonly string[]).includes(name)) parts.add(name as Part);
    else throw new Error(`--only takes ${PARTS.join(', ')} or product (comma-separated), got "${name}"`);
  }
  return parts;
}

const parts = selectedParts();
const started = performance.now();
console.log(
  `Spanlens bench (${[...parts].join(', ')}) on ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, node ${process.version}, ${new Date().toISOString()}\n`,
);
const rows: RatioRow[] = [];
const failures: string[] = [];
const part = async (name: Part, run: () => RatioRow[] | Promise<RatioRow[]>) => {
  if (!parts.has(name)) return;
  const partStarted = performance.now();
  try {
    rows.push(...(await run()));
  } catch (error) {
    // One part failing (e.g. the app does not build) still prints the others' numbers.
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    console.log(`${name} FAILED: ${failures.at(-1)}\n`);
  }
  console.log(`(${name} took ${((performance.now() - partStarted) / 1000).toFixed(0)} s)\n`);
};
await part('pipeline', () => runPipelineBench(SEED));
await part('cli', () => runCliBench(SEED));
await part('api', () => runApiBench());

const width = Math.max(...rows.map((row) => row.what.length), 10);
console.log(`${'measured'.padEnd(width)}  ${'value'.padStart(9)}  ${'target'.padStart(9)}  verdict  detail (medians of 3)`);
for (const row of rows) {
  console.log(
    `${row.what.padEnd(width)}  ${formatValue(row).padStart(9)}  ${formatTarget(row).padStart(9)}  ${verdict(row).padEnd(7)}  ${row.detail}`,
  );
}
const misses = rows.filter((row) => verdict(row) === 'MISS').length;
console.log(
  `\n${rows.filter((row) => verdict(row) === 'PASS').length} PASS, ${misses} MISS${failures.length > 0 ? `, ${failures.length} part(s) FAILED` : ''}; ` +
    `took ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.`,
);
if (failures.length > 0) process.exitCode = 1;
