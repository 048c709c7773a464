import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeWithSharedFixtures, readSharedFixture, sharedFixturePath } from '../testing/fixtures.ts';
import { runCli } from './main.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const HOTROD = 'hotrod-1.21-locust-5traces.json';

/** The caller's environment less any JAEGER_* settings, which would change what the CLI does. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('JAEGER_')) delete env[key];
  return env;
}

/** The real entry point, as a user runs it: `node scripts/spanlens.mjs …`. */
function spanlens(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/spanlens.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: cleanEnv(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function runInProcess(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    nowUs: () => 1_611_629_300_000_000,
  });
  return { code, stdout, stderr };
}

interface RawTag {
  key: string;
  value: unknown;
}
interface RawSpan {
  operationName: string;
  duration: number;
  processID: string;
  tags: RawTag[];
}

/**
 * An oracle written from the raw JSON, independent of lib/jaeger and lib/metrics: per operation of
 * one service, the count, the errors (design §2) and nearest-rank percentiles (ceil(q·n)-th smallest).
 */
function expectedGroups(json: unknown, service: string) {
  const data = (json as { data: { spans: RawSpan[]; processes: Record<string, { serviceName: string }> }[] }).data;
  const byOperation = new Map<string, { durations: number[]; errors: number }>();
  for (const trace of data) {
    for (const span of trace.spans) {
      if (trace.processes[span.processID]?.serviceName !== service) continue;
      const tag = (key: string) => span.tags.find((t) => t.key === key)?.value;
      const status = Number(tag('http.status_code') ?? 0);
      const error =
        tag('error') === true || tag('error') === 'true' || tag('otel.status_code') === 'ERROR' || (tag('span.kind') === 'server' && status >= 500);
      const entry = byOperation.get(span.operationName) ?? { durations: [], errors: 0 };
      entry.durations.push(span.duration);
      if (error) entry.errors += 1;
      byOperation.set(span.operationName, entry);
    }
  }
  const rank = (sorted: number[], q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
  return [...byOperation].map(([operation, { durations, errors }]) => {
    const sorted = [...durations].sort((a, b) => a - b);
    return {
      service,
      operation,
      tags: {},
      count: sorted.length,
      errorCount: errors,
      errorRate: errors / sorted.length,
      p50: rank(sorted, 0.5),
      p90: rank(sorted, 0.9),
      p95: rank(sorted, 0.95),
      p99: rank(sorted, 0.99),
      max: sorted[sorted.length - 1],
    };
  });
}

const byOperation = (a: { operation: string | null }, b: { operation: string | null }) => (a.operation ?? '').localeCompare(b.operation ?? '');

describeWithSharedFixtures('spanlens report --file (subprocess)', () => {
  it('prints the JSON document with exact counts, error rates and µs percentiles per operation', () => {
    const { code, stdout, stderr } = spanlens('report', '--file', sharedFixturePath(HOTROD), '--service', 'redis', '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { unit: string; groups: { operation: string | null }[]; coverage: Record<string, unknown> };
    expect(report.unit).toBe('us');
    expect(report.groups).toEqual([
      {
        service: 'redis',
        operation: 'GetDriver',
        tags: {},
        count: 38,
        errorCount: 8,
        errorRate: 8 / 38,
        p50: 11718,
        p90: 34205,
        p95: 34640,
        p99: 36193,
        max: 36193,
      },
      {
        service: 'redis',
        operation: 'FindDriverIDs',
        tags: {},
        count: 3,
        errorCount: 0,
        errorRate: 0,
        p50: 18710,
        p90: 24185,
        p95: 24185,
        p99: 24185,
        max: 24185,
      },
    ]);
    expect([...report.groups].sort(byOperation)).toEqual(expectedGroups(readSharedFixture(HOTROD), 'redis').sort(byOperation));
    expect(report.coverage).toEqual({
      api: 'file',
      tracesFetched: 3,
      spansReceived: 122,
      subWindows: 1,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      upstreamRequests: 0,
      complete: true,
      partial: false,
      windowStartUs: 1611628870928308,
      windowEndUs: 1611629216573992,
    });
  });

  it('prints an aligned table in ms/s with the coverage line', () => {
    const { code, stdout } = spanlens('report', '--file', sharedFixturePath(HOTROD), '--service', 'frontend', '--operation', 'HTTP GET /dispatch');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'SERVICE   OPERATION           COUNT  ERRORS   ERR%    P50    P90    P95    P99    MAX',
        'frontend  HTTP GET /dispatch      4       2  50.0%  490ms  810ms  810ms  810ms  810ms',
        '',
        // Self time and critical path: jaeger-ui v1.76.0's rules on this file (lib/testing/jaeger-ui-reference.ts), top 5 of 11.
        'SELF TIME (top 1 of 1)',
        'SERVICE   OPERATION           SPANS   TOTAL',
        'frontend  HTTP GET /dispatch      4  5.65ms',
        '',
        'CRITICAL PATH (top 5 of 11)',
        'SERVICE   OPERATION        TRACES  SPANS   TOTAL',
        'mysql     SQL SELECT            4      4   1.26s',
        'redis     GetDriver             3     34   528ms',
        'route     HTTP GET /route       2      8   441ms',
        'redis     FindDriverIDs         3      3  59.2ms',
        'frontend  HTTP GET              4     12  11.9ms',
        '',
        'complete — 4 traces, 127 spans from the file, window 2021-01-26T02:41:10.928Z – 2021-01-26T02:46:56.573Z',
        '',
      ].join('\n'),
    );
  });

  it('prints CSV grouped by a tag, with "(none)" for spans without it', () => {
    const { code, stdout } = spanlens(
      'report',
      '--file',
      sharedFixturePath(HOTROD),
      '--service',
      'frontend',
      '--group-by',
      'tag:http.status_code',
      '--format',
      'csv',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'service,operation,tag:http.status_code,count,errorCount,errorRate,p50_us,p90_us,p95_us,p99_us,max_us',
        'frontend,,(none),28,0,0,61170,325810,333810,366185,366185',
        'frontend,,200,26,0,0,58399,366068,776788,809826,809826',
        'frontend,,500,2,2,1,237531,489647,489647,489647,489647',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 with one sentence for bad arguments, 1 when the file cannot be read', () => {
    const bad = spanlens('report', '--file', sharedFixturePath(HOTROD), '--service', 'redis', '--limit', 'lots');
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'spanlens: --limit must be a whole number from 1 to 100000; got "lots".\n' });
    const missing = spanlens('report', '--file', '/nonexistent/traces.json', '--service', 'redis');
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'spanlens: Cannot read trace file /nonexistent/traces.json: no such file\n' });
  });

  it('prints its help with exit 0', () => {
    const { code, stdout } = spanlens('report', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: spanlens report (--file F | --jaeger URL [--api auto|legacy|v3]) [--service S]');
  });

  it('reports every service without --service: the union of the per-service reports, coverage summed', () => {
    const file = sharedFixturePath(HOTROD);
    const all = JSON.parse(spanlens('report', '--file', file, '--format', 'json').stdout) as {
      groups: { service: string }[];
      coverage: { tracesFetched: number; spansReceived: number; windowStartUs: number };
    };
    const services = ['customer', 'driver', 'frontend', 'mysql', 'redis', 'route'];
    const each = services.map((service) => JSON.parse(spanlens('report', '--file', file, '--service', service, '--format', 'json').stdout));
    expect(all.groups).toEqual(each.flatMap((report) => report.groups));
    expect(all.coverage.tracesFetched).toBe(each.reduce((n, report) => n + report.coverage.tracesFetched, 0));
    expect(all.coverage.spansReceived).toBe(each.reduce((n, report) => n + report.coverage.spansReceived, 0));
    expect(all.coverage.windowStartUs).toBe(each[0].coverage.windowStartUs);
  });
});

describeWithSharedFixtures('runCli report --file (in process)', () => {
  it('counts only the window asked for', async () => {
    const { code, stdout } = await runInProcess(
      'report',
      '--file',
      sharedFixturePath(HOTROD),
      '--service',
      'frontend',
      '--operation',
      'HTTP GET /dispatch',
      '--start',
      '2021-01-26T02:46:52Z',
      '--end',
      '2021-01-26T02:46:56Z',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { groups: { count: number; errorCount: number }[]; coverage: { tracesFetched: number } };
    // Traces 0024ee4e… (02:46:52.6) and 5daf6fb0… (02:46:55.9, failed); 3fff918b… starts at 02:46:56.2.
    expect(report.groups.map((g) => [g.count, g.errorCount])).toEqual([[2, 1]]);
    expect(report.coverage.tracesFetched).toBe(2);
  });

  it('applies --tag filters per span and --limit newest first, reporting the cut', async () => {
    const tagged = await runInProcess(
      'report',
      '--file',
      sharedFixturePath(HOTROD),
      '--service',
      'redis',
      '--tag',
      'param.driverID=T759201C',
      '--format',
      'json',
    );
    expect((JSON.parse(tagged.stdout) as { groups: { operation: string; count: number }[] }).groups).toMatchObject([
      { operation: 'GetDriver', count: 2 },
    ]);
    const limited = await runInProcess('report', '--file', sharedFixturePath(HOTROD), '--service', 'redis', '--limit', '1', '--format', 'json');
    const report = JSON.parse(limited.stdout) as { coverage: { tracesFetched: number; complete: boolean; subWindowsAtLimit: number } };
    expect(report.coverage).toMatchObject({ tracesFetched: 1, complete: false, subWindowsAtLimit: 1 });
  });

  it('says "(no spans matched)" for a service that is not in the file', async () => {
    const { code, stdout } = await runInProcess('report', '--file', sharedFixturePath(HOTROD), '--service', 'nobody');
    expect(code).toBe(0);
    expect(stdout).toContain('(no spans matched)');
  });
});

describe('runCli', () => {
  it.each([
    [[], 2, 'Usage: spanlens report'],
    [['frobnicate'], 2, 'Unknown command "frobnicate"'],
    [['report', '--service', 'x'], 2, 'Give exactly one of --file F or --jaeger URL.'],
    [['report', '--file', 'a.json', '--jaeger', 'http://x', '--service', 's'], 2, 'Give exactly one of --file F or --jaeger URL.'],
    [['report', '--jaeger', 'http://127.0.0.1:9', '--service', 's', '--lookback', '5m'], 1, 'Jaeger is unreachable at http://127.0.0.1:9/'],
  ])('%j exits %i, saying %s', async (args, code, message) => {
    const result = await runInProcess(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
