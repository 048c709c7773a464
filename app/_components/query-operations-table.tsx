'use client';

import { useRouter } from 'next/navigation';
import { OperationsTable, type OperationRow } from '@/components/tables/operations-table';
import { nextSortDirection } from '@/components/tables/sortable-header';
import type { DashboardQuery } from '@/lib/query';
import { useQueryNavigation } from './use-query-navigation';

/** The operations table of a dashboard view: in the URL's sort order (a header click replaces it), each row opening its own href. */
export function QueryOperationsTable({
  query,
  rows,
  nameHeader,
  estimated,
  compared,
}: {
  query: DashboardQuery;
  rows: readonly OperationRow[];
  nameHeader: string;
  estimated: boolean;
  compared: boolean;
}) {
  const router = useRouter();
  const { update } = useQueryNavigation(query);
  return (
    <OperationsTable
      rows={rows}
      nameHeader={nameHeader}
      sortKey={query.sort}
      sortDirection={query.dir}
      estimated={estimated}
      onSort={(key) => update({ sort: key, dir: nextSortDirection(query.sort, query.dir, key) }, 'replace')}
      onOpen={(href) => router.push(href)}
      compared={compared}
    />
  );
}
