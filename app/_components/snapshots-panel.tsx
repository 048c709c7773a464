'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SnapshotList } from '@/components/query-bar/snapshot-list';
import { useDeleteSnapshot, useSnapshots } from '@/lib/api-client/snapshots';
import type { SnapshotInfo } from '@/lib/http/snapshot-types';
import { formatUtc } from './utc-time';

const PAGE_NAMES: Readonly<Record<string, string>> = { '/operation': 'Drill-down', '/errors': 'Errors', '/map': 'Service map' };

/** What a snapshot is of, as the nav names its page: "Overview · checkout", "Services", "Service map". */
export function snapshotTitle(snapshot: Pick<SnapshotInfo, 'path' | 'query'>): string {
  const service = new URLSearchParams(snapshot.query).get('service');
  const page = PAGE_NAMES[snapshot.path] ?? (service === null ? 'Services' : 'Overview');
  return service === null ? page : `${page} · ${service}`;
}

/**
 * The stored snapshots behind /api/snapshots, listed when opened (each list is one small query) and
 * deletable. On a snapshot's own page, deleting it goes back to the live view it came from.
 */
export function SnapshotsPanel({ current, open = false }: { current?: SnapshotInfo; open?: boolean }) {
  const router = useRouter();
  const [expanded, setExpanded] = useState(open);
  const snapshots = useSnapshots({ enabled: expanded });
  const remove = useDeleteSnapshot();
  const failure = snapshots.error ?? remove.error;
  return (
    <details
      className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800"
      open={open}
      onToggle={(event) => setExpanded(event.currentTarget.open)}
    >
      <summary className="cursor-pointer text-sm font-medium">Snapshots{snapshots.data ? ` (${snapshots.data.snapshots.length})` : ''}</summary>
      <div className="mt-2">
        <SnapshotList
          snapshots={(snapshots.data?.snapshots ?? []).map((snapshot) => ({
            id: snapshot.id,
            href: `/s/${snapshot.id}`,
            title: snapshotTitle(snapshot),
            detail: `${formatUtc(Date.parse(snapshot.createdAt) * 1_000)} from ${snapshot.source.label}`,
          }))}
          currentId={current?.id}
          busy={remove.isPending}
          error={failure ? failure.message : null}
          onDelete={(id) =>
            remove.mutate(id, {
              onSuccess: () => {
                if (current !== undefined && id === current.id) router.push(current.query === '' ? current.path : `${current.path}?${current.query}`);
              },
            })
          }
        />
      </div>
    </details>
  );
}
