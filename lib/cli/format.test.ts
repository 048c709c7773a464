import { describe, expect, it } from 'vitest';
import { formatCsv, formatDurationUs, formatJson, formatTable } from './format.ts';
import type { Report } from './report.ts';

const report: Report = {
  unit: 'us',
  groups: [
    {
      service: 'api',
      operation: 'GET /a, b',
      tags: { region: 'eu "west"' },
      count: 1200,
      errorCount: 3,
      errorRate: 0.0025,
      p50: 850,
      p90: 12_345,
      p95: 1_250_000,
      p99: 125_000_000,
      max: 125_400_000,
    },
  ],
  selfTime: [{ service: 'api', operation: 'GET /a, b', spans: 1200, totalSelfUs: 9_000_000 }],
  criticalPath: [{ service: 'api', operation: 'GET /a, b', traces: 800, spans: 1100, totalCriticalUs: 12_000_000 }],
  coverage: {
    api: 'v3',
    tracesFetched: 800,
    spansReceived: 9000,
    subWindows: 8,
    subWindowsAtLimit: 2,
    failedSubWindows: [],
    upstreamRequests: 9,
    complete: false,
    partial: false,
    windowStartUs: 1_795_424_400_000_000,
    windowEndUs: 1_795_428_000_000_000,
  },
};

describe('formatDurationUs', () => {
  it.each([
    [0, '0µs'],
    [999, '999µs'],
    [1_000, '1.00ms'],
    [12_345, '12.3ms'],
    [999_499, '999ms'],
    [1_250_000, '1.25s'],
    [59_000_000, '59.0s'],
    [125_400_000, '2m05s'],
  ])('%i µs → %s', (us, text) => {
    expect(formatDurationUs(us)).toBe(text);
  });
});

describe('report formats', () => {
  it('JSON keeps integer µs and the coverage', () => {
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });

  it('the table aligns columns, shows human units, the time sections, and says the result is sampled', () => {
    expect(formatTable(report, ['operation', 'tag:region'])).toBe(
      [
        'SERVICE  OPERATION  REGION     COUNT  ERRORS  ERR%    P50     P90    P95    P99    MAX',
        'api      GET /a, b  eu "west"   1200       3  0.3%  850µs  12.3ms  1.25s  2m05s  2m05s',
        '',
        'SELF TIME (top 1 of 1)',
        'SERVICE  OPERATION  SPANS  TOTAL',
        'api      GET /a, b   1200  9.00s',
        '',
        'CRITICAL PATH (top 1 of 1)',
        'SERVICE  OPERATION  TRACES  SPANS  TOTAL',
        'api      GET /a, b     800   1100  12.0s',
        '',
        'sampled: 2 of 8 sub-windows hit their limit, so counts are a sample — 800 traces, 9000 spans from Jaeger (v3 API), window 2026-11-23T09:00:00.000Z – 2026-11-23T10:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('CSV quotes cells with commas or quotes', () => {
    expect(formatCsv(report, ['operation', 'tag:region'])).toBe(
      'service,operation,tag:region,count,errorCount,errorRate,p50_us,p90_us,p95_us,p99_us,max_us\n' +
        'api,"GET /a, b","eu ""west""",1200,3,0.0025,850,12345,1250000,125000000,125400000\n',
    );
  });
});
