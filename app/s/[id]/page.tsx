import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getSnapshotsStore } from '@/lib/server/snapshots';
import { SnapshotView } from './_components/snapshot-view';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Frozen snapshot · Spanlens' };

/** `/s/{id}`: a snapshot's stored numbers, read from the database, never from Jaeger. */
export default async function SnapshotPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const snapshot = getSnapshotsStore().get(id);
  if (snapshot === null) notFound();
  return <SnapshotView snapshot={snapshot} />;
}
