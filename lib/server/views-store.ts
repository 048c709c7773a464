import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { SavedView } from '../http/api-types.ts';
import { IDEMPOTENCY_KEY_TTL_MS, openDatabase, parseStoredRow, pruneIdempotencyKeys } from './sqlite-store.ts';

export { IDEMPOTENCY_KEY_TTL_MS };

/** A `views` row as node:sqlite returns it, checked: SQLite's TEXT affinity still lets a blob or NULL in. */
const viewRowSchema = z
  .object({ id: z.string(), name: z.string(), query: z.string(), path: z.string(), created_at: z.string(), updated_at: z.string() })
  .transform((row): SavedView => ({
    id: row.id,
    name: row.name,
    query: row.query,
    path: row.path,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));

const toView = (row: unknown, file: string): SavedView => parseStoredRow(viewRowSchema, row, 'saved view', file);

export interface NewView {
  readonly name: string;
  readonly query: string;
  readonly path: string;
}

/** What a create under an Idempotency-Key came to. */
export type IdempotentCreate =
  /** The key was new: the view was created (201). */
  | { readonly kind: 'created'; readonly view: SavedView }
  /** The key was used before for the same view: the first answer, again (200); nothing was created. */
  | { readonly kind: 'replayed'; readonly view: SavedView }
  /** The key was used before for a different view (409). */
  | { readonly kind: 'conflict' };

const keyRowSchema = z.object({ request_hash: z.string(), response: z.string() });

/** The fingerprint of a create request: its validated, canonical input, so JSON spacing or key order do not matter. */
const requestHash = (view: NewView): string =>
  createHash('sha256')
    .update(JSON.stringify([view.name, view.query, view.path]))
    .digest('hex');

/**
 * Saved views in SQLite through Node's built-in node:sqlite (no native add-on to build), in one file
 * at SPANLENS_DB_PATH so they survive restarts. Synchronous calls: each is one small indexed query.
 */
export class ViewsStore {
  private readonly db: DatabaseSync;

  constructor(private readonly path: string) {
    this.db = openDatabase(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS views (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      query TEXT NOT NULL,
      path TEXT NOT NULL DEFAULT '/',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    // POST /api/views is retried after a crash or a lost answer: a key sent again returns the first
    // answer instead of a second view. Kept IDEMPOTENCY_KEY_TTL_MS, pruned on every keyed create.
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      response TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
    this.db.exec('CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)');
  }

  list(): SavedView[] {
    const rows = this.db.prepare('SELECT * FROM views ORDER BY name COLLATE NOCASE, created_at').all();
    return rows.map((row) => toView(row, this.path));
  }

  get(id: string): SavedView | null {
    const row = this.db.prepare('SELECT * FROM views WHERE id = ?').get(id);
    return row ? toView(row, this.path) : null;
  }

  create(view: NewView, now = new Date()): SavedView {
    const id = randomBytes(9).toString('base64url');
    const at = now.toISOString();
    this.db
      .prepare('INSERT INTO views (id, name, query, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, view.name, view.query, view.path, at, at);
    return { id, name: view.name, query: view.query, path: view.path, createdAt: at, updatedAt: at };
  }

  /**
   * `create` at most once per `key`: the view and its key are written in one transaction, so a crash
   * leaves both or neither. A key seen within IDEMPOTENCY_KEY_TTL_MS answers with the view as first
   * created (even if renamed or deleted since) when the request is the same, else a conflict.
   */
  createOnce(key: string, view: NewView, now = new Date()): IdempotentCreate {
    const hash = requestHash(view);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      pruneIdempotencyKeys(this.db, 'idempotency_keys', now);
      const row = this.db.prepare('SELECT request_hash, response FROM idempotency_keys WHERE key = ?').get(key);
      let result: IdempotentCreate;
      if (row !== undefined) {
        const seen = keyRowSchema.parse(row);
        result = seen.request_hash === hash ? { kind: 'replayed', view: toView(JSON.parse(seen.response), this.path) } : { kind: 'conflict' };
      } else {
        const created = this.create(view, now);
        const response = JSON.stringify({
          id: created.id,
          name: created.name,
          query: created.query,
          path: created.path,
          created_at: created.createdAt,
          updated_at: created.updatedAt,
        });
        this.db
          .prepare('INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)')
          .run(key, hash, response, now.toISOString());
        result = { kind: 'created', view: created };
      }
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Idempotency keys remembered now (pruned by `createOnce`). */
  idempotencyKeyCount(): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get();
    return z.object({ n: z.number() }).parse(row).n;
  }

  rename(id: string, name: string, now = new Date()): SavedView | null {
    const result = this.db.prepare('UPDATE views SET name = ?, updated_at = ? WHERE id = ?').run(name, now.toISOString(), id);
    return result.changes === 0 ? null : this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM views WHERE id = ?').run(id).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}
