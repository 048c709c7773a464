import type { ReactNode } from 'react';

/** The order after a header click: its own column flips from descending to ascending; anything else sorts descending first. */
export function nextSortDirection<K>(activeKey: K, activeDirection: 'asc' | 'desc', clickedKey: K): 'asc' | 'desc' {
  return activeKey === clickedKey && activeDirection === 'desc' ? 'asc' : 'desc';
}

/** A column header that sorts its table: the arrow and `aria-sort` show the current order. */
export function SortableHeader({
  children,
  active,
  direction,
  title,
  alignLeft,
  onSort,
}: {
  children: ReactNode;
  active: boolean;
  direction: 'asc' | 'desc';
  title?: string | undefined;
  alignLeft: boolean;
  onSort: () => void;
}) {
  return (
    <th
      scope="col"
      className={`px-2 py-2 ${alignLeft ? '' : 'text-right'}`}
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={title}
    >
      <button type="button" className="inline-flex items-center gap-1 uppercase hover:underline" onClick={onSort}>
        {children}
        <span aria-hidden>{active ? (direction === 'asc' ? '▲' : '▼') : ''}</span>
      </button>
    </th>
  );
}
