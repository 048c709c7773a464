import { describe, expect, it } from 'vitest';
import { parseDashboardQuery, parseMetricsQuery, safeParseDashboardQuery, serializeQuery, updateDashboardQuery } from './dashboard-query.ts';

describe('fold (the dashboard’s name-folding toggle)', () => {
  it.each([
    ['fold=1', true],
    ['fold=true', true],
    ['fold=0', undefined],
    ['', undefined],
  ])('?%s reads as fold %s', (search, fold) => {
    expect(parseDashboardQuery(search).fold).toBe(fold);
  });

  it('is written as fold=1 when on and left out when off, and reaches /api/metrics', () => {
    const on = updateDashboardQuery(parseDashboardQuery('service=shop'), { fold: true });
    expect(serializeQuery(on)).toBe('service=shop&fold=1');
    expect(parseMetricsQuery(serializeQuery(on)).fold).toBe(true);
    expect(serializeQuery(updateDashboardQuery(on, { fold: undefined }))).toBe('service=shop');
  });

  it('rejects anything but 1 or 0 with a sentence naming fold', () => {
    const result = safeParseDashboardQuery('fold=yes');
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.field, result.error.message]).toEqual(['fold', 'fold must be 1 or 0']);
  });
});
