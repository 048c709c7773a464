'use client';

import { FoldedNamesNotice } from '@/components/query-bar/fold-names-toggle';
import type { MetricsResponse } from '@/lib/http/api-types';
import type { DashboardQuery } from '@/lib/query';
import { useQueryNavigation } from './use-query-navigation';

/** With `fold=1`: how many raw operation names the page's groups merged, and Undo (folding off). */
export function FoldedNames({ query, groups }: { query: DashboardQuery; groups: MetricsResponse['groups'] | undefined }) {
  const { update } = useQueryNavigation(query);
  if (query.fold !== true || groups === undefined) return null;
  const folding = groups.filter((group) => (group.foldedNames ?? 0) > 0);
  const foldedNames = folding.reduce((sum, group) => sum + (group.foldedNames ?? 0), 0);
  return <FoldedNamesNotice foldedNames={foldedNames} groups={folding.length} onUndo={() => update({ fold: undefined }, 'replace')} />;
}
