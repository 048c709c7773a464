import 'server-only';
import { resolve } from 'node:path';
import { z } from 'zod';
import { getEnv } from '../env.ts';
import { APP_PAGES, isAppPage } from '../http/app-pages.ts';
import { HttpError } from '../http/http-error.ts';
import { safeParseDashboardQuery, serializeDashboardQuery } from '../query/dashboard-query.ts';
import { ViewsStore } from './views-store.ts';

const viewName = z.string({ error: 'name must be text' }).trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters');

/** Stored canonical (lib/query serialise), so a view opens the same page however its URL was typed. */
const viewQuery = z
  .string({ error: 'query must be the dashboard URL search params as text' })
  .max(8_000, 'query must be at most 8000 characters')
  .transform((text, ctx) => {
    const parsed = safeParseDashboardQuery(text.replace(/^\?/, ''));
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `${parsed.error.field} ${parsed.error.message}` });
      return z.NEVER;
    }
    return serializeDashboardQuery(parsed.query);
  });

export const newViewSchema = z.object({
  name: viewName,
  query: viewQuery,
  /** One of the app's pages, exactly: never `//host/…` or any other link away from Spanlens. */
  path: z
    .string({ error: 'path must be text' })
    .refine(isAppPage, `path must be one of the app's pages: ${APP_PAGES.join(', ')}`)
    .default('/'),
});

export const renameViewSchema = z.object({ name: viewName });

interface ViewsState {
  store?: { readonly path: string; readonly store: ViewsStore };
}
const state: ViewsState = ((globalThis as { __spanlensViews?: ViewsState }).__spanlensViews ??= {});

/** One store per process (SPANLENS_DB_PATH, relative to the working directory), opened on first use. */
export function getViewsStore(): ViewsStore {
  const path = resolve(process.cwd(), getEnv().SPANLENS_DB_PATH);
  if (state.store?.path !== path) state.store = { path, store: new ViewsStore(path) };
  return state.store.store;
}

export function viewNotFound(id: string): HttpError {
  return new HttpError(404, 'view_not_found', `No saved view has the id ${id}; it may have been deleted.`, 'id');
}
