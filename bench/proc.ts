/**
 * Process helpers for the product-path bench: free ports, timed child processes with their peak RSS
 * (GNU time), a process tree's peak RSS (VmHWM), and the ratio rows the summary table prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** A port nothing listens on right now: bind port 0, read what the kernel gave, close. */
export function freePort(): Promise<number> {
  return new Promise((done, failed) => {
    const server = createServer();
    server.on('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface TimedRun {
  readonly ms: number;
  /** Peak RSS of the largest process of the run's tree (GNU time's %M, from wait4's rusage). */
  readonly peakRssMb: number;
  readonly stdout: string;
}

/** Runs a command to completion under /usr/bin/time, timing it from here (spawn to exit). */
export function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): TimedRun {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'SPANLENS_BENCH_MAXRSS_KB=%M', command, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 256 << 20,
  });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(-2000)}`);
  const kb = Number(/SPANLENS_BENCH_MAXRSS_KB=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return { ms, peakRssMb: kb / 1024, stdout: result.stdout };
}

/** `pid` and every descendant, from /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const current = out[i] as number;
    try {
      for (const line of execFileSync('sh', ['-c', `cat /proc/${current}/task/*/children 2>/dev/null || true`], { encoding: 'utf8' }).split(/\s+/)) {
        if (line !== '') out.push(Number(line));
      }
    } catch {
      // the process is gone
    }
  }
  return out;
}

/** The largest peak RSS (VmHWM) of any process in the tree of `pid`, with that process's name. */
export function treePeakRss(pid: number): { readonly mb: number; readonly name: string } {
  let best = { mb: 0, name: '' };
  for (const member of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      const kb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      // cmdline, not Name: the kernel cuts Name to 15 characters ("next-server (v1").
      const name = readFileSync(`/proc/${member}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 40) || '?';
      if (kb / 1024 > best.mb) best = { mb: kb / 1024, name };
    } catch {
      // the process is gone
    }
  }
  return best;
}

export interface RatioRow {
  readonly what: string;
  /** "1.23× (456 ms vs 370 ms)" style detail is built from these. */
  readonly value: number;
  readonly unit: '×' | 'MB' | 'requests';
  readonly detail: string;
  /** NaN: reported, no target. */
  readonly target: number;
  /** `exact`: value must equal target; `max`: at most; `below`: strictly less. */
  readonly compare: 'max' | 'below' | 'exact';
}

export function ratioRow(
  what: string,
  ms: number,
  baselineMs: number,
  baseline: string,
  target: number,
  compare: RatioRow['compare'] = 'max',
): RatioRow {
  return {
    what,
    value: ms / baselineMs,
    unit: '×',
    detail: `${ms.toFixed(0)} ms vs ${baseline} ${baselineMs.toFixed(0)} ms`,
    target,
    compare,
  };
}

export const verdict = (row: RatioRow): 'PASS' | 'MISS' | '' => (Number.isNaN(row.target) ? '' : passes(row) ? 'PASS' : 'MISS');

const passes = (row: RatioRow): boolean =>
  row.compare === 'exact' ? row.value === row.target : row.compare === 'below' ? row.value < row.target : row.value <= row.target;

export function formatValue(row: RatioRow): string {
  if (row.unit === '×') return `${row.value.toFixed(2)}×`;
  if (row.unit === 'MB') return `${row.value.toFixed(0)} MB`;
  return `${row.value}`;
}

export function formatTarget(row: RatioRow): string {
  if (Number.isNaN(row.target)) return '—';
  const sign = row.compare === 'exact' ? '=' : row.compare === 'below' ? '<' : '≤';
  const value = row.unit === '×' ? `${row.target.toFixed(2)}×` : row.unit === 'MB' ? `${row.target} MB` : `${row.target}`;
  return `${sign} ${value}`;
}
