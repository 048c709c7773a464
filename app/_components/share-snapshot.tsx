'use client';

import { ShareSnapshotButton } from '@/components/query-bar/share-snapshot-button';
import { useCreateSnapshot } from '@/lib/api-client/snapshots';

/** "Share snapshot" behind POST /api/snapshots: `query` is read at the click, pinned to the window on screen. */
export function ShareSnapshot({ path, query }: { path: string; query: () => string }) {
  const create = useCreateSnapshot();
  return <ShareSnapshotButton share={async () => (await create.mutateAsync({ path, query: query() })).url} />;
}
