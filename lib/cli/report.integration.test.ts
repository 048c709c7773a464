/**
 * `spanlens report --jaeger` against the real Jaeger of the integration harness: spans with known
 * durations and statuses go in through OTLP/HTTP, and the CLI (run as a user runs it) must print
 * exactly the counts, error rates and nearest-rank percentiles they imply, through either API.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FullMetricsResponse } from '../http/api-types.ts';
import { hex, postOtlpSpans, requireTestEnv, waitForTraces, type OtlpTestSpan } from '../testing/post-otlp.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A service name of its own per run: the harness's in-memory Jaeger outlives a single test run. */
const SERVICE = `cli-report-${Date.now().toString(36)}`;
const TRACES = 20;
const BASE_US = (Date.now() - 10 * 60_000) * 1_000;

/**
 * Trace i: a server span `GET /checkout` of (i+1) ms, failed (status ERROR) when i % 5 == 0, and a
 * client child `charge` of 500+i µs tagged region=eu (even i) or us (odd i), answered 404 when i % 3 == 0.
 */
function workload(): OtlpTestSpan[] {
  const spans: OtlpTestSpan[] = [];
  for (let i = 0; i < TRACES; i++) {
    const traceId = hex(0xc11_0000 + i, 32);
    const startUs = BASE_US + i * 1_000_000;
    spans.push({
      traceId,
      spanId: hex(2 * i + 1, 16),
      service: SERVICE,
      name: 'GET /checkout',
      kind: 2,
      startUs,
      durationUs: (i + 1) * 1_000,
      error: i % 5 === 0,
    });
    spans.push({
      traceId,
      spanId: hex(2 * i + 2, 16),
      parentSpanId: hex(2 * i + 1, 16),
      service: SERVICE,
      name: 'charge',
      kind: 3,
      startUs: startUs + 100,
      durationUs: 500 + i,
      // A client 4xx every third call: an error only with clientErrors (design §2).
      attributes: { region: i % 2 === 0 ? 'eu' : 'us', ...(i % 3 === 0 && { 'http.response.status_code': '404' }) },
    });
  }
  return spans;
}

const iso = (us: number) => new Date(us / 1_000).toISOString();
const WINDOW = ['--start', iso(BASE_US - 60_000_000), '--end', iso(BASE_US + (TRACES + 60) * 1_000_000)];

function spanlens(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/spanlens.mjs'), 'report', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  unit: 'us';
  groups: Record<string, unknown>[];
  coverage: { api: string; tracesFetched: number; spansReceived: number; complete: boolean; partial: boolean };
}

function reportJson(...args: string[]): JsonReport {
  const { code, stdout, stderr } = spanlens(...args, '--format', 'json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as JsonReport;
}

// Nearest rank: p50 of 20 = 10th smallest, p90 = 18th, p95 = 19th, p99 = ceil(19.8) = 20th.
const CHECKOUT = {
  service: SERVICE,
  operation: 'GET /checkout',
  tags: {},
  count: 20,
  errorCount: 4,
  errorRate: 0.2,
  p50: 10_000,
  p90: 18_000,
  p95: 19_000,
  p99: 20_000,
  max: 20_000,
};
const CHARGE = {
  service: SERVICE,
  operation: 'charge',
  tags: {},
  count: 20,
  errorCount: 0,
  errorRate: 0,
  p50: 509,
  p90: 517,
  p95: 518,
  p99: 519,
  max: 519,
};

describe('spanlens report --jaeger (real Jaeger)', () => {
  let jaegerUrl = '';
  let v3OnlyUrl = '';

  beforeAll(async () => {
    jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
    v3OnlyUrl = requireTestEnv('SPANLENS_TEST_V3_ONLY_URL');
    await postOtlpSpans(requireTestEnv('SPANLENS_TEST_OTLP_URL'), workload());
    await waitForTraces(jaegerUrl, SERVICE, BASE_US - 60_000_000, BASE_US + (TRACES + 60) * 1_000_000, TRACES);
  });

  it.each(['legacy', 'v3'] as const)('through the %s API: exact counts, errors and percentiles per operation', (api) => {
    const report = reportJson('--jaeger', jaegerUrl, '--api', api, '--service', SERVICE, ...WINDOW);
    expect(report.unit).toBe('us');
    expect(report.groups).toEqual(expect.arrayContaining([CHECKOUT, CHARGE]));
    expect(report.groups).toHaveLength(2);
    expect(report.coverage).toMatchObject({ api, tracesFetched: 20, spansReceived: 40, complete: true, partial: false });
  });

  it('falls back to v3 on a Jaeger without legacy search, with the same numbers', () => {
    const report = reportJson('--jaeger', v3OnlyUrl, '--service', SERVICE, ...WINDOW);
    expect(report.coverage.api).toBe('v3');
    expect(report.groups).toEqual(expect.arrayContaining([CHECKOUT, CHARGE]));
  });

  it('filters by operation and groups by a tag', () => {
    const report = reportJson('--jaeger', jaegerUrl, '--service', SERVICE, '--operation', 'charge', '--group-by', 'tag:region', ...WINDOW);
    // eu: 500, 502, …, 518 (p50 = 5th = 508, p90 = 9th = 516); us: 501, 503, …, 519.
    const byRegion = [...report.groups].sort((a, b) => JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags)));
    expect(byRegion).toEqual([
      {
        service: SERVICE,
        operation: 'charge',
        tags: { region: 'eu' },
        count: 10,
        errorCount: 0,
        errorRate: 0,
        p50: 508,
        p90: 516,
        p95: 518,
        p99: 518,
        max: 518,
      },
      {
        service: SERVICE,
        operation: 'charge',
        tags: { region: 'us' },
        count: 10,
        errorCount: 0,
        errorRate: 0,
        p50: 509,
        p90: 517,
        p95: 519,
        p99: 519,
        max: 519,
      },
    ]);
  });

  it('gives exactly the groups /api/metrics gives for the same query: duration bound, tag filter and client errors', async () => {
    const flags = ['--min-duration', '505us', '--tag', 'region=eu', '--client-errors', '--group-by', 'operation'];
    const report = reportJson('--jaeger', jaegerUrl, '--service', SERVICE, ...flags, ...WINDOW);

    vi.resetModules();
    process.env.JAEGER_URL = jaegerUrl;
    const { GET } = await import('../../app/api/metrics/route.ts');
    const params = new URLSearchParams([
      ['service', SERVICE],
      ['minDuration', '505us'],
      ['tags', 'region=eu'],
      ['clientErrors', '1'],
      ['groupBy', 'operation'],
      ['start', WINDOW[1] as string],
      ['end', WINDOW[3] as string],
    ]);
    const response = await GET(new Request(`http://spanlens.test/api/metrics?${params}`));
    expect(response.status).toBe(200);
    const api = (await response.json()) as FullMetricsResponse;
    const apiGroups = api.groups.map((group) => ({
      service: SERVICE,
      operation: group.operation,
      tags: group.tags,
      count: group.count,
      errorCount: group.errorCount,
      errorRate: group.errorRate,
      p50: group.durations.p50.valueUs,
      p90: group.durations.p90.valueUs,
      p95: group.durations.p95.valueUs,
      p99: group.durations.p99.valueUs,
      max: group.durations.maxUs,
    }));

    // By hand: eu charges of ≥ 505 µs are i = 6, 8, …, 18 (506 … 518 µs); 404s among them at i = 6, 12, 18.
    // Nearest rank over 7: p50 = 4th = 512, p90 = p95 = p99 = 7th = 518. No checkout span carries region.
    const expected = [
      {
        service: SERVICE,
        operation: 'charge',
        tags: {},
        count: 7,
        errorCount: 3,
        errorRate: 3 / 7,
        p50: 512,
        p90: 518,
        p95: 518,
        p99: 518,
        max: 518,
      },
    ];
    expect(report.groups).toEqual(expected);
    expect(apiGroups).toEqual(report.groups);
  });

  it('reports a sample, not a total, when --limit cuts the answer', () => {
    const report = reportJson('--jaeger', jaegerUrl, '--service', SERVICE, '--limit', '5', ...WINDOW);
    expect(report.coverage.complete).toBe(false);
    expect(report.coverage.tracesFetched).toBeLessThanOrEqual(5);
  });

  it('exits 1 with one sentence when the URL answers but is not a Jaeger query API', () => {
    // A base path Jaeger does not serve: v2.13's UI catch-all answers 200 text/html (jaeger-api.md §7a).
    const { code, stdout, stderr } = spanlens('--jaeger', `${jaegerUrl}/not-jaeger`, '--service', SERVICE, ...WINDOW);
    expect({ code, stdout, lines: stderr.trim().split('\n').length }).toEqual({ code: 1, stdout: '', lines: 1 });
    expect(stderr).toMatch(/^spanlens: /);
  });
});
