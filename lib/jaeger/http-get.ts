import 'server-only';
import { Agent, request, type Dispatcher } from 'undici';
import { JaegerBadResponseError, JaegerResponseTooLargeError, JaegerTimeoutError, JaegerUnavailableError } from './errors.ts';
import { InflightBudgetError, processInflightBudget, type InflightBudget, type InflightLease } from './inflight-budget.ts';

/** What one GET brought back, before anyone interprets it. */
export interface RawResponse {
  readonly url: string;
  readonly status: number;
  /** Lower-cased media type without parameters, '' when absent. */
  readonly mediaType: string;
  readonly text: string;
}

export interface HttpGetOptions {
  readonly dispatcher: Dispatcher;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal | undefined;
  /** The budget of bytes in flight this response reserves from; the process-wide one unless a test gives its own. */
  readonly inflightBudget?: InflightBudget | undefined;
}

/** Where and how to reach one Jaeger query service: the same for the trace client and the SPM client. */
export interface JaegerConnectionConfig {
  /** Query service URL, with Jaeger's base_path if one is set (e.g. http://host:16686/jaeger). */
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

/**
 * The base URL without trailing slashes, the headers with the bearer token, and the dispatcher: undici's
 * own timeouts back up the AbortSignal deadline of httpGetStream; keep-alive connections are reused
 * across requests, at most `connections` of them per origin.
 */
export function openJaegerConnection(
  config: JaegerConnectionConfig,
  connections: number,
): { readonly baseUrl: string; readonly headers: Readonly<Record<string, string>>; readonly dispatcher: Agent } {
  const headers: Record<string, string> = { ...config.headers };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  const dispatcher = new Agent({
    connect: { timeout: config.timeoutMs },
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
    connections,
  });
  return { baseUrl: config.baseUrl.replace(/\/+$/, ''), headers, dispatcher };
}

/**
 * The connection closed in the middle of a body. Jaeger sent less than it announced (or the chunked
 * stream never ended), so the bytes are unusable; a GET is idempotent, so it is worth one retry.
 */
export class JaegerTruncatedResponseError extends JaegerBadResponseError {
  override readonly retryable = true;
}

const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCode((error as { cause?: unknown }).cause);
};

/** Status and media type of an answer whose body has not been read yet. */
export interface ResponseHead {
  readonly url: string;
  readonly status: number;
  /** Lower-cased media type without parameters, '' when absent. */
  readonly mediaType: string;
}

/** The budget account of each body httpGetStream hands out, for readers that keep every chunk. */
const leases = new WeakMap<object, InflightLease>();

/**
 * Keeps every chunk of `body` reserved in the response budget until the response ends, for a reader
 * that holds the whole body rather than consuming it chunk by chunk (readText).
 */
function holdWhole(body: AsyncIterable<Buffer>): void {
  const lease = leases.get(body);
  if (lease) lease.holdsWhole = true;
}

/** Reads a (capped) body to its end as UTF-8 text; its bytes stay reserved in the budget until the response ends. */
export async function readText(body: AsyncIterable<Buffer>): Promise<string> {
  holdWhole(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One GET against Jaeger with a hard deadline and a size cap counted while the body streams in.
 * Jaeger's query server sets no timeouts of its own (jaeger-api.md §5) and builds answers in memory,
 * so both limits are ours to enforce. The body is handed to `consume` as it arrives, the cap and the
 * deadline enforced while it flows; every failure (refused, timeout, connection closed mid-body, cap
 * exceeded) leaves as a typed JaegerError, and only the caller's own abort escapes as its abort reason.
 * Its bytes also count against the process-wide budget of bytes in flight (inflight-budget.ts): reading
 * waits while that is full, and fails with InflightBudgetError when the wait outlasts `timeoutMs`.
 * What `consume` throws itself leaves unchanged; the body is released however `consume` ends.
 */
export async function httpGetStream<T>(
  url: string,
  options: HttpGetOptions,
  consume: (head: ResponseHead, body: AsyncIterable<Buffer>) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let receivedBytes = 0;
  let headersArrived = false;

  const classify = (error: unknown): unknown => {
    if (options.signal?.aborted) return options.signal.reason;
    if (error instanceof JaegerResponseTooLargeError || error instanceof InflightBudgetError) return error;
    const code = errorCode(error);
    if (deadline.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new JaegerTimeoutError(url, options.timeoutMs, error);
    }
    if (headersArrived) {
      return new JaegerTruncatedResponseError(`the connection closed after ${receivedBytes} bytes, before the response was complete`, null, error);
    }
    // Before any header arrived, whatever went wrong (refused, reset, DNS, TLS, connect timeout) means
    // we could not reach a working Jaeger; the cause keeps the exact code for the server log.
    return new JaegerUnavailableError(url, error);
  };

  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...options.headers },
      signal,
      dispatcher: options.dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    throw classify(error);
  }
  headersArrived = true;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
    response.body.destroy();
    throw new JaegerResponseTooLargeError(url, options.maxResponseBytes);
  }
  const contentType = response.headers['content-type'];
  const mediaType = (Array.isArray(contentType) ? contentType[0] : contentType) ?? '';
  const head: ResponseHead = { url, status: response.statusCode, mediaType: mediaType.split(';')[0]?.trim().toLowerCase() ?? '' };
  const source = response.body;
  // Every chunk is reserved in the process-wide budget before it goes on (waiting while the budget is
  // full: the socket is not drained meanwhile, so Jaeger is slowed, not us flooded), and released once
  // the reader asks for the next one, or, for a reader keeping the whole body, when the response ends.
  const lease = (options.inflightBudget ?? processInflightBudget()).open(url);
  const body = (async function* capped(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) {
        const buffer = chunk as Buffer;
        receivedBytes += buffer.byteLength;
        // Stop reading at once: a runaway answer must not be read whole before we refuse it.
        if (receivedBytes > options.maxResponseBytes) throw new JaegerResponseTooLargeError(url, options.maxResponseBytes);
        await lease.reserve(buffer.byteLength, signal, options.timeoutMs);
        yield buffer;
        if (!lease.holdsWhole) lease.release(buffer.byteLength);
      }
    } catch (error) {
      throw classify(error);
    }
  })();
  leases.set(body, lease);
  try {
    return await consume(head, body);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  } finally {
    lease.close();
    if (!source.destroyed) source.destroy();
  }
}
