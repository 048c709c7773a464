import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceBreakdown, type RawTrace } from '../testing/jaeger-ui-reference.ts';
import { runCli } from './main.ts';
import type { Report } from './report.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDED = join(repoRoot, 'lib/testing/recorded/hotrod-traces.json');
const raw = (JSON.parse(readFileSync(RECORDED, 'utf8')) as { data: RawTrace[] }).data;

/** The report's two lists as maps by `service\toperation`, to compare with jaeger-ui's rules run on the same file. */
function byKey(report: Report) {
  return {
    selfTime: new Map(report.selfTime.map((r) => [`${r.service}\t${r.operation}`, [r.spans, r.totalSelfUs]])),
    criticalPath: new Map(report.criticalPath.map((r) => [`${r.service}\t${r.operation}`, [r.traces, r.spans, r.totalCriticalUs]])),
  };
}

function expected(counted: (service: string, operation: string) => boolean) {
  const reference = referenceBreakdown(raw, counted);
  return {
    selfTime: new Map([...reference.selfTime].map(([key, r]) => [key, [r.spans, r.totalSelfUs]])),
    criticalPath: new Map([...reference.criticalPath].map(([key, r]) => [key, [r.traces, r.spans, r.totalCriticalUs]])),
  };
}

describe('spanlens report --format json: selfTime and criticalPath = jaeger-ui v1.76.0 on the recorded HotROD traces', () => {
  it('covers every trace of the file without --service, each trace once (the real entry point)', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts/spanlens.mjs'), 'report', '--file', RECORDED, '--format', 'json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(byKey(report)).toEqual(expected(() => true));
    // Each trace's root holds a section of its path: 23 /dispatch requests and 2 /config ones (hotrod-README.md).
    const traces = (operation: string) => report.criticalPath.find((r) => r.service === 'frontend' && r.operation === operation)?.traces;
    expect([traces('/dispatch'), traces('/config')]).toEqual([23, 2]);
    expect(Object.keys(report.selfTime[0] ?? {})).toEqual(['service', 'operation', 'spans', 'totalSelfUs']);
    expect(Object.keys(report.criticalPath[0] ?? {})).toEqual(['service', 'operation', 'traces', 'spans', 'totalCriticalUs']);
  });

  it('covers the traces holding a counted span with --service and --operation', async () => {
    let stdout = '';
    const code = await runCli(['report', '--file', RECORDED, '--service', 'frontend', '--operation', '/dispatch', '--format', 'json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: {},
      nowUs: () => 0,
    });
    expect(code).toBe(0);
    expect(byKey(JSON.parse(stdout) as Report)).toEqual(expected((service, operation) => service === 'frontend' && operation === '/dispatch'));
  });
});
