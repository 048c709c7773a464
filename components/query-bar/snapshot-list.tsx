'use client';

import Link from 'next/link';
import { Button } from '../ui/button';

export interface SnapshotItem {
  readonly id: string;
  /** `/s/{id}`. */
  readonly href: string;
  /** The page and its service, e.g. `/operation · checkout`. */
  readonly title: string;
  /** When it was computed and from where, e.g. `2026-12-02 09:30 UTC from http://jaeger:16686`. */
  readonly detail: string;
}

/** Stored snapshots, newest first, each with its frozen link and Delete; the storage lives behind /api/snapshots. */
export function SnapshotList({
  snapshots,
  currentId,
  onDelete,
  busy,
  error,
}: {
  snapshots: readonly SnapshotItem[];
  /** The snapshot this page shows, marked rather than linked. */
  currentId?: string | undefined;
  onDelete: (id: string) => void;
  busy: boolean;
  error: string | null;
}) {
  return (
    <section aria-labelledby="snapshots-heading" className="space-y-2">
      <h2 id="snapshots-heading" className="text-sm font-semibold">
        Snapshots
      </h2>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {snapshots.length === 0 ? (
        <p className="text-sm text-slate-500">No snapshots yet: &ldquo;Share snapshot&rdquo; on a page stores its numbers.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {snapshots.map((snapshot) => (
            <li key={snapshot.id} className="flex items-center gap-2 py-1" aria-label={`Snapshot ${snapshot.title}`}>
              <span className="min-w-0 flex-1 truncate">
                {snapshot.id === currentId ? (
                  <span className="font-medium">{snapshot.title} (this page)</span>
                ) : (
                  <Link href={snapshot.href} className="text-sky-800 hover:underline dark:text-sky-300">
                    {snapshot.title}
                  </Link>
                )}{' '}
                <span className="text-xs text-slate-500">{snapshot.detail}</span>
              </span>
              <Button
                variant="ghost"
                aria-label={`Delete snapshot ${snapshot.title}, ${snapshot.detail}`}
                disabled={busy}
                onClick={() => onDelete(snapshot.id)}
              >
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
