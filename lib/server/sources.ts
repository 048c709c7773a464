import 'server-only';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { getEnv, jaegerQueryDeadlineMs, type Env } from '../env.ts';
import type { SourceInfo } from '../http/api-types.ts';
import { HttpError } from '../http/http-error.ts';
import { redactUrl, withoutUserinfo } from '../http/redact-url.ts';
import { createFileSource, loadTraceFile, TraceFileError } from '../jaeger/file-source.ts';
import { createJaegerSource, type JaegerSource, type JaegerSourceConfig } from '../jaeger/jaeger-source.ts';
import type { TraceSource } from '../jaeger/source.ts';
import { createShiftedSource, latestSpanEndUs } from './shifted-source.ts';
import { UploadStore } from './upload-store.ts';

/** The source a request reads, what to call it, and where its traces can be opened in Jaeger. */
export interface ResolvedSource {
  readonly source: TraceSource;
  readonly info: SourceInfo;
  /** Jaeger UI base for deep links; null when no Jaeger holds these traces (demo). */
  readonly jaegerUiUrl: string | null;
}

export const DEMO_DATA_FILE = 'lib/demo/demo-traces.json.gz';
export const DEMO_META_FILE = 'lib/demo/demo-meta.json';

interface ServerState {
  jaeger?: { readonly url: string; readonly source: JaegerSource };
  demo?: Promise<TraceSource>;
  uploads?: UploadStore;
}

// On globalThis: `next dev` re-evaluates modules on change, and uploads must not vanish with them.
const state: ServerState = ((globalThis as { __spanlensServer?: ServerState }).__spanlensServer ??= {});

export function getUploadStore(): UploadStore {
  return (state.uploads ??= new UploadStore({ maxUploads: 8, maxSpans: 2_000_000 }));
}

/** The Jaeger client settings from the environment, or null when no Jaeger is configured. */
export function jaegerConfigFor(env: Env): JaegerSourceConfig | null {
  if (env.JAEGER_URL === undefined) return null;
  return {
    baseUrl: env.JAEGER_URL,
    api: env.JAEGER_API,
    token: env.JAEGER_TOKEN,
    headers: env.JAEGER_HEADERS,
    timeoutMs: env.JAEGER_TIMEOUT_MS,
    maxConcurrency: env.JAEGER_MAX_CONCURRENCY,
    maxResponseBytes: env.JAEGER_MAX_RESPONSE_MB * 1_048_576,
    cacheTtlMs: env.JAEGER_CACHE_TTL_MS,
    queryDeadlineMs: jaegerQueryDeadlineMs(env),
    maxInflightBytes: env.JAEGER_MAX_INFLIGHT_MB * 1_048_576,
  };
}

export function jaegerSourceFor(env: Env): JaegerSource | null {
  const config = jaegerConfigFor(env);
  if (config === null) return null;
  if (state.jaeger?.url !== config.baseUrl) state.jaeger = { url: config.baseUrl, source: createJaegerSource(config) };
  return state.jaeger.source;
}

/**
 * The demo data set, moved in time on every request so it always ends just before now. The bundled
 * file is moved by (now − recordedAtMs) as lib/demo/demo-meta.json prescribes; a SPANLENS_DATA_FILE
 * has no such record, so its newest span end is taken as the moment it was recorded.
 */
function demoSource(env: Env): Promise<TraceSource> {
  state.demo ??= (async () => {
    const path = resolve(process.cwd(), env.SPANLENS_DATA_FILE ?? DEMO_DATA_FILE);
    const { traces } = await loadTraceFile(path);
    const recordedAtUs = env.SPANLENS_DATA_FILE === undefined ? await demoRecordedAtUs() : (latestSpanEndUs(traces) ?? 0);
    // Moved by whole 5 s steps, the alignment of every relative window up to 3h (lib/query/window.ts), one
    // step back so a request whose window was resolved just before a step boundary still holds the newest
    // spans: the default views hold the whole recording (59.4 min), never cut at either end.
    return createShiftedSource(createFileSource(traces), () => (Math.floor(Date.now() / 5_000) - 1) * 5_000_000 - recordedAtUs);
  })().catch((error: unknown) => {
    state.demo = undefined;
    if (error instanceof TraceFileError) {
      throw new HttpError(
        503,
        'demo_data_unavailable',
        `${error.message}. Set JAEGER_URL to read a Jaeger, or SPANLENS_DATA_FILE to a Jaeger JSON export.`,
      );
    }
    throw error;
  });
  return state.demo;
}

async function demoRecordedAtUs(): Promise<number> {
  let json: unknown = null;
  try {
    json = JSON.parse(await readFile(resolve(process.cwd(), DEMO_META_FILE), 'utf8'));
  } catch {
    // reported below as unusable
  }
  const meta = z.object({ recordedAtMs: z.number().int().positive() }).safeParse(json);
  if (!meta.success) {
    throw new HttpError(
      503,
      'demo_data_unavailable',
      `${DEMO_META_FILE} is missing or has no recordedAtMs, so the demo data set cannot be placed in time.`,
    );
  }
  return meta.data.recordedAtMs * 1_000;
}

/**
 * `source` is the request's `source=` param: `upload:ID`, or unset for the configured source —
 * JAEGER_URL when set (live), else the demo data set. The Jaeger URL itself only ever comes from
 * the server's configuration (design §7); the label shows it redacted (no userinfo, no secret query values).
 */
export async function resolveSource(source: string | undefined, env: Env = getEnv()): Promise<ResolvedSource> {
  // Links open in the browser, which asks for credentials itself: JAEGER_URL's userinfo never reaches it.
  const configuredUiUrl = env.JAEGER_UI_URL ?? env.JAEGER_URL;
  const uiUrl = configuredUiUrl === undefined ? null : withoutUserinfo(configuredUiUrl);
  if (source !== undefined) {
    const id = source.replace(/^upload:/, '');
    const upload = getUploadStore().get(id);
    if (!upload) {
      throw new HttpError(
        404,
        'upload_not_found',
        `No upload has the id ${id}; uploads live in server memory and are lost on restart, so upload the file again.`,
        'source',
      );
    }
    // An export usually comes from the user's own Jaeger, so its IDs open there when one is configured.
    return { source: upload.source, info: { mode: 'upload', label: upload.info.fileName }, jaegerUiUrl: uiUrl };
  }
  const jaeger = jaegerSourceFor(env);
  if (jaeger) return { source: jaeger, info: { mode: 'live', label: redactUrl(env.JAEGER_URL ?? '') }, jaegerUiUrl: uiUrl };
  return { source: await demoSource(env), info: { mode: 'demo', label: 'Demo data set' }, jaegerUiUrl: null };
}
