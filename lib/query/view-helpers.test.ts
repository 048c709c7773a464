import { describe, expect, it } from 'vitest';
import type { GroupMetrics } from '../metrics/types.ts';
import { parseDashboardQuery, updateDashboardQuery } from './dashboard-query.ts';
import { drillDownPatch, groupLabel } from './view-helpers.ts';

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

describe('groupLabel', () => {
  it.each([
    [group({ operation: 'GET /x', service: 's' }), 'GET /x'],
    [group({ tags: { a: '1', b: '2' } }), '1 · 2'],
    [group({ service: 'only-service' }), 'only-service'],
  ])('labels %# as %s', (g, label) => {
    expect(groupLabel(g)).toBe(label);
  });
});
