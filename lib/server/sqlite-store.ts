import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { z } from 'zod';
import { getEnv } from '../env.ts';

/** How long an Idempotency-Key is remembered: a client retrying after a crash does so within minutes. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1_000;

/** The SQLite file at `path` (`:memory:` in tests), its folder created first. */
export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new DatabaseSync(path);
}

/** Forgets the keys of `table` older than IDEMPOTENCY_KEY_TTL_MS. */
export function pruneIdempotencyKeys(db: DatabaseSync, table: string, now: Date): void {
  db.prepare(`DELETE FROM ${table} WHERE created_at < ?`).run(new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString());
}

/**
 * A row read with `schema` (SQLite's TEXT affinity still lets a blob or NULL in), or an error naming
 * which `what` (its id), file and column is not what was written.
 */
export function parseStoredRow<T>(schema: z.ZodType<T>, row: unknown, what: string, file: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const id = typeof row === 'object' && row !== null && 'id' in row ? String(row.id) : '?';
  const column = issue?.path.join('.') || 'row';
  throw new Error(`The ${what} ${id} in ${file} is corrupt: ${column}: ${issue?.message ?? 'unreadable'}`, { cause: parsed.error });
}

/**
 * One store per process at SPANLENS_DB_PATH (relative to the working directory), opened on first use
 * and again when the path changes; held on globalThis[`slot`] so dev reloads and route bundles share it.
 */
export function storePerProcess<S>(slot: string, open: (path: string) => S): () => S {
  const slots = globalThis as unknown as Record<string, { readonly path: string; readonly store: S } | undefined>;
  return () => {
    const path = resolve(process.cwd(), getEnv().SPANLENS_DB_PATH);
    const held = slots[slot];
    if (held?.path === path) return held.store;
    const store = open(path);
    slots[slot] = { path, store };
    return store;
  };
}
