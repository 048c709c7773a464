import { MISSING_TAG_VALUE } from '../metrics/groups.ts';
import type { GroupMetrics } from '../metrics/types.ts';
import type { DashboardQuery, DashboardQueryPatch } from './dashboard-query.ts';
import { MAX_GROUP_KEY } from './pieces.ts';

/** The tag key the table is grouped by (its name column), if any. */
export function groupedTagKey(query: DashboardQuery): string | undefined {
  const tag = query.groupBy.find((key) => key.startsWith('tag:'));
  return tag?.slice('tag:'.length);
}

/** A group's name in a table: its tag values, else its operation, else its service. */
export function groupLabel(group: Pick<GroupMetrics, 'key' | 'service' | 'operation' | 'tags'>): string {
  const tagValues = Object.values(group.tags);
  if (tagValues.length > 0) return tagValues.join(' · ');
  return group.operation ?? group.service ?? group.key;
}

/** The drill-down narrows the query to the row: its operation, or its tag values as filters. */
export function drillDownPatch(query: DashboardQuery, group: GroupMetrics): DashboardQueryPatch {
  // A Map, then own properties: a tag key such as __proto__ must not set the record's prototype.
  const tags = new Map(Object.entries(query.tags));
  for (const [key, value] of Object.entries(group.tags)) if (value !== MISSING_TAG_VALUE) tags.set(key, value);
  return {
    ...(group.operation !== null && { operation: group.operation }),
    tags: Object.fromEntries(tags),
    // The selected group's key only while it fits (it repeats the values above, URI-encoded).
    group: group.key.length <= MAX_GROUP_KEY ? group.key : undefined,
    // The breakdown below is a different table: it starts from the default order.
    sort: 'count',
    dir: 'desc',
  };
}
