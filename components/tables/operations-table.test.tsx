// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SortKey } from '@/lib/query';
import { aGroup } from '@/lib/testing/group-builder';
import { OperationsTable, type OperationRow, type SortDirection } from './operations-table';

afterEach(cleanup);

const row = (group: ReturnType<typeof aGroup>): OperationRow => ({ group, label: group.operation ?? '', href: `/operation?op=${group.operation}` });

// Two rows tie on count (40) and two on error rate (0): ties fall back to the name, A→Z.
const rows: readonly OperationRow[] = [
  row(aGroup({ operation: 'GET /users', count: 120, errorCount: 6, p95Us: 80_000 })),
  row(aGroup({ operation: 'POST /orders', count: 40, errorCount: 10, p95Us: 350_000 })),
  row(aGroup({ operation: 'GET /health', count: 300, errorCount: 0, p95Us: 2_000 })),
  row(aGroup({ operation: 'DELETE /orders', count: 40, errorCount: 0, p95Us: 12_000 })),
];

/** The table with the overview page's rule: a new column sorts descending, the same column again flips it. */
function SortableTable({ onSort }: { onSort: (key: SortKey) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDirection }>({ key: 'count', dir: 'desc' });
  return (
    <OperationsTable
      rows={rows}
      sortKey={sort.key}
      sortDirection={sort.dir}
      onSort={(key) => {
        onSort(key);
        setSort((s) => ({ key, dir: s.key === key && s.dir === 'desc' ? 'asc' : 'desc' }));
      }}
      estimated={false}
      nameHeader="Operation"
      onOpen={() => {}}
    />
  );
}

const shownOrder = () => screen.getAllByRole('rowheader').map((cell) => cell.textContent);
const clickHeader = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('OperationsTable', () => {
  it('shows the rows in the order of the sort it is given, ties by name', () => {
    render(<SortableTable onSort={() => {}} />);
    expect(shownOrder()).toEqual(['GET /health', 'GET /users', 'DELETE /orders', 'POST /orders']);
    expect(screen.getByRole('columnheader', { name: 'Count (n)' }).getAttribute('aria-sort')).toBe('descending');
  });

  it('re-orders the rows when a column header is clicked, and again the other way on a second click', () => {
    const onSort = vi.fn();
    render(<SortableTable onSort={onSort} />);

    clickHeader('p95');
    expect(onSort).toHaveBeenLastCalledWith('p95');
    expect(shownOrder()).toEqual(['POST /orders', 'GET /users', 'DELETE /orders', 'GET /health']);
    expect(screen.getByRole('columnheader', { name: 'p95' }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: 'Count (n)' }).getAttribute('aria-sort')).toBe('none');

    clickHeader('p95');
    expect(shownOrder()).toEqual(['GET /health', 'DELETE /orders', 'GET /users', 'POST /orders']);
    expect(screen.getByRole('columnheader', { name: 'p95' }).getAttribute('aria-sort')).toBe('ascending');
  });

  it.each([
    { header: 'Operation', order: ['POST /orders', 'GET /users', 'GET /health', 'DELETE /orders'] },
    { header: 'Error rate', order: ['POST /orders', 'GET /users', 'DELETE /orders', 'GET /health'] },
    { header: 'Count (n)', order: ['DELETE /orders', 'POST /orders', 'GET /users', 'GET /health'] },
  ])('sorts by $header when its header is clicked', ({ header, order }) => {
    render(<SortableTable onSort={() => {}} />);
    clickHeader(header);
    expect(shownOrder()).toEqual(order);
  });
});
