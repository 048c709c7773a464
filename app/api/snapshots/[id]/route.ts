import { errorResponse, jsonResponse } from '@/lib/http';
import { getSnapshotsStore, snapshotNotFound } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  readonly params: Promise<{ id: string }>;
}

/** GET /api/snapshots/ID → the stored Snapshot (lib/http/snapshot-types.ts): query, coverage, result. */
export async function GET(_request: Request, context: Context): Promise<Response> {
  try {
    const { id } = await context.params;
    const snapshot = getSnapshotsStore().get(id);
    if (snapshot === null) throw snapshotNotFound(id);
    return jsonResponse(snapshot);
  } catch (error) {
    return errorResponse(error);
  }
}

/** DELETE /api/snapshots/ID → { deleted: ID } */
export async function DELETE(_request: Request, context: Context): Promise<Response> {
  try {
    const { id } = await context.params;
    if (!getSnapshotsStore().delete(id)) throw snapshotNotFound(id);
    return jsonResponse({ deleted: id });
  } catch (error) {
    return errorResponse(error);
  }
}
