import { describe, expect, it } from 'vitest';
import type { GroupMetrics } from '../metrics/types.ts';
import { parseDashboardQuery, updateDashboardQuery } from './dashboard-query.ts';
import { drillDownPatch, groupLabel } from './view-helpers.ts';
import { groupIdentity } from '../metrics/groups.ts';
import { MAX_GROUP_KEY } from './pieces.ts';

const group = (fields: Partial<GroupMetrics>): GroupMetrics => ({ key: 'k', service: null, operation: null, tags: {}, ...fields }) as GroupMetrics;

describe('drillDownPatch', () => {
  const query = parseDashboardQuery('service=actor-server&tags=env%3Dprod&sort=p95');

  it('narrows an operation row to that operation and keeps the tag filters', () => {
    const next = updateDashboardQuery(query, drillDownPatch(query, group({ key: 'op', service: 'actor-server', operation: 'parse_json' })));
    expect(next.operation).toBe('parse_json');
    expect(next.tags).toEqual({ env: 'prod' });
    expect(next.group).toBe('op');
    expect(next.sort).toBe('count');
  });

  it('turns a tag row into a tag filter, except "(none)", which no filter can express', () => {
    const byActor = updateDashboardQuery(query, drillDownPatch(query, group({ tags: { actor_name: 'planner' } })));
    expect(byActor.tags).toEqual({ env: 'prod', actor_name: 'planner' });
    const missing = updateDashboardQuery(query, drillDownPatch(query, group({ tags: { actor_name: '(none)' } })));
    expect(missing.tags).toEqual({ env: 'prod' });
  });
});

describe('drillDownPatch on any group the data makes', () => {
  it('links a 10,000-character operation, service and tag value without failing validation', () => {
    const long = 'o'.repeat(10_000);
    const query = parseDashboardQuery(new URLSearchParams({ service: long, groupBy: 'tag:http.route' }));
    const row = groupIdentity(['service', 'operation', 'tag:http.route'], [long, long, long]);
    const next = updateDashboardQuery(query, drillDownPatch(query, { ...group({}), ...row }));
    expect(next).toMatchObject({ service: long, operation: long, tags: { 'http.route': long } });
    // The group key repeats the values URI-encoded: left out when it would not fit.
    expect(next.group).toBe(row.key.length <= MAX_GROUP_KEY ? row.key : undefined);
    const wide = groupIdentity(['service', 'operation'], ['é'.repeat(10_000), 'é'.repeat(10_000)]);
    expect(wide.key.length).toBeGreaterThan(MAX_GROUP_KEY);
    expect(updateDashboardQuery(query, drillDownPatch(query, { ...group({}), ...wide })).group).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'toString'])('turns a row grouped by tag %s into a filter on that key', (key) => {
    const query = parseDashboardQuery(`service=api&groupBy=tag:${key}&tags=env%3Dprod`);
    const row = groupIdentity([`tag:${key}`], ['x']);
    expect(Object.entries(row.tags)).toEqual([[key, 'x']]);
    const next = updateDashboardQuery(query, drillDownPatch(query, { ...group({}), ...row }));
    expect(Object.entries(next.tags).sort()).toEqual(
      [
        [key, 'x'],
        ['env', 'prod'],
      ].sort(),
    );
  });
});

describe('groupLabel', () => {
  it.each([
    [group({ operation: 'GET /x', service: 's' }), 'GET /x'],
    [group({ tags: { a: '1', b: '2' } }), '1 · 2'],
    [group({ service: 'only-service' }), 'only-service'],
  ])('labels %# as %s', (g, label) => {
    expect(groupLabel(g)).toBe(label);
  });
});
