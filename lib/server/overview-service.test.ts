import { describe, expect, it } from 'vitest';
import type { OverviewStreamLine } from '../http/api-types.ts';
import { createFileSource } from '../jaeger/file-source.ts';
import type { TraceSource } from '../jaeger/source.ts';
import { normalizeLegacyTraces } from '../jaeger/normalize.ts';
import { computeOverview, overviewStreamResponse } from './overview-service.ts';
import type { ResolvedSource } from './sources.ts';
import { buildRouteDataSet } from './testing/route-data-set.ts';

const END_US = 1_700_000_000_000_000;
const traces = normalizeLegacyTraces(buildRouteDataSet(END_US));
const resolvedFor = (source: TraceSource, jaegerUiUrl: string | null = 'http://jaeger.test'): ResolvedSource => ({
  source,
  info: { mode: 'live', label: 'test' },
  jaegerUiUrl,
});
// 30 minutes ending at the data set's end: every span of it, 1,800 s long.
const query = { window: { kind: 'absolute', startUs: END_US - 1_800_000_000, endUs: END_US } } as const;
const context = { nowMs: END_US / 1_000, maxTraces: 2_000 };

describe('computeOverview', () => {
  it('gives every service its exact counts, error rate, rate and nearest-rank percentiles', async () => {
    const overview = await computeOverview(query, resolvedFor(createFileSource(traces)), context);
    expect(overview.services.map((row) => row.service)).toEqual(['api', 'db']);
    const [api, db] = overview.services;
    // api: GET /a 1…30 ms (3 errors), GET /b 2…40 ms, call auth 4 × 5 ms (a client 404, not an error by default).
    expect(api).toMatchObject({
      count: 54,
      errorCount: 3,
      errorRate: 3 / 54,
      ratePerSecond: 54 / 1_800,
      n: 54,
      p50Us: 16_000,
      p95Us: 36_000,
      p99Us: 40_000,
    });
    expect(db).toMatchObject({ count: 50, errorCount: 0, errorRate: 0, ratePerSecond: 50 / 1_800, n: 50, p50Us: 500, p95Us: 500, p99Us: 500 });
    expect(api?.coverage).toMatchObject({ complete: true, tracesFetched: 50, limit: 500 });
    expect(api?.timeline.reduce((n, point) => n + point.count, 0)).toBe(54);
    expect(api?.error).toBeNull();
  });

  it('adds the services up, with percentiles exact over the union of their spans', async () => {
    const { totals } = await computeOverview(query, resolvedFor(createFileSource(traces)), context);
    // Union of 104 durations: 50 × 500 µs, then api's; p50 = 52nd smallest, p95 = 99th, p99 = 103rd.
    expect(totals).toMatchObject({
      services: 2,
      count: 104,
      errorCount: 3,
      errorRate: 3 / 104,
      ratePerSecond: 104 / 1_800,
      n: 104,
      p50Us: 2_000,
      p95Us: 30_000,
      p99Us: 38_000,
      estimated: false,
    });
  });

  it('lists the slowest spans and the newest errors across services, each linked to its span in Jaeger', async () => {
    const overview = await computeOverview(query, resolvedFor(createFileSource(traces)), context);
    expect(overview.slowest.slice(0, 3).map((span) => [span.service, span.operation, span.durationUs])).toEqual([
      ['api', 'GET /b', 40_000],
      ['api', 'GET /b', 38_000],
      ['api', 'GET /b', 36_000],
    ]);
    expect(overview.slowest).toHaveLength(10);
    // The error spans are GET /a of traces 1, 11 and 21 (i = 0, 10, 20; span IDs hex 1000 + i): newest first.
    expect(overview.latestErrors.map((span) => span.durationUs)).toEqual([21_000, 11_000, 1_000]);
    expect(overview.latestErrors[0]?.jaegerUrl).toBe(`http://jaeger.test/trace/${'15'.padStart(32, '0')}?uiFind=${'3fc'.padStart(16, '0')}`);
    expect(overview.errorGroups.map((group) => [group.service, group.operation, group.count])).toEqual([['api', 'GET /a', 3]]);
  });

  it('samples each service within its own budget and says so in its coverage', async () => {
    const overview = await computeOverview({ ...query, limit: 10 }, resolvedFor(createFileSource(traces)), context);
    expect(overview.limitPerService).toBe(10);
    for (const row of overview.services) expect(row.coverage).toMatchObject({ complete: false, limit: 10 });
    expect(overview.totals.estimated).toBe(true);
  });

  it('never asks for more traces per service than the server allows', async () => {
    const overview = await computeOverview({ ...query, limit: 5_000 }, resolvedFor(createFileSource(traces)), { ...context, maxTraces: 40 });
    expect(overview.limitPerService).toBe(40);
  });

  it('searches at most 4 services at a time', async () => {
    const inner = createFileSource(traces);
    let inFlight = 0;
    let most = 0;
    const services = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const slow: TraceSource = {
      ...inner,
      listServices: () => Promise.resolve(services),
      searchTraces: async (search, onBatch, options) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return inner.searchTraces(search, onBatch, options);
      },
    };
    const overview = await computeOverview(query, resolvedFor(slow), context);
    expect(overview.services).toHaveLength(10);
    expect(most).toBe(4);
  });

  it('keeps the other services when one search fails, naming the failure on its row', async () => {
    const inner = createFileSource(traces);
    const flaky: TraceSource = {
      ...inner,
      searchTraces: (search, onBatch, options) =>
        search.service === 'db' ? Promise.reject(new Error('boom')) : inner.searchTraces(search, onBatch, options),
    };
    const overview = await computeOverview(query, resolvedFor(flaky), context);
    expect(overview.services.find((row) => row.service === 'db')).toMatchObject({ count: 0, coverage: null, error: { code: expect.any(String) } });
    expect(overview.totals.count).toBe(54);
  });

  it('answers an empty source with no rows and zero totals', async () => {
    const overview = await computeOverview(query, resolvedFor(createFileSource([])), context);
    expect(overview.services).toEqual([]);
    expect(overview.totals).toMatchObject({ services: 0, count: 0, n: 0, p95Us: null });
  });
});

describe('overviewStreamResponse', () => {
  it('sends the service list, one line per service as it completes, then the result', async () => {
    const response = overviewStreamResponse((callbacks) =>
      computeOverview(query, resolvedFor(createFileSource(traces)), { ...context, ...callbacks }),
    );
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OverviewStreamLine);
    expect(lines.map((line) => line.type)).toEqual(['services', 'service', 'service', 'result']);
    expect(lines[0]).toEqual({ type: 'services', services: ['api', 'db'] });
    const rows = lines.flatMap((line) => (line.type === 'service' ? [[line.row.service, line.row.count, line.total]] : []));
    expect(rows.sort()).toEqual([
      ['api', 54, 2],
      ['db', 50, 2],
    ]);
    const last = lines[3];
    expect(last?.type === 'result' && last.data.totals.count).toBe(104);
  });

  it('ends with an error line when the service list cannot be read', async () => {
    const response = overviewStreamResponse(() => Promise.reject(new Error('jaeger down')));
    const lines = (await response.text()).trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ type: 'error', status: 500 });
  });
});
