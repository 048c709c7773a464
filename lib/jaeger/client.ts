import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { TtlCache } from './cache.ts';
import { RequestCoalescer, raceSignal } from './coalesce.ts';
import { ConcurrencyLimiter } from './concurrency.ts';
import { buildUrl, dialects, legacyDialect, v3Dialect, type AnswerKind, type JaegerApi, type JaegerDialect, type QueryParams } from './dialects.ts';
import { JaegerBadResponseError, JaegerError, JaegerHttpError, JaegerUnrecognizedResponseError } from './errors.ts';
import { httpGetStream, openJaegerConnection, readText, type JaegerConnectionConfig, type RawResponse, type ResponseHead } from './http-get.ts';
import { normalizeElements, parseRange } from '../pipeline/aggregate-bytes.ts';
import { ResponseShapeError } from '../pipeline/split-response.ts';
import { StreamSplitter, type ElementRun } from '../pipeline/stream-split.ts';
import { traceMatchesSearch } from './search-filter.ts';
import { formatIssuePath, legacyErrorBodySchema, v3ErrorBodySchema } from './schemas.ts';
import type { OperationInfo, TraceSearch } from './source.ts';
import { compareCodeUnits } from './span-rules.ts';
import type { Trace } from './span.ts';

export type { JaegerApi } from './dialects.ts';
export { toRfc3339 } from './dialects.ts';

/**
 * The only code that talks to Jaeger. It speaks both query APIs (jaeger-api.md §2 legacy `/api`, §4
 * `/api/v3`), picks one by probing when asked to (`auto`), and guards every call: bounded concurrency,
 * a per-request deadline, one jittered retry for idempotent GETs that failed on the connection or with
 * 503, coalescing of identical in-flight queries, a short TTL cache, and a response size cap.
 * What differs between the two APIs is in dialects.ts. Configuration arrives as arguments so tests and
 * scripts can point it anywhere.
 */

export interface JaegerClientConfig extends JaegerConnectionConfig {
  readonly api: 'auto' | JaegerApi;
  readonly maxConcurrency: number;
  /** 0 turns the cache off. */
  readonly cacheTtlMs: number;
  /** Mean pause before the single retry; the actual pause is jittered to 50–150 % of it. */
  readonly retryDelayMs?: number | undefined;
}

/** Counts the HTTP requests a caller caused, retries and API probes included (coverage reports it). */
export interface UpstreamMeter {
  requests: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
  readonly meter?: UpstreamMeter | undefined;
}

export interface SearchAnswer {
  /** The traces that match the search, re-checked here (search-filter.ts explains why). */
  readonly traces: readonly Trace[];
  /**
   * Jaeger's answer had `limit` traces, so it was cut and more may match: the only sign Jaeger gives
   * (§2.4). Judged on what Jaeger sent, before the re-check drops anything.
   */
  readonly cutAtLimit: boolean;
  /** How many traces Jaeger sent, before the re-check. */
  readonly receivedTraces: number;
}

/** What a streamed search reports once its body has ended (its traces went to the callback). */
export interface StreamedSearchAnswer {
  readonly cutAtLimit: boolean;
  readonly receivedTraces: number;
}

/**
 * Bytes of Jaeger's answer parsed and normalised at a time while it streams in: big enough that the
 * per-run cost vanishes, small enough that the parsed objects die young and a response is never held
 * whole (aggregate-bytes.ts measured ~4 MB as the sweet spot for whole buffers; 1 MB keeps the
 * batches the caller aggregates small).
 */
export const STREAM_RUN_BYTES = 1024 * 1024;

export interface JaegerClient {
  readonly baseUrl: string;
  /** The API in use: the configured one, or in `auto` the one the probe found (probing if needed). */
  resolveApi(options?: RequestOptions): Promise<JaegerApi>;
  listServices(options?: RequestOptions): Promise<string[]>;
  listOperations(service: string, options?: RequestOptions): Promise<OperationInfo[]>;
  /** One search as Jaeger sees it: newest matches first, cut at `search.limit` (no splitting here). */
  searchTraces(search: TraceSearch, options?: RequestOptions): Promise<SearchAnswer>;
  /**
   * The same search, its answer read as it streams in: every run of ~STREAM_RUN_BYTES is normalised,
   * re-checked and handed to `onTraces` before the next is read, so memory follows the run, not the
   * response. Not cached or coalesced (the traces are the caller's, not kept). On a retry (a body cut
   * off mid-way) the traces of the failed attempt may come again: callers dedupe by trace ID.
   */
  streamSearch(search: TraceSearch, onTraces: (traces: readonly Trace[]) => void, options?: RequestOptions): Promise<StreamedSearchAnswer>;
  getTrace(traceId: string, options?: RequestOptions): Promise<Trace | null>;
  /** HTTP requests sent since the client was made. */
  readonly upstreamRequestCount: number;
  close(): Promise<void>;
}

/**
 * The endpoint is not there: main's catch-all 404 text/plain "404 page not found" (server.go) or
 * v2.13's 200 text/html UI placeholder for unknown paths (jaeger-api.md §7a). Internal: `auto` turns
 * it into a re-probe, an explicit mode into a JaegerHttpError that says which API is missing.
 */
class EndpointMissingError extends Error {
  constructor(readonly raw: RawResponse) {
    super(`no Jaeger endpoint at ${raw.url}`);
  }
}

/**
 * Content types a JSON answer may come with. Jaeger v2.13's api_v3 HTTP gateway writes its JSON without
 * a Content-Type, so Go's sniffing labels it text/plain (measured here on /api/v3/services and
 * /api/v3/traces); a text/plain body is therefore read as JSON too, and still must parse and have the
 * expected shape. HTML never counts: it is the UI catch-all for unknown paths (§7a).
 */
const mayHoldJson = (mediaType: string): boolean => mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === 'text/plain';

function parseShape<Schema extends z.ZodType>(schema: Schema, json: unknown, what: string): z.infer<Schema> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new JaegerBadResponseError(
    `${what} did not have the expected shape${issue ? `: ${issue.message}` : ''}`,
    issue && issue.path.length > 0 ? formatIssuePath(issue.path) : null,
    parsed.error,
  );
}

/** Parses a body as JSON whatever the content type says: Go's http.Error sends JSON as text/plain (§1). */
function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Jaeger's own message from either error envelope (legacy `errors[].msg`, v3 `error.message`). */
function upstreamMessage(text: string, mediaType: string): string | null {
  const json = tryParseJson(text);
  const legacy = legacyErrorBodySchema.safeParse(json);
  if (legacy.success) return legacy.data.errors.map((entry) => entry.msg).join('; ');
  const v3 = v3ErrorBodySchema.safeParse(json);
  if (v3.success) return v3.data.error.message;
  // A short plain-text body (a proxy's, or Go's "404 page not found") is still worth showing; HTML is not.
  const trimmed = text.trim();
  if (trimmed === '' || mediaType === 'text/html' || trimmed.startsWith('<')) return null;
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** True when a non-2xx body is one of Jaeger's JSON error envelopes rather than a missing route. */
function isJaegerErrorEnvelope(text: string): boolean {
  const json = tryParseJson(text);
  return legacyErrorBodySchema.safeParse(json).success || v3ErrorBodySchema.safeParse(json).success;
}

/** A 2xx JSON body, or the typed reason it is not one. */
function successJson(raw: RawResponse, what: string): unknown {
  if (raw.status === 404 && !isJaegerErrorEnvelope(raw.text)) throw new EndpointMissingError(raw);
  if (raw.status < 200 || raw.status >= 300) {
    throw new JaegerHttpError(raw.status, raw.url, upstreamMessage(raw.text, raw.mediaType));
  }
  if (raw.mediaType === 'text/html') throw new EndpointMissingError(raw);
  const json = mayHoldJson(raw.mediaType) ? tryParseJson(raw.text) : undefined;
  if (json === undefined && raw.mediaType !== 'application/json' && !raw.mediaType.endsWith('+json')) {
    throw new JaegerBadResponseError(`${what} came back as ${raw.mediaType || 'no content type'}, not JSON`);
  }
  if (json === undefined) {
    const detail = raw.text.trim() === '' ? 'an empty body' : `malformed or truncated JSON (${raw.text.length} characters)`;
    throw new JaegerBadResponseError(`${what} was ${detail}`);
  }
  return json;
}

/** The path of `url`, without host, query or credentials: enough to say which endpoint answered. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * A 2xx JSON body must prove it is this API's answer of `kind` before anything reads it (dialects.ts
 * `answerProblem`): every field of a v3 answer is optional, so an auth proxy's JSON would otherwise
 * read as "no services" or "0 traces, complete".
 */
function requireJaegerAnswer(dialect: JaegerDialect, kind: AnswerKind, head: ResponseHead, json: unknown): void {
  const problem = dialect.answerProblem(kind, json);
  if (problem === null) return;
  throw new JaegerUnrecognizedResponseError(
    `${pathOf(head.url)} answered ${head.status} but the body is not ${dialect.answerNames[kind]}: ${problem}; ` +
      "is JAEGER_URL Jaeger's query service, or is a proxy or login page answering in its place?",
  );
}

const byNameThenKind = (a: OperationInfo, b: OperationInfo): number => compareCodeUnits(a.name, b.name) || compareCodeUnits(a.spanKind, b.spanKind);

/** Whatever Jaeger sends must end as a typed error, even one that trips an unforeseen path. */
async function guardRead<T>(url: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof JaegerError || error instanceof EndpointMissingError) throw error;
    throw new JaegerBadResponseError(`the answer from ${url} could not be read (${String(error)})`, null, error);
  }
}

/** A bad field found in a run names its index in the run; say where it is in the whole answer. */
function reindex(error: JaegerBadResponseError, firstIndex: number): JaegerBadResponseError {
  if (error.field === null || firstIndex === 0) return error;
  const field = error.field.replace(
    /^(data|result\.resourceSpans)\[(\d+)\]/,
    (_, array: string, index: string) => `${array}[${Number(index) + firstIndex}]`,
  );
  return new JaegerBadResponseError(error.detail, field, error.cause);
}

export function createJaegerClient(config: JaegerClientConfig): JaegerClient {
  const { baseUrl, headers, dispatcher } = openJaegerConnection(config, config.maxConcurrency);
  const retryDelayMs = config.retryDelayMs ?? 200;
  const limiter = new ConcurrencyLimiter(config.maxConcurrency);
  const coalescer = new RequestCoalescer();
  // Sized by body length: at most 64 MiB of Jaeger answers are kept for the TTL, whatever their count.
  const cache = new TtlCache<unknown>(config.cacheTtlMs, 128, Date.now, 64 * 1_048_576);
  let upstreamRequestCount = 0;
  let detectedApi: JaegerApi | null = null;
  let probe: Promise<JaegerApi> | null = null;

  const urlFor = (path: string, params: QueryParams = []): string => buildUrl(baseUrl, path, params);

  /** One GET through the limiter, retried once after a jittered pause if the failure may be transient. */
  function get(url: string, signal: AbortSignal | undefined, meter: UpstreamMeter | undefined): Promise<RawResponse> {
    return getStreaming(url, signal, meter, async (head, body) => ({ ...head, text: await readText(body) }));
  }

  /** `get` with the body handed to `consume` as it streams; a retry runs `consume` again from the start. */
  async function getStreaming<T>(
    url: string,
    signal: AbortSignal | undefined,
    meter: UpstreamMeter | undefined,
    consume: (head: ResponseHead, body: AsyncIterable<Buffer>) => Promise<T>,
  ): Promise<T> {
    const attempt = (): Promise<T> =>
      limiter.run(() => {
        upstreamRequestCount += 1;
        if (meter) meter.requests += 1;
        const httpOptions = { dispatcher, headers, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes, signal };
        return httpGetStream(url, httpOptions, async (head, body) => {
          // 503 is Jaeger (or a proxy in front) saying "not now"; everything else 5xx is an answer.
          if (head.status === 503) {
            const text = await readText(body);
            throw new JaegerHttpError(503, url, upstreamMessage(text, head.mediaType));
          }
          return consume(head, body);
        });
      }, signal);
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof JaegerError) || !error.retryable) throw error;
      await sleep(retryDelayMs * (0.5 + Math.random()), undefined, { signal });
      return attempt();
    }
  }

  /**
   * Reads one search answer as it streams: a 2xx JSON body is split into runs of whole traces
   * (stream-split.ts), each parsed, normalised, re-checked and handed on before the next is read.
   * Anything else (an error status, HTML, a body that is not a trace array) is read whole and judged
   * exactly as before streaming, so the same typed errors come out; a body cut short or malformed
   * anywhere is an error, never a shorter answer.
   */
  async function readSearch(
    head: ResponseHead,
    body: AsyncIterable<Buffer>,
    search: TraceSearch,
    dialect: JaegerDialect,
    onTraces: (traces: readonly Trace[]) => void,
  ): Promise<StreamedSearchAnswer> {
    let received = 0;
    const deliver = (traces: readonly Trace[]): void => {
      received += traces.length;
      const matching = traces.filter((trace) => traceMatchesSearch(trace, search));
      if (matching.length > 0) onTraces(matching);
    };
    const answer = (): StreamedSearchAnswer => ({ cutAtLimit: received >= search.limit, receivedTraces: received });
    const whole = (text: string): StreamedSearchAnswer => {
      const raw: RawResponse = { ...head, text };
      // v3 says "no match" with 404 in its JSON envelope (dialects.ts); legacy with 200 and no data.
      if (raw.status === dialect.searchNoMatchStatus && v3ErrorBodySchema.safeParse(tryParseJson(raw.text)).success) return answer();
      const json = successJson(raw, 'The trace search');
      requireJaegerAnswer(dialect, 'search', raw, json);
      deliver(dialect.normalizeTraces(json));
      return answer();
    };
    const ok = head.status >= 200 && head.status < 300 && head.mediaType !== 'text/html' && mayHoldJson(head.mediaType);
    if (!ok) return whole(await readText(body));

    const splitter = new StreamSplitter(dialect.api, STREAM_RUN_BYTES);
    const malformed = async (): Promise<never> => {
      // Read on (the cap still applies) only to say how long the broken answer was.
      let bytes = splitter.bytesReceived;
      for await (const chunk of body) bytes += chunk.length;
      throw new JaegerBadResponseError(`The trace search was malformed or truncated JSON (${bytes} characters)`);
    };
    // v3 may spread a trace over adjacent resourceSpans only; one seen in an earlier run cannot be merged.
    const v3Ids = dialect.api === 'v3' ? new Set<string>() : null;
    const readRun = (run: ElementRun): Trace[] | null => {
      let elements: unknown;
      try {
        elements = parseRange(run.bytes, { start: 0, end: run.bytes.length });
      } catch {
        return null;
      }
      let traces: Trace[];
      try {
        traces = normalizeElements(dialect.api, elements);
      } catch (error) {
        throw error instanceof JaegerBadResponseError ? reindex(error, run.firstIndex) : error;
      }
      if (v3Ids) {
        for (const trace of traces) {
          if (v3Ids.has(trace.traceId)) {
            throw new JaegerBadResponseError(
              `The trace search spread trace ${trace.traceId} over resourceSpans that are not adjacent, which cannot be read as it streams`,
            );
          }
          v3Ids.add(trace.traceId);
        }
      }
      return traces;
    };
    for await (const chunk of body) {
      for (const run of splitter.push(chunk)) {
        const traces = readRun(run);
        if (traces === null) return malformed();
        deliver(traces);
      }
    }
    try {
      for (const run of splitter.end()) {
        const traces = readRun(run);
        if (traces === null) return malformed();
        deliver(traces);
      }
    } catch (error) {
      if (error instanceof ResponseShapeError) return malformed();
      throw error;
    }
    if (splitter.buffering) return whole(splitter.fallbackBody().toString('utf8'));
    // The envelope around the array must be whole and of the expected shape too (a cut-off tail is
    // truncation; legacy's `errors` comes after `data`, so only the end shows the envelope is Jaeger's).
    const envelope = tryParseJson(splitter.envelope().toString('utf8'));
    if (envelope === undefined) return malformed();
    requireJaegerAnswer(dialect, 'search', head, envelope);
    dialect.normalizeTraces(envelope);
    return answer();
  }

  /** Cached, coalesced GET + interpretation. The value cached is the interpreted one. */
  function cachedCall<T>(key: string, url: string, interpret: (raw: RawResponse) => T, options: RequestOptions): Promise<T> {
    const hit = cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit as T);
    return coalescer.run(
      key,
      async (sharedSignal) => {
        const raw = await get(url, sharedSignal, options.meter);
        let value: T;
        try {
          value = interpret(raw);
        } catch (error) {
          if (error instanceof JaegerError || error instanceof EndpointMissingError) throw error;
          // Whatever Jaeger sends must end as a typed error, even one that trips an unforeseen path.
          throw new JaegerBadResponseError(`the answer from ${url} could not be read (${String(error)})`, null, error);
        }
        cache.set(key, value, raw.text.length);
        return value;
      },
      options.signal,
    );
  }

  async function probeApis(options: RequestOptions): Promise<JaegerApi> {
    // Legacy first: every Jaeger up to v2.20 serves it, and on those the v3 HTTP gateway is the weaker
    // one (v2.13 drops query.attributes and labels its JSON text/plain). v3 is the fallback, and the only
    // API after jaeger#9260. An endpoint counts only as a 2xx JSON answer of the expected shape, never
    // by status alone (§0, §7a), and "expected shape" includes the envelope (dialects.ts answerProblem):
    // a foreign JSON body never picks an API. A 5xx (or an auth refusal) is an answer, not a missing
    // API: it is reported with Jaeger's (or the proxy's) own message rather than as a wrong JAEGER_URL,
    // and nothing is remembered.
    const attempts: string[] = [];
    for (const dialect of [legacyDialect, v3Dialect]) {
      const raw = await get(urlFor(dialect.servicesPath), options.signal, options.meter);
      if (raw.status >= 500 || raw.status === 401 || raw.status === 403) {
        throw new JaegerHttpError(raw.status, raw.url, upstreamMessage(raw.text, raw.mediaType));
      }
      const json = raw.status >= 200 && raw.status < 300 && mayHoldJson(raw.mediaType) ? tryParseJson(raw.text) : undefined;
      const answered = `${dialect.servicesPath} answered ${raw.status} ${raw.mediaType || 'without a content type'}`;
      if (json === undefined) {
        attempts.push(answered);
        continue;
      }
      const problem =
        dialect.answerProblem('services', json) ?? (dialect.servicesSchema.safeParse(json).success ? null : 'its services are not a list of names');
      if (problem === null) return dialect.api;
      attempts.push(`${answered}, but not with ${dialect.answerNames.services} (${problem})`);
    }
    throw new JaegerUnrecognizedResponseError(
      `${baseUrl} serves neither Jaeger query API (${attempts.join('; ')}); is JAEGER_URL the query service, with its base path?`,
    );
  }

  function resolveApi(options: RequestOptions = {}): Promise<JaegerApi> {
    if (config.api !== 'auto') return Promise.resolve(config.api);
    if (detectedApi) return Promise.resolve(detectedApi);
    if (!probe) {
      // Probes are shared by everyone who asks while one runs, like any other coalesced call.
      probe = probeApis({ meter: options.meter }).then(
        (api) => {
          detectedApi = api;
          probe = null;
          return api;
        },
        (error: unknown) => {
          probe = null;
          throw error;
        },
      );
    }
    return options.signal ? raceSignal(probe, options.signal) : probe;
  }

  /**
   * Runs an API-specific call in the dialect of the API in use. In `auto`, a missing endpoint on the
   * remembered API means Jaeger was replaced under us (e.g. upgraded past jaeger#9260), and an answer
   * that is not that API's shape means the choice no longer holds (or never did): forget it, probe
   * again, and try once more if the probe now picks the other API. A probe that fails after a
   * wrong-shaped answer leaves nothing remembered (the next call probes again) and that answer's own
   * error is reported, being the more specific one.
   */
  async function withDialect<T>(options: RequestOptions, call: (dialect: JaegerDialect) => Promise<T>): Promise<T> {
    const dialect = dialects[await resolveApi(options)];
    try {
      return await call(dialect);
    } catch (error) {
      const missing = error instanceof EndpointMissingError;
      if (!missing && !(error instanceof JaegerUnrecognizedResponseError)) throw error;
      if (config.api === 'auto' && detectedApi === dialect.api) {
        detectedApi = null;
        let again: JaegerDialect;
        try {
          again = dialects[await resolveApi(options)];
        } catch (probeError) {
          if (missing || options.signal?.aborted) throw probeError;
          throw error;
        }
        if (again !== dialect) {
          try {
            return await call(again);
          } catch (retryError) {
            if (retryError instanceof EndpointMissingError) throw missingEndpoint(retryError.raw, again);
            throw retryError;
          }
        }
      }
      throw missing ? missingEndpoint(error.raw, dialect) : error;
    }
  }

  function missingEndpoint(raw: RawResponse, dialect: JaegerDialect): JaegerError {
    const hint = dialect.missingHint;
    if (raw.status === 404) return new JaegerHttpError(404, raw.url, `${upstreamMessage(raw.text, raw.mediaType) ?? 'not found'}: ${hint}`);
    // v2.13 answers unknown paths with its UI page (200 text/html), and so does a URL missing its base path.
    return new JaegerBadResponseError(
      `${raw.url} answered ${raw.status} ${raw.mediaType} instead of JSON: ${hint}, and check that JAEGER_URL includes Jaeger's base path`,
    );
  }

  return {
    baseUrl,
    resolveApi,
    get upstreamRequestCount() {
      return upstreamRequestCount;
    },

    listServices(options = {}) {
      return withDialect(options, async (dialect) => {
        const url = urlFor(dialect.servicesPath);
        const services = await cachedCall(
          `${dialect.api} ${url}`,
          url,
          (raw) => {
            const json = successJson(raw, 'The service list');
            requireJaegerAnswer(dialect, 'services', raw, json);
            return [...new Set<string>(parseShape(dialect.servicesSchema, json, 'The service list'))].sort();
          },
          options,
        );
        return [...services];
      });
    },

    listOperations(service, options = {}) {
      return withDialect(options, async (dialect) => {
        const url = urlFor(dialect.operationsPath, dialect.operationsParams(service));
        const operations = await cachedCall(
          `${dialect.api} ${url}`,
          url,
          (raw) => {
            const json = successJson(raw, 'The operation list');
            requireJaegerAnswer(dialect, 'operations', raw, json);
            return parseShape(dialect.operationsSchema, json, 'The operation list')
              .map(({ name, spanKind }): OperationInfo => ({ name, spanKind }))
              .sort(byNameThenKind);
          },
          options,
        );
        return [...operations];
      });
    },

    searchTraces(search, options = {}) {
      return withDialect(options, (dialect) => {
        const url = urlFor(dialect.searchPath, dialect.searchParams(search));
        const key = `${dialect.api} ${url}`;
        const hit = cache.get(key);
        if (hit !== undefined) return Promise.resolve(hit as SearchAnswer);
        return coalescer.run(
          key,
          async (sharedSignal) => {
            let bytes = 0;
            const value = await getStreaming(url, sharedSignal, options.meter, async (head, body) => {
              // Collected per attempt, so a retried answer is not counted twice.
              const traces: Trace[] = [];
              const counted = (async function* () {
                for await (const chunk of body) {
                  bytes += chunk.length;
                  yield chunk;
                }
              })();
              const streamed = await guardRead(url, () => readSearch(head, counted, search, dialect, (batch) => traces.push(...batch)));
              return { traces, ...streamed };
            });
            cache.set(key, value, bytes);
            return value;
          },
          options.signal,
        );
      });
    },

    streamSearch(search, onTraces, options = {}) {
      return withDialect(options, (dialect) => {
        const url = urlFor(dialect.searchPath, dialect.searchParams(search));
        return getStreaming(url, options.signal, options.meter, (head, body) =>
          guardRead(url, () => readSearch(head, body, search, dialect, onTraces)),
        );
      });
    },

    getTrace(traceId, options = {}) {
      return withDialect(options, (dialect) => {
        const url = urlFor(dialect.tracePath(traceId));
        return cachedCall(
          `${dialect.api} ${url}`,
          url,
          (raw): Trace | null => {
            // Both APIs say "not found" with 404 and their JSON envelope (§2.5, §4).
            if (raw.status === 404 && isJaegerErrorEnvelope(raw.text)) return null;
            const json = successJson(raw, 'The trace');
            requireJaegerAnswer(dialect, 'trace', raw, json);
            return dialect.normalizeTraces(json)[0] ?? null;
          },
          options,
        );
      });
    },

    close() {
      cache.clear();
      return dispatcher.close();
    },
  };
}
