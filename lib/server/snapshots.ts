import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getEnv } from '../env.ts';
import { APP_PAGES, isAppPage } from '../http/app-pages.ts';
import { HttpError } from '../http/http-error.ts';
import { redactUrl } from '../http/redact-url.ts';
import type { SnapshotResult } from '../http/snapshot-types.ts';
import type { MetricName } from '../metrics/registry.ts';
import {
  dataQueryOf,
  dependenciesQuerySchema,
  overviewQuerySchema,
  parseDashboardQuery,
  parseQuery,
  serializeDashboardQuery,
  serializeDependenciesQuery,
} from '../query/dashboard-query.ts';
import { computeDependencies } from './dependencies-service.ts';
import { traceSearchFor } from './metrics-service.ts';
import { computeOverview } from './overview-service.ts';
import { sumCoverage } from './per-service.ts';
import { computeSharedMetrics } from './shared-metrics.ts';
import { resolveSource } from './sources.ts';
import { SnapshotsStore, type NewSnapshot } from './snapshots-store.ts';
import { storePerProcess } from './sqlite-store.ts';

/**
 * Frozen results (`/s/{id}`): the query of a page, the answer its API gave and the coverage, computed
 * through the same services the page reads, then stored, so the numbers survive Jaeger forgetting the
 * traces. Which answer a page shows: the services home `/api/overview`, a service's overview and the
 * drill-down and errors pages `/api/metrics` with the metric sets they fetch, the map `/api/dependencies`.
 */
const METRIC_PAGES: Readonly<Record<string, readonly MetricName[]>> = {
  '/': ['groups'],
  '/operation': ['groups', 'heatmap', 'slowest'],
  '/errors': ['groups', 'errors'],
};
const SNAPSHOT_PAGES = ['/', '/operation', '/errors', '/map'];

export const newSnapshotSchema = z.object({
  query: z
    .string({ error: "query must be the view's URL search params as text" })
    .max(8_000, 'query must be at most 8000 characters')
    .transform((text) => text.replace(/^\?/, '')),
  path: z
    .string({ error: 'path must be text' })
    .refine(isAppPage, `path must be one of the app's pages: ${APP_PAGES.join(', ')}`)
    .refine((path) => SNAPSHOT_PAGES.includes(path), `path must be a page with numbers to freeze: ${SNAPSHOT_PAGES.join(', ')}`)
    .default('/'),
});

export type SnapshotRequest = z.output<typeof newSnapshotSchema>;

interface ComputeContext {
  readonly nowMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** The page's query parsed as that page parses it and written back canonical, and its computed answer. */
export async function computeSnapshot(request: SnapshotRequest, context: ComputeContext): Promise<NewSnapshot> {
  const env = getEnv();
  const base = { nowMs: context.nowMs, maxTraces: env.JAEGER_MAX_TRACES, signal: context.signal };
  let query: string;
  let result: SnapshotResult;
  if (request.path === '/map') {
    const parsed = parseQuery(dependenciesQuerySchema, request.query);
    query = serializeDependenciesQuery(parsed);
    result = { kind: 'dependencies', data: await computeDependencies(parsed, await resolveSource(parsed.source), base) };
  } else {
    const parsed = parseDashboardQuery(request.query);
    query = serializeDashboardQuery(parsed);
    if (request.path === '/' && parsed.service === undefined) {
      const overview = parseQuery(overviewQuerySchema, request.query);
      result = { kind: 'overview', data: await computeOverview(overview, await resolveSource(overview.source), base) };
    } else {
      const metricsQuery = { ...dataQueryOf(parsed), include: METRIC_PAGES[request.path] ?? [] };
      traceSearchFor(metricsQuery, base); // no service: the 400 the page would show, before any search
      const resolved = await resolveSource(metricsQuery.source);
      result = { kind: 'metrics', data: await computeSharedMetrics(metricsQuery, resolved, { ...base, resultCacheTtlMs: env.JAEGER_CACHE_TTL_MS }) };
    }
  }
  const data = result.data;
  const coverage =
    result.kind === 'overview'
      ? sumCoverage(
          result.data.services.flatMap((row) => (row.coverage === null ? [] : [row.coverage])),
          'legacy',
        )
      : result.data.coverage;
  return {
    path: request.path,
    query,
    source: { mode: data.source.mode, label: redactUrl(data.source.label) },
    windowStartUs: data.windowStartUs,
    windowEndUs: data.windowEndUs,
    coverage,
    result,
  };
}

/** The fingerprint of a create for its Idempotency-Key: the page and its query as sent (trimmed of `?`). */
export const snapshotRequestHash = (request: SnapshotRequest): string =>
  createHash('sha256')
    .update(JSON.stringify([request.path, request.query]))
    .digest('hex');

export function snapshotKeyReused(): HttpError {
  return new HttpError(
    409,
    'idempotency_key_reused',
    'This Idempotency-Key was already used to share a different view; send a new key for a new snapshot.',
    'Idempotency-Key',
  );
}

export function snapshotNotFound(id: string): HttpError {
  return new HttpError(404, 'snapshot_not_found', `No snapshot has the id ${id.slice(0, 80)}; it may have been deleted.`, 'id');
}

export const snapshotUrl = (id: string): string => `/s/${id}`;

/** One store per process, in the saved views' database file (SPANLENS_DB_PATH), opened on first use. */
export const getSnapshotsStore: () => SnapshotsStore = storePerProcess('__spanlensSnapshots', (path) => new SnapshotsStore(path));
