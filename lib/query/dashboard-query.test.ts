import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupByKey } from '../metrics/types.ts';
import {
  DEFAULT_QUERY,
  dataQueryOf,
  metricsQuerySchema,
  operationsQuerySchema,
  parseDashboardQuery,
  parseMetricsQuery,
  patchedQuerySearch,
  safeParseDashboardQuery,
  safeParseQuery,
  serializeDashboardQuery,
  serializeQuery,
  sourceQuerySchema,
  tagKeysQuerySchema,
  updateDashboardQuery,
  type DashboardQuery,
} from './dashboard-query.ts';
import { InvalidQueryError } from './invalid-query-error.ts';
import { REFRESH_INTERVALS, SORT_KEYS } from './pieces.ts';
import { LOOKBACK_PRESETS } from './window.ts';

const HOUR_US = 3_600_000_000;
const msToUs = (iso: string) => Date.parse(iso) * 1_000;

describe('parseDashboardQuery', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseDashboardQuery('')).toEqual({
      tags: {},
      groupBy: ['service', 'operation'],
      window: { kind: 'relative', lookbackUs: HOUR_US },
      sort: 'count',
      dir: 'desc',
      refresh: 'off',
      clientErrors: false,
    });
  });

  it('reads every param of a full query', () => {
    const query = parseDashboardQuery(
      'service=frontend&operation=HTTP+GET+%2Fdispatch&tags=http.status_code%3D500&tags=customer%3Da%3Db' +
        '&groupBy=operation&groupBy=tag:http.route&groupBy=tag:process.hostname&start=2026-11-23T09:00:00Z' +
        '&end=2026-11-23T10:00:00.250%2B01:00&minDuration=250ms&maxDuration=1.5s&limit=500&view=errors' +
        '&group=frontend%7Cdispatch&sort=p95&dir=asc&refresh=15s&clientErrors=1&source=upload:abc_123',
    );
    expect(query).toEqual({
      service: 'frontend',
      operation: 'HTTP GET /dispatch',
      tags: { 'http.status_code': '500', customer: 'a=b' },
      groupBy: ['operation', 'tag:http.route', 'tag:process.hostname'],
      window: { kind: 'absolute', startUs: msToUs('2026-11-23T09:00:00Z'), endUs: msToUs('2026-11-23T09:00:00.250Z') },
      minDurationUs: 250_000,
      maxDurationUs: 1_500_000,
      limit: 500,
      view: 'errors',
      group: 'frontend|dispatch',
      sort: 'p95',
      dir: 'asc',
      refresh: '15s',
      clientErrors: true,
      source: 'upload:abc_123',
    });
  });

  it('accepts the record Next.js gives a page as searchParams', () => {
    const query = parseDashboardQuery({ service: 'api', tags: ['a=1', 'b=2'], lookback: '7d', unknown: undefined });
    expect(query).toMatchObject({ service: 'api', tags: { a: '1', b: '2' }, window: { kind: 'relative', lookbackUs: 7 * 24 * HOUR_US } });
  });

  it('ignores unknown params and treats empty ones as unset', () => {
    expect(parseDashboardQuery('utm_source=x&stream=1&service=&operation=&limit=')).toEqual(DEFAULT_QUERY);
  });

  it('uses the first value of a single-valued param given twice', () => {
    expect(parseDashboardQuery('service=a&service=b').service).toBe('a');
  });

  it('keeps the last value of a repeated tag key', () => {
    expect(parseDashboardQuery('tags=k=1&tags=k=2').tags).toEqual({ k: '2' });
  });

  it('lets start and end win over lookback', () => {
    expect(parseDashboardQuery('lookback=5m&start=2026-11-23T09:00:00Z&end=2026-11-23T10:00:00Z').window.kind).toBe('absolute');
  });

  it.each([
    ['5m', 300_000_000],
    ['1h30m', 5_400_000_000],
    ['24h', 24 * HOUR_US],
    ['1d', 24 * HOUR_US],
    ['2d', 48 * HOUR_US],
    ['1w', 7 * 24 * HOUR_US],
    ['30d', 30 * 24 * HOUR_US],
  ])('reads lookback=%s as %i µs (the same grammar as durations and the CLI)', (lookback, lookbackUs) => {
    expect(parseDashboardQuery(`lookback=${lookback}`).window).toEqual({ kind: 'relative', lookbackUs });
  });

  it.each(LOOKBACK_PRESETS)('writes the picker preset %s back as itself', (preset) => {
    expect(serializeDashboardQuery(parseDashboardQuery(`lookback=${preset}`))).toBe(preset === '1h' ? '' : `lookback=${preset}`);
  });

  it('reads dates and µs digits in start and end, as the CLI does', () => {
    expect(parseDashboardQuery('start=2026-11-23&end=2026-11-23T09:00:00.000123Z').window).toEqual({
      kind: 'absolute',
      startUs: msToUs('2026-11-23T00:00:00Z'),
      endUs: msToUs('2026-11-23T09:00:00Z') + 123,
    });
  });

  it.each([
    ['lookback=banana', 'lookback', 'lookback must be a duration such as 250ms, 1.5s, 15m, 1h30m or 2d; got "banana"'],
    ['lookback=0s', 'lookback', 'lookback must be more than 0 and at most 30d'],
    ['lookback=31d', 'lookback', 'lookback must be more than 0 and at most 30d'],
    ['limit=0', 'limit', 'limit must be a whole number from 1 to 100000; got "0"'],
    ['limit=100001', 'limit', 'limit must be a whole number from 1 to 100000; got "100001"'],
    ['limit=1.5', 'limit', 'limit must be a whole number from 1 to 100000; got "1.5"'],
    ['limit=ten', 'limit', 'limit must be a whole number from 1 to 100000; got "ten"'],
    ['minDuration=fast', 'minDuration', 'minDuration must be a duration such as 250ms, 1.5s, 15m, 1h30m or 2d; got "fast"'],
    ['maxDuration=-1s', 'maxDuration', 'maxDuration must be a duration such as 250ms, 1.5s, 15m, 1h30m or 2d; got "-1s"'],
    ['minDuration=2s&maxDuration=1s', 'maxDuration', 'maxDuration must not be less than minDuration'],
    ['start=2026-11-23T09:00:00Z', 'end', 'end is needed too: give both start and end, or neither'],
    ['end=2026-11-23T09:00:00Z', 'start', 'start is needed too: give both start and end, or neither'],
    ['start=2026-11-23T10:00:00Z&end=2026-11-23T09:00:00Z', 'end', 'end must be after start'],
    [
      'start=2026-11-23T09:00:00&end=2026-11-23T10:00:00Z',
      'start',
      'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z, or a date such as 2026-11-23; got "2026-11-23T09:00:00"',
    ],
    [
      'start=1763888400000000&end=2026-11-23T10:00:00Z',
      'start',
      'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z, or a date such as 2026-11-23; got "1763888400000000"',
    ],
    [
      'start=2026-13-45T09:00:00Z&end=2026-11-23T10:00:00Z',
      'start',
      'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z, or a date such as 2026-11-23; got "2026-13-45T09:00:00Z"',
    ],
    ['tags=novalue', 'tags', 'tags must be key=value pairs such as http.route=/api; got "novalue"'],
    ['tags==v', 'tags', 'tags must be key=value pairs such as http.route=/api; got "=v"'],
    ['tags=k=', 'tags', 'tags must be key=value pairs such as http.route=/api; got "k="'],
    ['groupBy=host', 'groupBy', 'groupBy must be service, operation or tag:KEY; got "host"'],
    ['groupBy=tag:', 'groupBy', 'groupBy must be service, operation or tag:KEY; got "tag:"'],
    ['groupBy=service&groupBy=service', 'groupBy', 'groupBy lists "service" twice'],
    ['groupBy=tag:a&groupBy=tag:b&groupBy=tag:c', 'groupBy', 'groupBy allows at most 2 tag keys'],
    ['sort=latency', 'sort', 'sort must be one of name, count, rate, errors, errorRate, p50, p90, p95, p99, max, mean, regression'],
    ['dir=up', 'dir', 'dir must be one of asc, desc'],
    ['refresh=1s', 'refresh', 'refresh must be one of off, 5s, 15s, 30s, 60s'],
    ['clientErrors=yes', 'clientErrors', 'clientErrors must be 1 or 0'],
    ['source=http://evil.example', 'source', 'source must be upload:ID, the id an upload returned'],
    ['view=Over%20view', 'view', 'view must be a short lowercase name such as overview'],
    [`service=${'x'.repeat(10_001)}`, 'service', 'service must be at most 10,000 characters'],
    [`operation=${'x'.repeat(10_001)}`, 'operation', 'operation must be at most 10,000 characters'],
    [`tags=k=${'x'.repeat(10_001)}`, 'tags', `tags keys and values must be at most 10,000 characters; got "k=${'x'.repeat(78)}…"`],
    [`groupBy=tag:${'x'.repeat(10_001)}`, 'groupBy', `groupBy tag keys must be at most 10,000 characters; got "tag:${'x'.repeat(76)}…"`],
    [`group=${'x'.repeat(40_001)}`, 'group', 'group must be at most 40,000 characters'],
  ])('rejects %s naming %s', (search, field, message) => {
    const result = safeParseDashboardQuery(search);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidQueryError);
    expect(result.error.field).toBe(field);
    expect(result.error.message).toBe(message);
  });

  it('takes names up to 10,000 characters, as spans carry them', () => {
    const long = 'é'.repeat(10_000);
    const query = parseDashboardQuery(new URLSearchParams({ service: long, operation: long, tags: `${long}=${long}`, groupBy: `tag:${long}` }));
    expect(query).toMatchObject({ service: long, operation: long, tags: { [long]: long }, groupBy: [`tag:${long}`] });
  });

  const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

  it.each(PROTOTYPE_KEYS)('ignores a param named %s, given once or repeated, as any unknown param', (key) => {
    for (const input of [`${key}=1`, `${key}=1&${key}=2&service=api`, { [key]: ['1', '2'], service: 'api' }]) {
      const query = parseDashboardQuery(input);
      expect(query.service === undefined || query.service === 'api').toBe(true);
      expect(query.tags).toEqual({});
    }
    // The metrics and route schemas read the same record.
    expect(parseMetricsQuery(`${key}=1&service=api`).service).toBe('api');
    expect(safeParseQuery(operationsQuerySchema, `${key}=x&${key}=y`)).toMatchObject({ ok: false, error: { field: 'service' } });
  });

  it('reads a __proto__ key from a searchParams record as a param, not as its prototype', () => {
    const record = JSON.parse('{"__proto__": ["x"], "service": "api"}') as Record<string, string[]>;
    expect(parseDashboardQuery(record).service).toBe('api');
  });

  it.each(PROTOTYPE_KEYS)('keeps a tag filter keyed %s as an own key, and writes it back', (key) => {
    const query = parseDashboardQuery(`service=api&tags=${key}%3Dx&tags=env%3Dprod`);
    expect(Object.entries(query.tags)).toEqual([
      [key, 'x'],
      ['env', 'prod'],
    ]);
    // A plain object (React passes the query from the server page to client components).
    expect(Object.getPrototypeOf(query.tags)).toBe(Object.prototype);
    const search = serializeDashboardQuery(query);
    expect(search).toContain(`tags=${key}%3Dx`);
    expect(Object.entries(parseDashboardQuery(search).tags).sort()).toEqual(Object.entries(query.tags).sort());
  });

  it('throws the InvalidQueryError from parseDashboardQuery', () => {
    expect(() => parseDashboardQuery('limit=0')).toThrow(InvalidQueryError);
  });

  it('rejects more than 20 tag filters', () => {
    const search = Array.from({ length: 21 }, (_, i) => `tags=k${i}=v`).join('&');
    expect(safeParseDashboardQuery(search)).toMatchObject({ ok: false, error: { field: 'tags' } });
  });
});

describe('serializeDashboardQuery', () => {
  it('writes nothing for the defaults', () => {
    expect(serializeDashboardQuery(DEFAULT_QUERY)).toBe('');
  });

  it('writes params in a stable order with tags sorted by key', () => {
    const query = parseDashboardQuery(
      'clientErrors=true&refresh=5s&sort=p99&limit=20&maxDuration=2000ms&tags=z=1&tags=a=2&operation=op&service=svc&lookback=7d&groupBy=tag:model',
    );
    expect(serializeDashboardQuery(query)).toBe(
      'service=svc&operation=op&tags=a%3D2&tags=z%3D1&groupBy=tag%3Amodel&lookback=7d&maxDuration=2s&limit=20&sort=p99&refresh=5s&clientErrors=1',
    );
  });

  it('writes an absolute window as ISO instants in UTC', () => {
    const query = parseDashboardQuery('start=2026-11-23T10:00:00%2B01:00&end=2026-11-23T09:30:00.5Z');
    expect(serializeDashboardQuery(query)).toBe('start=2026-11-23T09%3A00%3A00.000Z&end=2026-11-23T09%3A30%3A00.500Z');
  });

  it('writes a lookback in its compact form', () => {
    expect(serializeDashboardQuery(parseDashboardQuery('lookback=90m'))).toBe('lookback=1h30m');
  });
});

describe('the schemas each route composes from the pieces', () => {
  it('lets /api/services and /api/health ignore a window or page state they never read', () => {
    expect(safeParseQuery(sourceQuerySchema, 'lookback=banana&sort=nope&source=upload:abc')).toEqual({ ok: true, query: { source: 'upload:abc' } });
  });

  it('asks /api/operations for a service and nothing else', () => {
    expect(safeParseQuery(operationsQuerySchema, 'service=api&lookback=banana')).toEqual({ ok: true, query: { service: 'api' } });
    expect(safeParseQuery(operationsQuerySchema, '')).toMatchObject({
      ok: false,
      error: { field: 'service', message: 'Choose a service to list its operations.' },
    });
  });

  it('reads the window for /api/tag-keys', () => {
    expect(safeParseQuery(tagKeysQuerySchema, 'service=api&lookback=15m&sort=nope')).toEqual({
      ok: true,
      query: { service: 'api', window: { kind: 'relative', lookbackUs: 900_000_000 } },
    });
    expect(safeParseQuery(tagKeysQuerySchema, 'service=api&lookback=banana')).toMatchObject({ ok: false, error: { field: 'lookback' } });
  });

  it('keeps page state out of /api/metrics and reads include there', () => {
    const query = parseMetricsQuery('service=api&sort=nope&refresh=banana&include=heatmap,groups&include=groups');
    expect(query).toEqual({ ...dataQueryOf(parseDashboardQuery('service=api')), include: ['groups', 'heatmap'] });
    expect(parseMetricsQuery('service=api').include).toEqual([
      'groups',
      'heatmap',
      'slowest',
      'errors',
      'selfTime',
      'dependencies',
      'traceQuality',
      'llm',
      'criticalPath',
    ]);
    expect(safeParseQuery(metricsQuerySchema, 'include=groups,flameGraph')).toMatchObject({
      ok: false,
      error: {
        field: 'include',
        message: 'include takes groups, heatmap, slowest, errors, selfTime, dependencies, traceQuality, llm, criticalPath; got "flameGraph"',
      },
    });
  });

  it('writes a metrics query back with include and without page state', () => {
    const query = parseMetricsQuery('service=api&include=heatmap&include=groups&sort=p95');
    expect(serializeQuery(query)).toBe('service=api&include=groups%2Cheatmap');
    expect(parseMetricsQuery(serializeQuery(query))).toEqual(query);
  });
});

const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' });
const tagKey = fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !key.includes('='));
const groupByList: fc.Arbitrary<GroupByKey[]> = fc
  .tuple(
    fc.subarray(['service', 'operation'] as const),
    fc.uniqueArray(
      tagKey.map((key): GroupByKey => `tag:${key}`),
      { maxLength: 2 },
    ),
  )
  .chain(([fixed, tags]) => fc.shuffledSubarray<GroupByKey>([...fixed, ...tags], { minLength: fixed.length + tags.length }))
  .filter((keys) => keys.length > 0);
const epochUs = fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') * 1_000 });

const anyQuery: fc.Arbitrary<DashboardQuery> = fc
  .record(
    {
      service: text,
      operation: text,
      tags: fc.dictionary(tagKey, text, { maxKeys: 5 }),
      groupBy: groupByList,
      window: fc.oneof(
        fc.integer({ min: 1, max: 30 * 24 * HOUR_US }).map((lookbackUs) => ({ kind: 'relative' as const, lookbackUs })),
        fc
          .tuple(epochUs, epochUs)
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => ({ kind: 'absolute' as const, startUs: Math.min(a, b), endUs: Math.max(a, b) })),
      ),
      durations: fc.tuple(fc.nat({ max: 1e10 }), fc.nat({ max: 1e10 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
      limit: fc.integer({ min: 1, max: 100_000 }),
      view: fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/),
      group: text,
      sort: fc.constantFrom(...SORT_KEYS),
      dir: fc.constantFrom('asc' as const, 'desc' as const),
      refresh: fc.constantFrom(...REFRESH_INTERVALS),
      clientErrors: fc.boolean(),
      source: fc.stringMatching(/^upload:[A-Za-z0-9_-]{1,64}$/),
    },
    { requiredKeys: ['tags', 'groupBy', 'window', 'sort', 'dir', 'refresh', 'clientErrors'] },
  )
  .map(({ durations, ...rest }) => ({
    ...rest,
    ...(durations && { minDurationUs: durations[0], maxDurationUs: durations[1] }),
  }));

describe('dashboard query round trip', () => {
  it('reads back every serialised query unchanged', () => {
    fc.assert(
      fc.property(anyQuery, (query) => {
        expect(parseDashboardQuery(serializeDashboardQuery(query))).toEqual(query);
      }),
      { numRuns: 1_000, seed: 20261123 },
    );
  });

  it('serialises any accepted URL to a fixed point', () => {
    const param = fc.constantFrom('service', 'operation', 'tags', 'groupBy', 'lookback', 'limit', 'sort', 'dir', 'refresh', 'minDuration', 'x');
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1h', '5m', 'service', 'tag:a', 'k=v', '10ms', '2s', 'p95', 'asc', '15s', '7'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(param, value), { maxLength: 8 }), (pairs) => {
        const result = safeParseDashboardQuery(new URLSearchParams(pairs));
        if (!result.ok) return;
        const once = serializeDashboardQuery(result.query);
        expect(serializeDashboardQuery(parseDashboardQuery(once))).toBe(once);
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });
});

describe('updateDashboardQuery', () => {
  it('replaces fields and removes optional ones given as undefined', () => {
    const query = parseDashboardQuery('service=a&operation=b&sort=p95');
    expect(serializeDashboardQuery(updateDashboardQuery(query, { service: 'c', operation: undefined, sort: undefined }))).toBe('service=c&sort=p95');
  });

  it('throws when the patch breaks a rule', () => {
    expect(() => updateDashboardQuery(DEFAULT_QUERY, { groupBy: ['tag:a', 'tag:b', 'tag:c'] })).toThrow(InvalidQueryError);
  });
});

describe('patchedQuerySearch', () => {
  const query = parseDashboardQuery('service=a&sort=p95');

  it('writes the patched query canonical, as updateDashboardQuery does', () => {
    expect(patchedQuerySearch(query, { operation: 'GET /x', sort: undefined, dir: 'asc' })).toBe(
      serializeDashboardQuery(updateDashboardQuery(query, { operation: 'GET /x', sort: undefined, dir: 'asc' })),
    );
  });

  it('never throws: a patch from data that breaks a rule is written as is, for the page it opens to explain', () => {
    const long = 'x'.repeat(10_001);
    const search = patchedQuerySearch(query, { operation: long });
    expect(search).toBe(`service=a&operation=${long}&sort=p95`);
    expect(safeParseDashboardQuery(search)).toMatchObject({
      ok: false,
      error: { field: 'operation', message: 'operation must be at most 10,000 characters' },
    });
  });
});
