import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ViewResponse, ViewsResponse } from '../http/api-types.ts';
import { requestJson } from './api-error.ts';

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

export function createView(view: NewView): Promise<ViewResponse> {
  return requestJson('/api/views', { method: 'POST', body: JSON.stringify(view), headers: { 'content-type': 'application/json' } });
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
  return useMutation({ mutationFn: createView, onSuccess: invalidate });
}

export function useRenameView() {
  const invalidate = useInvalidateViews();
  return useMutation({ mutationFn: ({ id, name }: { id: string; name: string }) => renameView(id, name), onSuccess: invalidate });
}

export function useDeleteView() {
  const invalidate = useInvalidateViews();
  return useMutation({ mutationFn: deleteView, onSuccess: invalidate });
}
