import { describe, expect, it } from 'vitest';
import { JaegerBadResponseError } from './errors.ts';
import { escapeServiceRegex, mergeSpmAnswers, readSpmSeries, spmRatePerFor } from './spm-answer.ts';

const MINUTE_US = 60_000_000;

/** A Jaeger metrics answer as v2.13 sends it (shape recorded from /api/metrics/latencies?groupByOperation=true). */
function family(name: string, series: readonly { service: string; operation?: string; values: readonly (number | string)[] }[]) {
  return {
    name,
    type: 'GAUGE',
    help: 'recorded shape',
    metrics: series.map((entry) => ({
      // Label order inside a metric is random (jaeger-api.md §7b): operation first here.
      labels: [
        ...(entry.operation === undefined ? [] : [{ name: 'operation', value: entry.operation }]),
        { name: 'service_name', value: entry.service },
      ],
      metricPoints: entry.values.map((value, i) => ({ gaugeValue: { doubleValue: value }, timestamp: `2026-12-02T00:3${i}:00.000Z` })),
    })),
  };
}

describe('spmRatePerFor', () => {
  it.each([
    { windowUs: 60 * MINUTE_US, ms: 3_600_000, label: '1h' },
    { windowUs: 10 * MINUTE_US, ms: 600_000, label: '10m' },
    // 90 minutes would reach Prometheus as `1h` anyway ("1h30m0s" cut after its first unit): say so.
    { windowUs: 90 * MINUTE_US, ms: 3_600_000, label: '1h' },
    // 1.5 minutes is not 90000 ms (Jaeger would send `1m`): it is 1 whole minute.
    { windowUs: 1.5 * MINUTE_US, ms: 60_000, label: '1m' },
    { windowUs: 45_000_000, ms: 45_000, label: '45s' },
    { windowUs: 1_500_000, ms: 1_000, label: '1s' },
    { windowUs: 500_000, ms: 1_000, label: '1s' },
    { windowUs: 7 * 24 * 60 * MINUTE_US, ms: 168 * 3_600_000, label: '168h' },
  ])('a window of $windowUs µs reads over a trailing $label', ({ windowUs, ms, label }) => {
    expect(spmRatePerFor(windowUs)).toEqual({ ms, label });
  });
});

describe('escapeServiceRegex', () => {
  it.each([
    ['frontend', 'frontend'],
    ['api.gateway', 'api\\.gateway'],
    ['svc(v2)+[eu]', 'svc\\(v2\\)\\+\\[eu\\]'],
    ['a|b', 'a\\|b'],
    ['^x$*?{1}\\', '\\^x\\$\\*\\?\\{1\\}\\\\'],
  ])('escapes %j as %j', (service, escaped) => {
    expect(escapeServiceRegex(service)).toBe(escaped);
    // The escaped text, read as a regex, matches the name and nothing else.
    expect(new RegExp(`^${escaped}$`).test(service)).toBe(true);
  });
});

describe('readSpmSeries', () => {
  it('takes each series’ newest point, whatever the label order', () => {
    const series = readSpmSeries(family('service_operation_call_rate', [{ service: 'shop', operation: 'GET /cart', values: [0.5, 1.25] }]), 'calls');
    expect([...series.values()]).toEqual([{ service: 'shop', operation: 'GET /cart', value: 1.25 }]);
  });

  it('reads "NaN" (no new spans in the window) and infinities as no number, not 0', () => {
    const series = readSpmSeries(
      family('service_latencies', [
        { service: 'a', values: ['NaN'] },
        { service: 'b', values: [3, '+Inf'] },
      ]),
      'latencies',
    );
    expect([...series.values()].map((entry) => entry.value)).toEqual([null, null]);
  });

  it('reads an answer without metrics (protojson leaves empty lists out) as no series', () => {
    expect(readSpmSeries({ name: 'service_call_rate', type: 'GAUGE', help: '' }, 'calls').size).toBe(0);
  });

  it.each([
    ['an auth proxy’s JSON', { message: 'Unauthorized' }],
    ['a value that is neither a number nor NaN', family('x', [{ service: 'a', values: ['12'] }])],
    ['a series without labels', { name: 'x', metrics: [{ metricPoints: [] }] }],
  ])('rejects %s as a bad Jaeger answer', (_, json) => {
    expect(() => readSpmSeries(json, 'Jaeger’s /api/metrics/calls')).toThrow(JaegerBadResponseError);
  });
});

describe('mergeSpmAnswers', () => {
  const read = (name: string, series: Parameters<typeof family>[1]) => readSpmSeries(family(name, series), name);

  it('joins calls, errors and p50/p95 by operation, latencies from ms to µs', () => {
    const rows = mergeSpmAnswers({
      calls: read('calls', [{ service: 's', operation: 'op', values: [2] }]),
      errors: read('errors', [{ service: 's', operation: 'op', values: [0.25] }]),
      p50: read('p50', [{ service: 's', operation: 'op', values: [1.5] }]),
      p95: read('p95', [{ service: 's', operation: 'op', values: [12.3456] }]),
    });
    expect(rows).toEqual([{ service: 's', operation: 'op', ratePerSecond: 2, errorRate: 0.25, p50Us: 1_500, p95Us: 12_346 }]);
  });

  it('reads a missing per-operation error series as 0 where calls exist, and as no number where none do', () => {
    const rows = mergeSpmAnswers({
      calls: read('calls', [
        { service: 's', operation: 'ok', values: [4] },
        { service: 's', operation: 'failing', values: [1] },
        { service: 's', operation: 'quiet', values: [0] },
      ]),
      errors: read('errors', [{ service: 's', operation: 'failing', values: [0.5] }]),
      p50: read('p50', [{ service: 's', operation: 'quiet', values: ['NaN'] }]),
      p95: read('p95', []),
    });
    expect(rows.map((row) => [row.operation, row.ratePerSecond, row.errorRate, row.p50Us])).toEqual([
      ['ok', 4, 0, null],
      ['failing', 1, 0.5, null],
      ['quiet', 0, null, null],
    ]);
  });

  it('keeps a series that only a latency answer has (no calls row: no rate, no error rate)', () => {
    const rows = mergeSpmAnswers({
      calls: read('c', []),
      errors: read('e', []),
      p50: read('p50', [{ service: 's', values: [2] }]),
      p95: read('p95', []),
    });
    expect(rows).toEqual([{ service: 's', operation: null, ratePerSecond: null, errorRate: null, p50Us: 2_000, p95Us: null }]);
  });
});
