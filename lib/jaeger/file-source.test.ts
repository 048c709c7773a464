import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeWithSharedFixtures, sharedFixtureNames, sharedFixturePath } from '../testing/fixtures.ts';
import { createAggregator } from '../metrics/aggregator.ts';
import { METRIC_NAMES } from '../metrics/registry.ts';
import { createFileSource, inflateCapped, loadTraceFile, openTraceFile, parseTraceBytes, TraceFileError } from './file-source.ts';
import type { TraceSearch } from './source.ts';
import type { Trace } from './span.ts';

const HOTROD = 'hotrod-1.21-locust-5traces.json';
const ALL_TIME = { startUs: 0, endUs: 9_000_000_000_000_000, limit: 100, tags: {} };

async function search(traces: readonly Trace[], query: Partial<TraceSearch> & { service: string }) {
  const batches: (readonly Trace[])[] = [];
  const coverage = await createFileSource(traces).searchTraces({ ...ALL_TIME, ...query }, (b) => batches.push(b));
  return { ids: batches.flat().map((t) => t.traceId.replace(/^0{16}/, '')), coverage, batches };
}

describeWithSharedFixtures('createFileSource over the HotROD 1.21 fixture', () => {
  const load = () => loadTraceFile(sharedFixturePath(HOTROD)).then((f) => f.traces);

  it('lists services sorted, and operations with their span kind like /api/operations', async () => {
    const source = createFileSource(await load());
    expect(await source.listServices()).toEqual(['customer', 'driver', 'frontend', 'mysql', 'redis', 'route']);
    expect(await source.listOperations('frontend')).toEqual([
      { name: '/driver.DriverService/FindNearest', spanKind: 'client' },
      { name: 'HTTP GET', spanKind: 'client' },
      { name: 'HTTP GET /config', spanKind: 'server' },
      { name: 'HTTP GET /dispatch', spanKind: 'server' },
      { name: 'HTTP GET: /customer', spanKind: '' },
      { name: 'HTTP GET: /route', spanKind: '' },
    ]);
    expect(await source.listOperations('nobody')).toEqual([]);
  });

  it('returns whole traces that contain a matching span, newest first', async () => {
    const { ids, coverage, batches } = await search(await load(), { service: 'redis' });
    expect(ids).toEqual(['5daf6fb0d18afff5', '0024ee4eecafbc37', '7a1c5c13eba60d44']);
    expect(batches).toHaveLength(1);
    expect(coverage).toEqual({
      api: 'file',
      tracesFetched: 3,
      spansReceived: 122,
      subWindows: 1,
      subWindowsAtLimit: 0,
      failedSubWindows: [],
      upstreamRequests: 0,
      complete: true,
      partial: false,
    });
  });

  it('cuts at the limit keeping the newest, and reports the window as sampled', async () => {
    const { ids, coverage } = await search(await load(), { service: 'redis', limit: 1 });
    expect(ids).toEqual(['5daf6fb0d18afff5']);
    expect(coverage).toMatchObject({ tracesFetched: 1, spansReceived: 21, subWindowsAtLimit: 1, complete: false });
  });

  it.each([
    [{ service: 'frontend', operation: 'HTTP GET /config' }, ['006b44fd25e16e7a']],
    [{ service: 'mysql', minDurationUs: 340_000 }, ['3fff918b3a685165', '0024ee4eecafbc37']],
    [{ service: 'mysql', minDurationUs: 330_000, maxDurationUs: 340_000 }, ['7a1c5c13eba60d44']],
    [{ service: 'mysql', maxDurationUs: 323_825 }, ['5daf6fb0d18afff5']],
    [{ service: 'redis', tags: { 'param.driverID': 'T759201C' } }, ['7a1c5c13eba60d44']],
    [{ service: 'redis', tags: { hostname: 'no-such-host' } }, []],
    [{ service: 'frontend', tags: { error: 'true' } }, ['3fff918b3a685165', '5daf6fb0d18afff5']],
    // error=false keeps the spans that are not errors (span-rules.ts tagFilterMatches): the two dispatch traces without one.
    [{ service: 'frontend', operation: 'HTTP GET /dispatch', tags: { error: 'false' } }, ['0024ee4eecafbc37', '7a1c5c13eba60d44']],
    [{ service: 'frontend', startUs: 1_611_629_212_000_000, endUs: 1_611_629_216_000_000 }, ['5daf6fb0d18afff5', '0024ee4eecafbc37']],
  ])('search %j matches per span → %j', async (query, expected) => {
    expect((await search(await load(), query)).ids).toEqual(expected);
  });

  it('requires every condition on the same span, not spread over the trace', async () => {
    // GetDriver spans have param.driverID; FindDriverIDs spans do not: the pair never matches.
    const { ids } = await search(await load(), { service: 'redis', operation: 'FindDriverIDs', tags: { 'param.driverID': 'T759201C' } });
    expect(ids).toEqual([]);
  });

  it('finds a trace by its 16-character ID or the padded one, and answers null for unknown IDs', async () => {
    const source = createFileSource(await load());
    expect((await source.getTrace('7a1c5c13eba60d44'))?.spans).toHaveLength(51);
    expect((await source.getTrace('00000000000000007A1C5C13EBA60D44'))?.spans).toHaveLength(51);
    expect(await source.getTrace('ffffffffffffffff')).toBeNull();
  });

  it('reads .json.gz files and bytes, in either format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-file-source-'));
    const gz = join(dir, 'hotrod.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(sharedFixturePath(HOTROD))));
    expect((await loadTraceFile(gz)).traces).toHaveLength(5);
    const v3 = await loadTraceFile(sharedFixturePath('jaeger-ui-otlp-v3-telemetrygen.json'));
    expect(v3.format).toBe('v3');
    const bytes = createFileSource(readFileSync(sharedFixturePath('jaeger-ui-otlp-v3-telemetrygen.json')));
    expect(await bytes.listServices()).toEqual(['telemetrygen']);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const source = createFileSource(await load());
    await expect(source.searchTraces({ ...ALL_TIME, service: 'redis' }, () => {}, { signal: controller.signal })).rejects.toThrow('gone');
  });
});

describe('parseTraceBytes', () => {
  it.each([
    ['not json', /upload: it is not valid JSON/],
    ['{"hello":1}', /upload: .*expected a Jaeger trace response/],
    ['{"data":[{"traceID":"a","spans":[],"processes":{}}],"x":1}', null],
    ['{"data":[{"traceID":"","spans":[],"processes":{}}]}', /not a Jaeger trace response: .* at data\[0\]\.traceID/],
  ])('%s', (text, error) => {
    if (error === null) expect(parseTraceBytes(text).traces).toHaveLength(1);
    else expect(() => parseTraceBytes(text)).toThrow(error);
  });

  it('names a missing file', async () => {
    await expect(loadTraceFile('/nonexistent/x.json')).rejects.toThrow(new TraceFileError('/nonexistent/x.json', 'no such file'));
  });

  it('rejects bytes that claim gzip but do not decompress', () => {
    expect(() => parseTraceBytes(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).toThrow(/looks gzipped/);
  });
});

describeWithSharedFixtures('openTraceFile (chunked, one-shot) equals the in-memory source', () => {
  it.each(sharedFixtureNames())('%s: services, extent, searches and every metric, on one thread and on workers', async (name) => {
    const { traces } = await loadTraceFile(sharedFixturePath(name));
    const memory = createFileSource(traces);
    for (const workers of [1, 2]) {
      const file = await openTraceFile(sharedFixturePath(name), { workers, workerMinBytes: 0 });
      try {
        const services = await memory.listServices();
        expect(await file.listServices()).toEqual(services);
        const extent = await file.extent();
        for (const service of services) {
          const search = { ...ALL_TIME, service, limit: Number.MAX_SAFE_INTEGER };
          const options = { service, windowStartUs: extent.startUs, windowEndUs: extent.endUs };
          const expected = createAggregator(options);
          const expectedCoverage = await memory.searchTraces(search, (batch) => batch.forEach((trace) => expected.addTrace(trace)));
          const actual = createAggregator(options);
          const coverage = await file.aggregateSearch(search, { options, include: METRIC_NAMES }, actual);
          expect(coverage).toEqual(expectedCoverage);
          expect(actual.finish()).toEqual(expected.finish());
          const limited = { ...search, limit: 1 };
          const ids = async (source: typeof memory) => {
            const seen: string[] = [];
            const cov = await source.searchTraces(limited, (batch) => batch.forEach((trace) => seen.push(trace.traceId)));
            return { seen, cov };
          };
          expect(await ids(file)).toEqual(await ids(memory));
        }
        expect(file.seenExtent()).toEqual(extent.startUs === 0 && extent.endUs === 0 ? null : extent);
      } finally {
        await file.close();
      }
    }
  });

  it('inflates gzip with a cap on the inflated bytes', async () => {
    const gz = gzipSync(Buffer.alloc(3_000_000, 0x20));
    expect((await inflateCapped(gz, 3_000_000, 'x')).length).toBe(3_000_000);
    await expect(inflateCapped(gz, 2 * 1_048_576, 'big.json.gz')).rejects.toThrow(
      'Cannot read trace file big.json.gz: it inflates to more than 2 MB',
    );
    await expect(inflateCapped(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 100, 'x')).rejects.toThrow(/looks gzipped/);
  });

  it('keeps the whole-parse errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-file-source-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"data":[{"traceID":"","spans":[],"processes":{}}]}');
    await expect(openTraceFile(bad).then((f) => f.listServices())).rejects.toThrow(/not a Jaeger trace response: .* at data\[0\]\.traceID/);
    writeFileSync(bad, 'not json');
    await expect(openTraceFile(bad)).rejects.toThrow(/bad.json: it is not valid JSON/);
  });
});
