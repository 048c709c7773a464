import { errorResponse, jsonResponse, readJsonBody } from '@/lib/http';
import type { SnapshotCreated, SnapshotsResponse } from '@/lib/http/snapshot-types';
import { idempotencyKeyOf } from '@/lib/server/views';
import { computeSnapshot, getSnapshotsStore, newSnapshotSchema, snapshotKeyReused, snapshotRequestHash, snapshotUrl } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/snapshots → { snapshots } (newest first; each without its stored result). */
export async function GET(): Promise<Response> {
  try {
    const body: SnapshotsResponse = { snapshots: getSnapshotsStore().list() };
    return jsonResponse(body);
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * POST /api/snapshots { query, path? } → 201 { id, url }: computes the page's answer now (as the page
 * would) and stores it with its coverage. With an `Idempotency-Key` the snapshot is taken at most once
 * per key: the same key and request again → 200 with the first id; another request → 409.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const key = idempotencyKeyOf(request);
    const input = await readJsonBody(request, newSnapshotSchema);
    const store = getSnapshotsStore();
    const hash = snapshotRequestHash(input);
    const created = (id: string, status: number) => jsonResponse({ id, url: snapshotUrl(id) } satisfies SnapshotCreated, status);
    if (key !== undefined) {
      const seen = store.lookupKey(key, hash);
      if (seen.kind === 'conflict') throw snapshotKeyReused();
      if (seen.kind === 'replayed') return created(seen.id, 200);
    }
    const snapshot = await computeSnapshot(input, { nowMs: Date.now(), signal: request.signal });
    if (key === undefined) return created(store.create(snapshot).id, 201);
    const once = store.createOnce(key, hash, snapshot);
    if (once.lookup.kind === 'conflict' || once.id === null) throw snapshotKeyReused();
    return created(once.id, once.lookup.kind === 'new' ? 201 : 200);
  } catch (error) {
    return errorResponse(error);
  }
}
