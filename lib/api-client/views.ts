import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ViewResponse, ViewsResponse } from '../http/api-types.ts';
import { ApiError, requestJson } from './api-error.ts';

/** Saved views: a name for a dashboard URL, kept server-side in SQLite (SPANLENS_DB_PATH). */

export interface NewView {
  readonly name: string;
  /** Dashboard URL search params, e.g. serializeDashboardQuery(query). */
  readonly query: string;
  /** Page path, default `/`. */
  readonly path?: string | undefined;
}

export function fetchViews(signal?: AbortSignal): Promise<ViewsResponse> {
  return requestJson('/api/views', { signal });
}

/** A fresh key per create. randomUUID exists only in secure contexts (https, localhost); the fallback, anywhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The pause before createView's one retry, in ms (a test may shorten it). */
const CREATE_RETRY_DELAY_MS = 500;

/**
 * Saves a view under a fresh Idempotency-Key, and if the server could not be reached or answered that
 * it was unavailable (a restart, a lost answer), tries once more with the same key: the server then
 * returns the view the first attempt created, if it did, rather than saving a second one.
 */
export async function createView(view: NewView, retryDelayMs = CREATE_RETRY_DELAY_MS): Promise<ViewResponse> {
  const init: RequestInit = {
    method: 'POST',
    body: JSON.stringify(view),
    headers: { 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
  };
  try {
    return await requestJson<ViewResponse>('/api/views', init);
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 0 && error.status !== 502 && error.status !== 503)) throw error;
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    return requestJson<ViewResponse>('/api/views', init);
  }
}

export function renameView(id: string, name: string): Promise<ViewResponse> {
  return requestJson(`/api/views/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify({ name }),
    headers: { 'content-type': 'application/json' },
  });
}

export function deleteView(id: string): Promise<{ readonly deleted: string }> {
  return requestJson(`/api/views/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export const viewsQueryOptions = () => queryOptions({ queryKey: ['views'], queryFn: ({ signal }) => fetchViews(signal) });

export const useViews = () => useQuery(viewsQueryOptions());

function useInvalidateViews() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['views'] });
}

export function useCreateView() {
  const invalidate = useInvalidateViews();
  return useMutation({ mutationFn: (view: NewView) => createView(view), onSuccess: invalidate });
}

export function useRenameView() {
  const invalidate = useInvalidateViews();
  return useMutation({ mutationFn: ({ id, name }: { id: string; name: string }) => renameView(id, name), onSuccess: invalidate });
}

export function useDeleteView() {
  const invalidate = useInvalidateViews();
  return useMutation({ mutationFn: deleteView, onSuccess: invalidate });
}
