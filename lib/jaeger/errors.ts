/**
 * Every way talking to Jaeger can fail, as typed errors with a message a person can act on.
 * lib/http maps them to statuses (502 for a bad upstream, 504 for a timeout).
 */
import { redactUrlsInText } from '../http/redact-url.ts';

export type JaegerErrorCode =
  'jaeger_unavailable' | 'jaeger_timeout' | 'jaeger_http_error' | 'jaeger_bad_response' | 'jaeger_response_too_large' | 'jaeger_not_configured';

export abstract class JaegerError extends Error {
  abstract readonly code: JaegerErrorCode;
  /** Whether trying the same GET again may succeed (connection errors, 503). */
  readonly retryable: boolean = false;
  /**
   * Every URL in the message is redacted (userinfo, secret-looking query values): these messages reach
   * the page, the CLI and the log, and JAEGER_URL may carry credentials (design §9).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(redactUrlsInText(message), options);
  }
}

export class JaegerUnavailableError extends JaegerError {
  override readonly name = 'JaegerUnavailableError';
  readonly code = 'jaeger_unavailable';
  override readonly retryable = true;
  constructor(url: string, cause?: unknown) {
    super(`Jaeger is unreachable at ${url}: is it running, and is JAEGER_URL right?`, { cause });
  }
}

export class JaegerTimeoutError extends JaegerError {
  override readonly name = 'JaegerTimeoutError';
  readonly code = 'jaeger_timeout';
  constructor(url: string, timeoutMs: number, cause?: unknown) {
    super(`Jaeger did not answer ${url} within ${timeoutMs} ms; try a shorter window or a lower limit.`, { cause });
  }
}

export class JaegerHttpError extends JaegerError {
  override readonly name = 'JaegerHttpError';
  readonly code = 'jaeger_http_error';
  override readonly retryable: boolean;
  constructor(
    readonly status: number,
    url: string,
    /** Jaeger's own message from its error envelope, when it sent one. */
    readonly upstreamMessage: string | null,
  ) {
    super(`Jaeger answered ${status} for ${url}${upstreamMessage ? `: ${upstreamMessage}` : ''}`);
    this.retryable = status === 503;
  }
}

export class JaegerBadResponseError extends JaegerError {
  override readonly name = 'JaegerBadResponseError';
  readonly code = 'jaeger_bad_response';
  constructor(
    readonly detail: string,
    /** Dotted path of the offending field, e.g. `data[3].spans[0].duration`, when one is known. */
    readonly field: string | null = null,
    cause?: unknown,
  ) {
    super(`Jaeger sent a response Spanlens cannot read: ${detail}${field ? ` (at ${field})` : ''}`, { cause });
  }
}

/**
 * A 2xx answer that is not recognisably Jaeger's: JSON, but not the shape the endpoint answers with
 * (an auth proxy's `{"message":"Unauthorized"}`, another service behind JAEGER_URL). Never read as an
 * empty result; in `auto` mode it also makes the client probe the APIs again.
 */
export class JaegerUnrecognizedResponseError extends JaegerBadResponseError {}

export class JaegerResponseTooLargeError extends JaegerError {
  override readonly name = 'JaegerResponseTooLargeError';
  readonly code = 'jaeger_response_too_large';
  constructor(url: string, limitBytes: number) {
    super(
      `Jaeger's answer to ${url} exceeded ${Math.round(limitBytes / 1_048_576)} MB and was cut off; ` +
        'narrow the window or lower the limit (or raise JAEGER_MAX_RESPONSE_MB).',
    );
  }
}

export class JaegerNotConfiguredError extends JaegerError {
  override readonly name = 'JaegerNotConfiguredError';
  readonly code = 'jaeger_not_configured';
  constructor() {
    super('No Jaeger is configured (JAEGER_URL is unset); Spanlens is serving its demo data set.');
  }
}
