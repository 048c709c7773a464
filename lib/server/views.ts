import 'server-only';
import { z } from 'zod';
import { APP_PAGES, isAppPage } from '../http/app-pages.ts';
import { HttpError } from '../http/http-error.ts';
import { safeParseDashboardQuery, serializeDashboardQuery } from '../query/dashboard-query.ts';
import { storePerProcess } from './sqlite-store.ts';
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

/** The Idempotency-Key header of POST /api/views: a client's token for one create, sent again on a retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The request's Idempotency-Key, or undefined when it sends none; a 400 when it is empty, too long or not printable ASCII. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters without spaces, such as a UUID.`,
      'Idempotency-Key',
    );
  }
  return key;
}

export function idempotencyKeyReused(): HttpError {
  return new HttpError(
    409,
    'idempotency_key_reused',
    'This Idempotency-Key was already used to save a different view; send a new key for a new view.',
    'Idempotency-Key',
  );
}

export const renameViewSchema = z.object({ name: viewName });

/** One store per process (SPANLENS_DB_PATH, relative to the working directory), opened on first use. */
export const getViewsStore: () => ViewsStore = storePerProcess('__spanlensViews', (path) => new ViewsStore(path));

export function viewNotFound(id: string): HttpError {
  return new HttpError(404, 'view_not_found', `No saved view has the id ${id}; it may have been deleted.`, 'id');
}
