/**
 * The JSON of /api/snapshots (frozen results: lib/server/snapshots.ts), shared by the routes, the
 * `/s/[id]` page and the browser client. Pure types, beside api-types.ts.
 */
import type { Coverage, DependenciesResponse, MetricsResponse, OverviewResponse, SourceInfo } from './api-types.ts';

/** The answer of the API the snapshot's page reads, as it was when the snapshot was taken. */
export type SnapshotResult =
  /** `/` without a service: the services home (`/api/overview`). */
  | { readonly kind: 'overview'; readonly data: OverviewResponse }
  /** `/?service=`, `/operation`, `/errors`: `/api/metrics` with the metric sets that page shows. */
  | { readonly kind: 'metrics'; readonly data: MetricsResponse }
  /** `/map`: `/api/dependencies`. */
  | { readonly kind: 'dependencies'; readonly data: DependenciesResponse };

export type SnapshotKind = SnapshotResult['kind'];

/** A snapshot as listed: everything but the stored result. */
export interface SnapshotInfo {
  readonly id: string;
  /** The app page it was taken on (lib/http/app-pages.ts); `path?query` is the live view. */
  readonly path: string;
  /** The page's query, canonical (no leading `?`), window as the page had it. */
  readonly query: string;
  readonly kind: SnapshotKind;
  /** When the numbers were computed (ISO 8601). */
  readonly createdAt: string;
  /** Where they were computed from: the Jaeger URL redacted (lib/http/redact-url.ts), the demo or an upload. */
  readonly source: SourceInfo;
  /** The absolute window the numbers cover. */
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** Bytes of the stored result (JSON). */
  readonly bytes: number;
}

/** `GET /api/snapshots/{id}`: the snapshot with its coverage and the stored result. */
export interface Snapshot extends SnapshotInfo {
  /** The result's search coverage (for the services home: summed over the services that answered). */
  readonly coverage: Coverage;
  readonly result: SnapshotResult;
}

export interface SnapshotsResponse {
  readonly snapshots: readonly SnapshotInfo[];
}

/** `POST /api/snapshots` → 201 (200 for a replayed Idempotency-Key). */
export interface SnapshotCreated {
  readonly id: string;
  /** The frozen page, `/s/{id}`. */
  readonly url: string;
}
