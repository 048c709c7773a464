import 'server-only';
import type { SpmRow } from '../metrics/spm-comparison.ts';
import { buildUrl, type QueryParams } from './dialects.ts';
import { JaegerBadResponseError, JaegerHttpError } from './errors.ts';
import { httpGetStream, openJaegerConnection, readText, type JaegerConnectionConfig, type RawResponse } from './http-get.ts';
import { legacyErrorBodySchema } from './schemas.ts';
import { escapeServiceRegex, mergeSpmAnswers, readSpmSeries, SPM_SPAN_KINDS, type SpmRatePer } from './spm-answer.ts';

/**
 * Jaeger's SPM endpoints (the Monitor tab's metrics, shared/docs/jaeger-api.md §7b) through the same
 * guarded GET as every other Jaeger call (http-get.ts: deadline, size cap, bytes-in-flight budget,
 * redacted errors). Jaeger answers them from its metrics backend (Prometheus), not from traces.
 */

export interface SpmClientConfig extends JaegerConnectionConfig {
  /** How long a minstep answer (backend configured or not) is trusted; default 60 s. */
  readonly availabilityTtlMs?: number | undefined;
}

export type SpmAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

export interface SpmRequest {
  /** One or more services (Jaeger ORs them). */
  readonly services: readonly string[];
  readonly groupByOperation: boolean;
  /** The instant the numbers are for, ms since the epoch. */
  readonly endMs: number;
  readonly ratePer: SpmRatePer;
}

export interface SpmClient {
  /** `GET /api/metrics/minstep`: 200 = a metrics backend is configured (it does not prove it works), 501 = none. */
  availability(signal?: AbortSignal): Promise<SpmAvailability>;
  /** Calls, errors and p50/p95 latencies, all span kinds together, at `endMs` over the trailing `ratePer`. */
  fetchRows(request: SpmRequest, signal?: AbortSignal): Promise<SpmRow[]>;
  close(): Promise<void>;
}

const DEFAULT_AVAILABILITY_TTL_MS = 60_000;
/** One point is enough: the newest, at endMs; a lookback of one step gives Prometheus one range step. */
const POINT_STEP_MS = 60_000;

function upstreamMessage(text: string): string | null {
  try {
    const envelope = legacyErrorBodySchema.safeParse(JSON.parse(text));
    if (envelope.success) return envelope.data.errors.map((entry) => entry.msg).join('; ');
  } catch {
    // not JSON: fall through to the text itself
  }
  const trimmed = text.trim();
  return trimmed === '' || trimmed.startsWith('<') ? null : trimmed.slice(0, 300);
}

/** A JSON body whatever the content type says: Jaeger sends these answers as text/plain (§7b). */
function answerJson(raw: RawResponse, what: string): unknown {
  if (raw.status < 200 || raw.status >= 300) throw new JaegerHttpError(raw.status, raw.url, upstreamMessage(raw.text));
  if (raw.mediaType === 'text/html') {
    throw new JaegerBadResponseError(
      `${what} came back as an HTML page: this Jaeger does not serve /api/metrics (older than 1.x SPM, or a proxy in front)`,
    );
  }
  try {
    return JSON.parse(raw.text) as unknown;
  } catch {
    throw new JaegerBadResponseError(`${what} was not JSON (${raw.text.length} characters)`);
  }
}

export function createSpmClient(config: SpmClientConfig): SpmClient {
  const { baseUrl, headers, dispatcher } = openJaegerConnection(config, 4);
  const ttlMs = config.availabilityTtlMs ?? DEFAULT_AVAILABILITY_TTL_MS;
  let known: { readonly answer: SpmAvailability; readonly atMs: number } | null = null;

  const get = (path: string, params: QueryParams, signal: AbortSignal | undefined): Promise<RawResponse> =>
    httpGetStream(
      buildUrl(baseUrl, path, params),
      { dispatcher, headers, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes, signal },
      async (head, body) => ({ ...head, text: await readText(body) }),
    );

  async function probe(signal: AbortSignal | undefined): Promise<SpmAvailability> {
    const raw = await get('/api/metrics/minstep', [], signal);
    if (raw.status === 501) {
      return {
        available: false,
        reason: `Jaeger has no metrics backend (${upstreamMessage(raw.text) ?? 'minstep answered 501'}), so its Monitor tab is off too.`,
      };
    }
    // v2.13 answers unknown paths with its UI page; a proxy or an older Jaeger with 404.
    if (raw.status === 404 || raw.mediaType === 'text/html') {
      return { available: false, reason: 'This Jaeger does not serve /api/metrics (no SPM endpoints).' };
    }
    answerJson(raw, 'Jaeger’s /api/metrics/minstep');
    return { available: true };
  }

  async function series(path: string, request: SpmRequest, extra: QueryParams, signal: AbortSignal | undefined) {
    const params: QueryParams = [
      ...request.services.map((service): [string, string] => ['service', escapeServiceRegex(service)]),
      ...SPM_SPAN_KINDS.map((kind): [string, string] => ['spanKind', kind]),
      ['groupByOperation', String(request.groupByOperation)],
      ['endTs', String(Math.floor(request.endMs))],
      ['lookback', String(POINT_STEP_MS)],
      ['step', String(POINT_STEP_MS)],
      ['ratePer', String(request.ratePer.ms)],
      ...extra,
    ];
    const what = `Jaeger’s ${path}`;
    return readSpmSeries(answerJson(await get(path, params, signal), what), what);
  }

  return {
    async availability(signal) {
      if (known !== null && Date.now() - known.atMs < ttlMs) return known.answer;
      const answer = await probe(signal);
      known = { answer, atMs: Date.now() };
      return answer;
    },
    async fetchRows(request, signal) {
      const [calls, errors, p50, p95] = await Promise.all([
        series('/api/metrics/calls', request, [], signal),
        series('/api/metrics/errors', request, [], signal),
        series('/api/metrics/latencies', request, [['quantile', '0.5']], signal),
        series('/api/metrics/latencies', request, [['quantile', '0.95']], signal),
      ]);
      return mergeSpmAnswers({ calls, errors, p50, p95 });
    },
    close: () => dispatcher.close(),
  };
}
