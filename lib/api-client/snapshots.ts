import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SnapshotCreated, SnapshotsResponse } from '../http/snapshot-types.ts';
import { requestJson } from './api-error.ts';
import { newIdempotencyKey } from './views.ts';

/** Frozen results (`/s/{id}`): a page's numbers computed once and stored server-side (SPANLENS_DB_PATH). */

export interface NewSnapshot {
  /** The page's URL search params, e.g. serializeDashboardQuery(pinWindow(query, shownEndMs)). */
  readonly query: string;
  /** The page, e.g. `/operation`; default `/`. */
  readonly path: string;
}

/** One snapshot per click, under a fresh Idempotency-Key (as saved views are created). */
export function createSnapshot(snapshot: NewSnapshot): Promise<SnapshotCreated> {
  return requestJson('/api/snapshots', {
    method: 'POST',
    body: JSON.stringify(snapshot),
    headers: { 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
  });
}

export function deleteSnapshot(id: string): Promise<{ readonly deleted: string }> {
  return requestJson(`/api/snapshots/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

const snapshotsQueryOptions = () =>
  queryOptions({ queryKey: ['snapshots'], queryFn: ({ signal }): Promise<SnapshotsResponse> => requestJson('/api/snapshots', { signal }) });

export const useSnapshots = (options: { readonly enabled?: boolean } = {}) =>
  useQuery({ ...snapshotsQueryOptions(), enabled: options.enabled ?? true });

function useInvalidateSnapshots() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['snapshots'] });
}

export function useCreateSnapshot() {
  const invalidate = useInvalidateSnapshots();
  return useMutation({ mutationFn: createSnapshot, onSuccess: invalidate });
}

export function useDeleteSnapshot() {
  const invalidate = useInvalidateSnapshots();
  return useMutation({ mutationFn: deleteSnapshot, onSuccess: invalidate });
}
