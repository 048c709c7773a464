import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { Coverage, SourceMode } from '../http/api-types.ts';
import { HttpError } from '../http/http-error.ts';
import type { Snapshot, SnapshotInfo, SnapshotResult } from '../http/snapshot-types.ts';
import { openDatabase, parseStoredRow, pruneIdempotencyKeys } from './sqlite-store.ts';

/** One snapshot's stored result at most (a services home of 50 services is ~1 MB). */
export const MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024;
/** Snapshots kept at most, and their results' bytes together: the database file stays bounded. */
export const MAX_SNAPSHOTS = 500;
export const MAX_SNAPSHOTS_TOTAL_BYTES = 256 * 1024 * 1024;

export interface SnapshotLimits {
  readonly maxBytes: number;
  readonly maxCount: number;
  readonly maxTotalBytes: number;
}

const DEFAULT_LIMITS: SnapshotLimits = { maxBytes: MAX_SNAPSHOT_BYTES, maxCount: MAX_SNAPSHOTS, maxTotalBytes: MAX_SNAPSHOTS_TOTAL_BYTES };

/** What is stored: a snapshot without its id, time and size, which the store assigns. */
export interface NewSnapshot {
  readonly path: string;
  readonly query: string;
  readonly source: { readonly mode: SourceMode; readonly label: string };
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  readonly coverage: Coverage;
  readonly result: SnapshotResult;
}

const infoRowSchema = z
  .object({
    id: z.string(),
    path: z.string(),
    query: z.string(),
    kind: z.enum(['overview', 'metrics', 'dependencies']),
    created_at: z.string(),
    source_mode: z.enum(['live', 'demo', 'upload']),
    source_label: z.string(),
    window_start_us: z.number(),
    window_end_us: z.number(),
    bytes: z.number(),
  })
  .transform((row): SnapshotInfo => ({
    id: row.id,
    path: row.path,
    query: row.query,
    kind: row.kind,
    createdAt: row.created_at,
    source: { mode: row.source_mode, label: row.source_label },
    windowStartUs: row.window_start_us,
    windowEndUs: row.window_end_us,
    bytes: row.bytes,
  }));

/**
 * The result and coverage columns hold JSON this store wrote from typed values; the check is that they
 * are still that (an object of the right kind), not a second copy of every response schema.
 */
const KINDS: readonly unknown[] = ['overview', 'metrics', 'dependencies'];
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const storedResult = z.custom<SnapshotResult>(
  (value) => isObject(value) && KINDS.includes(value['kind']) && isObject(value['data']),
  'result is not a snapshot result',
);
const storedCoverage = z.custom<Coverage>((value) => isObject(value) && typeof value['complete'] === 'boolean', 'coverage is not a coverage');
const storedJsonSchema = z.object({ result: z.string(), coverage: z.string() }).transform((row) => ({
  result: storedResult.parse(JSON.parse(row.result)),
  coverage: storedCoverage.parse(JSON.parse(row.coverage)),
}));

const parseRow = <T>(schema: z.ZodType<T>, row: unknown, file: string): T => parseStoredRow(schema, row, 'snapshot', file);

/** What an Idempotency-Key seen before says about a create. */
export type KeyLookup = { readonly kind: 'new' } | { readonly kind: 'replayed'; readonly id: string } | { readonly kind: 'conflict' };

const keyRowSchema = z.object({ request_hash: z.string(), snapshot_id: z.string() });

const INFO_COLUMNS = 'id, path, query, kind, created_at, source_mode, source_label, window_start_us, window_end_us, bytes';

/**
 * Frozen results in SQLite (node:sqlite), in the saved views' file (SPANLENS_DB_PATH), table `snapshots`.
 * A snapshot is written once and never changed; list, get and delete are single indexed queries.
 */
export class SnapshotsStore {
  private readonly db: DatabaseSync;

  constructor(
    private readonly path: string,
    private readonly limits: SnapshotLimits = DEFAULT_LIMITS,
  ) {
    this.db = openDatabase(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      id TEXT PRIMARY KEY,
      path TEXT NOT NULL,
      query TEXT NOT NULL,
      kind TEXT NOT NULL,
      created_at TEXT NOT NULL,
      source_mode TEXT NOT NULL,
      source_label TEXT NOT NULL,
      window_start_us INTEGER NOT NULL,
      window_end_us INTEGER NOT NULL,
      coverage TEXT NOT NULL,
      result TEXT NOT NULL,
      bytes INTEGER NOT NULL
    )`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshot_idempotency_keys (
      key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      snapshot_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
  }

  /** Newest first. */
  list(): SnapshotInfo[] {
    return this.db
      .prepare(`SELECT ${INFO_COLUMNS} FROM snapshots ORDER BY created_at DESC, id`)
      .all()
      .map((row) => parseRow(infoRowSchema, row, this.path));
  }

  get(id: string): Snapshot | null {
    const row = this.db.prepare(`SELECT ${INFO_COLUMNS}, result, coverage FROM snapshots WHERE id = ?`).get(id);
    if (row === undefined) return null;
    return { ...parseRow(infoRowSchema, row, this.path), ...parseRow(storedJsonSchema, row, this.path) };
  }

  /**
   * Stores a snapshot: 413 when its result is over the size cap, 409 when the store holds as many
   * snapshots (or bytes) as it may, so nothing a client sends grows the file without bound.
   */
  create(snapshot: NewSnapshot, now = new Date()): SnapshotInfo {
    const result = JSON.stringify(snapshot.result);
    const bytes = Buffer.byteLength(result);
    if (bytes > this.limits.maxBytes) {
      throw new HttpError(
        413,
        'snapshot_too_large',
        `This result is ${(bytes / 1_048_576).toFixed(1)} MB; a snapshot holds at most ${(this.limits.maxBytes / 1_048_576).toFixed(0)} MB. Narrow the window or the filters and share again.`,
        'query',
      );
    }
    const usage = z
      .object({ n: z.number(), total: z.number().nullable() })
      .parse(this.db.prepare('SELECT COUNT(*) AS n, SUM(bytes) AS total FROM snapshots').get());
    if (usage.n >= this.limits.maxCount || (usage.total ?? 0) + bytes > this.limits.maxTotalBytes) {
      throw new HttpError(
        409,
        'snapshots_full',
        `Spanlens keeps at most ${this.limits.maxCount} snapshots (${(this.limits.maxTotalBytes / 1_048_576).toFixed(0)} MB); delete some (GET /api/snapshots lists them) and share again.`,
      );
    }
    const info: SnapshotInfo = {
      id: randomBytes(9).toString('base64url'),
      path: snapshot.path,
      query: snapshot.query,
      kind: snapshot.result.kind,
      createdAt: now.toISOString(),
      source: snapshot.source,
      windowStartUs: snapshot.windowStartUs,
      windowEndUs: snapshot.windowEndUs,
      bytes,
    };
    this.db
      .prepare(`INSERT INTO snapshots (${INFO_COLUMNS}, coverage, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        info.id,
        info.path,
        info.query,
        info.kind,
        info.createdAt,
        info.source.mode,
        info.source.label,
        info.windowStartUs,
        info.windowEndUs,
        info.bytes,
        JSON.stringify(snapshot.coverage),
        result,
      );
    return info;
  }

  /** Whether `key` was used before (within a day) for this request (`requestHash`) or another. */
  lookupKey(key: string, requestHash: string, now = new Date()): KeyLookup {
    pruneIdempotencyKeys(this.db, 'snapshot_idempotency_keys', now);
    const row = this.db.prepare('SELECT request_hash, snapshot_id FROM snapshot_idempotency_keys WHERE key = ?').get(key);
    if (row === undefined) return { kind: 'new' };
    const seen = keyRowSchema.parse(row);
    return seen.request_hash === requestHash ? { kind: 'replayed', id: seen.snapshot_id } : { kind: 'conflict' };
  }

  /**
   * `create` at most once per key, snapshot and key in one transaction. The result is computed before
   * (it takes seconds, outside any lock), so a second request with the same key may have finished first:
   * then its snapshot is the answer and this one is dropped.
   */
  createOnce(key: string, requestHash: string, snapshot: NewSnapshot, now = new Date()): { readonly lookup: KeyLookup; readonly id: string | null } {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const seen = this.lookupKey(key, requestHash, now);
      let id: string | null = seen.kind === 'replayed' ? seen.id : null;
      if (seen.kind === 'new') {
        id = this.create(snapshot, now).id;
        this.db
          .prepare('INSERT INTO snapshot_idempotency_keys (key, request_hash, snapshot_id, created_at) VALUES (?, ?, ?, ?)')
          .run(key, requestHash, id, now.toISOString());
      }
      this.db.exec('COMMIT');
      return { lookup: seen, id };
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}
