import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY,
  LOOKBACKS,
  REFRESH_INTERVALS,
  SORT_KEYS,
  parseDashboardQuery,
  safeParseDashboardQuery,
  serializeDashboardQuery,
  updateDashboardQuery,
  type DashboardQuery,
  type GroupByKey,
} from './dashboard-query.ts';
import { InvalidQueryError } from './invalid-query-error.ts';

describe('parseDashboardQuery', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseDashboardQuery('')).toEqual({
      tags: {},
      groupBy: ['service', 'operation'],
      window: { kind: 'relative', lookback: '1h' },
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
      window: { kind: 'absolute', startMs: Date.parse('2026-11-23T09:00:00Z'), endMs: Date.parse('2026-11-23T09:00:00.250Z') },
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
    expect(query).toMatchObject({ service: 'api', tags: { a: '1', b: '2' }, window: { kind: 'relative', lookback: '7d' } });
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

  it.each(LOOKBACKS)('accepts the lookback preset %s', (lookback) => {
    expect(parseDashboardQuery(`lookback=${lookback}`).window).toEqual({ kind: 'relative', lookback });
  });

  it.each([
    ['lookback=2h', 'lookback', 'lookback must be one of 5m, 15m, 30m, 1h, 3h, 6h, 12h, 24h, 2d, 7d'],
    ['limit=0', 'limit', 'limit must be a whole number from 1 to 100000'],
    ['limit=100001', 'limit', 'limit must be a whole number from 1 to 100000'],
    ['limit=1.5', 'limit', 'limit must be a whole number from 1 to 100000'],
    ['limit=ten', 'limit', 'limit must be a whole number from 1 to 100000'],
    ['minDuration=fast', 'minDuration', 'minDuration must be a duration such as 250ms, 1.5s or 500us'],
    ['maxDuration=-1s', 'maxDuration', 'maxDuration must be a duration such as 250ms, 1.5s or 500us'],
    ['minDuration=2s&maxDuration=1s', 'maxDuration', 'maxDuration must not be less than minDuration'],
    ['start=2026-11-23T09:00:00Z', 'end', 'end is needed too: give both start and end, or neither'],
    ['end=2026-11-23T09:00:00Z', 'start', 'start is needed too: give both start and end, or neither'],
    ['start=2026-11-23T10:00:00Z&end=2026-11-23T09:00:00Z', 'end', 'end must be after start'],
    ['start=2026-11-23T09:00:00&end=2026-11-23T10:00:00Z', 'start', 'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z'],
    ['start=1763888400000000&end=2026-11-23T10:00:00Z', 'start', 'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z'],
    ['start=2026-13-45T09:00:00Z&end=2026-11-23T10:00:00Z', 'start', 'start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z'],
    ['tags=novalue', 'tags', 'tags must be key=value pairs such as http.route=/api; got "novalue"'],
    ['tags==v', 'tags', 'tags must be key=value pairs such as http.route=/api; got "=v"'],
    ['tags=k=', 'tags', 'tags must be key=value pairs such as http.route=/api; got "k="'],
    ['groupBy=host', 'groupBy', 'groupBy must be service, operation or tag:KEY; got "host"'],
    ['groupBy=tag:', 'groupBy', 'groupBy must be service, operation or tag:KEY; got "tag:"'],
    ['groupBy=service&groupBy=service', 'groupBy', 'groupBy lists "service" twice'],
    ['groupBy=tag:a&groupBy=tag:b&groupBy=tag:c', 'groupBy', 'groupBy allows at most 2 tag keys'],
    ['sort=latency', 'sort', 'sort must be one of name, count, rate, errors, errorRate, p50, p90, p95, p99, max, mean'],
    ['dir=up', 'dir', 'dir must be one of asc, desc'],
    ['refresh=1s', 'refresh', 'refresh must be one of off, 5s, 15s, 30s, 60s'],
    ['clientErrors=yes', 'clientErrors', 'clientErrors must be 1 or 0'],
    ['source=http://evil.example', 'source', 'source must be upload:ID, the id an upload returned'],
    ['view=Over%20view', 'view', 'view must be a short lowercase name such as overview'],
    [`service=${'x'.repeat(501)}`, 'service', 'service must be at most 500 characters'],
  ])('rejects %s naming %s', (search, field, message) => {
    const result = safeParseDashboardQuery(search);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidQueryError);
    expect(result.error.field).toBe(field);
    expect(result.error.message).toBe(message);
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
const epochMs = fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') });

const anyQuery: fc.Arbitrary<DashboardQuery> = fc
  .record(
    {
      service: text,
      operation: text,
      tags: fc.dictionary(tagKey, text, { maxKeys: 5 }),
      groupBy: groupByList,
      window: fc.oneof(
        fc.constantFrom(...LOOKBACKS).map((lookback) => ({ kind: 'relative' as const, lookback })),
        fc
          .tuple(epochMs, epochMs)
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => ({ kind: 'absolute' as const, startMs: Math.min(a, b), endMs: Math.max(a, b) })),
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
