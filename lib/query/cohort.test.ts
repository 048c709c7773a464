import { describe, expect, it } from 'vitest';
import { formatCohort, parseCohort, type Cohort } from './cohort.ts';
import { bubbleupQuerySchema, dataQueryOf, parseDashboardQuery, safeParseDashboardQuery, safeParseQuery, serializeQuery } from './dashboard-query.ts';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0) * 1_000;

describe('parseCohort', () => {
  it.each<[string, Cohort]>([
    ['errors', [{ kind: 'errors' }]],
    ['minDuration:500ms', [{ kind: 'minDuration', durationUs: 500_000 }]],
    ['maxDuration:1.5s', [{ kind: 'maxDuration', durationUs: 1_500_000 }]],
    ['slowerThan:p90', [{ kind: 'slowerThan', percentile: 'p90' }]],
    ['duration:100ms..300ms', [{ kind: 'duration', fromUs: 100_000, toUs: 300_000 }]],
    ['time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z', [{ kind: 'time', startUs: T0, endUs: T0 + 300_000_000 }]],
    ['tag:region=ap-south', [{ kind: 'tag', key: 'region', value: 'ap-south' }]],
    ['tag:process.host=a=b', [{ kind: 'tag', key: 'process.host', value: 'a=b' }]],
    ['tag:q=a\\;b\\\\c', [{ kind: 'tag', key: 'q', value: 'a;b\\c' }]],
    [
      'duration:100ms..300ms;time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z',
      [
        { kind: 'duration', fromUs: 100_000, toUs: 300_000 },
        { kind: 'time', startUs: T0, endUs: T0 + 300_000_000 },
      ],
    ],
    [' errors ; tag:plan=pro ', [{ kind: 'errors' }, { kind: 'tag', key: 'plan', value: 'pro' }]],
  ])('reads %s', (text, expected) => {
    expect(parseCohort(text)).toEqual(expected);
  });

  it.each([
    [
      'slow',
      'cohort takes errors, minDuration:500ms, maxDuration:2s, slowerThan:p90, duration:100ms..300ms, time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z or tag:region=eu-west, several joined with ;; got "slow"',
    ],
    ['minDuration:banana', 'cohort "minDuration:banana" needs a duration such as minDuration:250ms'],
    ['slowerThan:p42', 'cohort "slowerThan:p42" needs one of p50, p90, p95, p99, such as slowerThan:p90'],
    ['duration:300ms..100ms', 'cohort "duration:300ms..100ms": the first duration must be less than the second'],
    ['duration:100ms', 'cohort "duration:100ms" needs two durations such as duration:100ms..300ms'],
    ['time:2026-11-23..yesterday', 'cohort "time:2026-11-23..yesterday" needs two instants such as time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z'],
    ['time:2026-11-24..2026-11-23', 'cohort "time:2026-11-24..2026-11-23": the first instant must be before the second'],
    ['tag:region', 'cohort "tag:region" needs a key and a value such as tag:region=eu-west'],
    ['tag:=x', 'cohort "tag:=x" needs a key and a value such as tag:region=eu-west'],
    [
      'errors;',
      'cohort takes errors, minDuration:500ms, maxDuration:2s, slowerThan:p90, duration:100ms..300ms, time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z or tag:region=eu-west, several joined with ;; got ""',
    ],
    [Array(11).fill('errors').join(';'), 'cohort allows at most 10 conditions joined with ;'],
    [`tag:k=${'v'.repeat(21_000)}`, 'cohort must be at most 21,000 characters'],
  ])('refuses %s with a sentence saying why', (text, message) => {
    expect(parseCohort(text)).toBe(message);
  });
});

describe('formatCohort', () => {
  it.each([
    'errors',
    'minDuration:1.5s;maxDuration:250us',
    'slowerThan:p99',
    'duration:100ms..300ms;time:2026-11-23T09:00:00.000Z..2026-11-23T09:05:00.000Z',
    'tag:a\\;b=c\\\\d',
  ])('writes %s back as it reads', (text) => {
    const cohort = parseCohort(text);
    expect(typeof cohort).not.toBe('string');
    expect(formatCohort(cohort as Cohort)).toBe(text);
  });
});

describe('bubbleupQuerySchema', () => {
  it('reads the data query and the cohort', () => {
    const parsed = safeParseQuery(bubbleupQuerySchema, 'service=shop&operation=GET%20%2F&tags=plan%3Dpro&lookback=15m&cohort=errors');
    expect(parsed.ok && parsed.query).toMatchObject({
      service: 'shop',
      operation: 'GET /',
      tags: { plan: 'pro' },
      window: { kind: 'relative', lookbackUs: 900_000_000 },
      cohort: [{ kind: 'errors' }],
    });
  });

  it('reads an optional baseline cohort in the same grammar', () => {
    const parsed = safeParseQuery(bubbleupQuerySchema, 'service=shop&cohort=errors&baselineCohort=tag:region%3Deu');
    expect(parsed.ok && parsed.query).toMatchObject({ cohort: [{ kind: 'errors' }], baselineCohort: [{ kind: 'tag', key: 'region', value: 'eu' }] });
    const without = safeParseQuery(bubbleupQuerySchema, 'service=shop&cohort=errors');
    expect(without.ok && 'baselineCohort' in without.query).toBe(false);
  });

  it.each([
    ['service=shop&cohort=errors&baselineCohort=slow', 'baselineCohort', expect.stringMatching(/^baselineCohort takes errors, .*; got "slow"$/)],
    ['cohort=errors', 'service', 'Choose a service: BubbleUp compares the tags of one service’s spans.'],
    ['service=shop', 'cohort', expect.stringMatching(/^Choose a cohort: cohort= takes errors, minDuration:500ms/)],
    ['service=shop&cohort=minDuration:x', 'cohort', 'cohort "minDuration:x" needs a duration such as minDuration:250ms'],
  ])('answers %s with a 400 naming %s', (search, field, message) => {
    const parsed = safeParseQuery(bubbleupQuerySchema, search);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect({ field: parsed.error.field, message: parsed.error.message }).toEqual({ field, message });
  });
});

describe('a page URL’s cohort', () => {
  it('is page state: kept canonical, written back by serializeQuery, never part of the data query', () => {
    const query = parseDashboardQuery('service=shop&cohort=%20errors%20;minDuration:1000ms');
    expect(query.cohort).toBe('errors;minDuration:1s');
    expect(serializeQuery(query)).toBe('service=shop&cohort=errors%3BminDuration%3A1s');
    expect('cohort' in dataQueryOf(query)).toBe(false);
    expect(parseDashboardQuery('service=shop').cohort).toBeUndefined();
  });

  it('makes an invalid spec the page’s invalid-query notice, naming cohort', () => {
    const parsed = safeParseDashboardQuery('service=shop&cohort=slowerThan:p42');
    expect(!parsed.ok && { field: parsed.error.field, message: parsed.error.message }).toEqual({
      field: 'cohort',
      message: 'cohort "slowerThan:p42" needs one of p50, p90, p95, p99, such as slowerThan:p90',
    });
  });
});
