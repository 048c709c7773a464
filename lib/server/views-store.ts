import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { SavedView } from '../http/api-types.ts';

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

/** Reads a row as a saved view, or says which row and column of which file is not one. */
function toView(row: unknown, file: string): SavedView {
  const parsed = viewRowSchema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const id = typeof row === 'object' && row !== null && 'id' in row ? String(row.id) : '?';
  const column = issue?.path.join('.') || 'row';
  throw new Error(`The saved view ${id} in ${file} is corrupt: ${column}: ${issue?.message ?? 'unreadable'}`, { cause: parsed.error });
}

/**
 * Saved views in SQLite through Node's built-in node:sqlite (no native add-on to build), in one file
 * at SPANLENS_DB_PATH so they survive restarts. Synchronous calls: each is one small indexed query.
 */
export class ViewsStore {
  private readonly db: DatabaseSync;

  constructor(private readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS views (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      query TEXT NOT NULL,
      path TEXT NOT NULL DEFAULT '/',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
  }

  list(): SavedView[] {
    const rows = this.db.prepare('SELECT * FROM views ORDER BY name COLLATE NOCASE, created_at').all();
    return rows.map((row) => toView(row, this.path));
  }

  get(id: string): SavedView | null {
    const row = this.db.prepare('SELECT * FROM views WHERE id = ?').get(id);
    return row ? toView(row, this.path) : null;
  }

  create(view: { readonly name: string; readonly query: string; readonly path: string }, now = new Date()): SavedView {
    const id = randomBytes(9).toString('base64url');
    const at = now.toISOString();
    this.db
      .prepare('INSERT INTO views (id, name, query, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, view.name, view.query, view.path, at, at);
    return { id, name: view.name, query: view.query, path: view.path, createdAt: at, updatedAt: at };
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
