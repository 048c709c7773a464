import { afterEach, describe, expect, it, vi } from 'vitest';
import { logServerError, redactForLog, redactUrl, redactUrlsInText, withoutUserinfo } from './redact-url.ts';
import {
  JaegerBadResponseError,
  JaegerHttpError,
  JaegerResponseTooLargeError,
  JaegerTimeoutError,
  JaegerUnavailableError,
} from '../jaeger/errors.ts';

describe('redactUrl', () => {
  it.each([
    ['http://user:pass@jaeger:16686', 'http://***@jaeger:16686'],
    ['https://user@jaeger/base', 'https://***@jaeger/base'],
    // WHATWG takes the last @ before the path: an unencoded @ in the password must not leave a tail.
    ['http://user:p@ss@jaeger:16686/api', 'http://***@jaeger:16686/api'],
    ['http://jaeger:16686/api/traces?service=a&token=abc&limit=5', 'http://jaeger:16686/api/traces?service=a&token=***&limit=5'],
    [
      'http://j/x?api_key=1&X-Amz-Signature=2&password=3&client_secret=4&auth=5&sessionId=6',
      'http://j/x?api_key=***&X-Amz-Signature=***&password=***&client_secret=***&auth=***&sessionId=***',
    ],
    ['http://j/x?access%5Ftoken=1#frag?token=2', 'http://j/x?access%5Ftoken=***#frag?token=2'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('leaves a URL without secrets exactly as written (no trailing slash, no re-encoding)', () => {
    for (const url of ['http://localhost:16686', 'http://j/api/traces?service=a%20b&tags=%7B%7D&lookback=1h', 'http://[::1]:16686/jaeger']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('withoutUserinfo', () => {
  it('drops the credentials from a link a browser will open', () => {
    expect(withoutUserinfo('http://user:pass@jaeger:16686/trace/abc')).toBe('http://jaeger:16686/trace/abc');
    expect(withoutUserinfo('http://jaeger:16686')).toBe('http://jaeger:16686');
  });
});

describe('redactUrlsInText', () => {
  it('redacts every URL in a message and keeps the words around them', () => {
    expect(redactUrlsInText('Jaeger is unreachable at http://u:p@j:16686/api/services: is it running?')).toBe(
      'Jaeger is unreachable at http://***@j:16686/api/services: is it running?',
    );
    expect(redactUrlsInText('tried "http://a:b@x/?token=t" and http://c:d@y')).toBe('tried "http://***@x/?token=***" and http://***@y');
    expect(redactUrlsInText('at http://j/?api_key=k/api/services: is it running? (http://j/?token=t).')).toBe(
      'at http://j/?api_key=***: is it running? (http://j/?token=***).',
    );
  });
});

describe('redactForLog and logServerError', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs an error as its redacted stack, causes included', () => {
    const error = new Error('fetch http://user:pass@j/api failed', { cause: new Error('connect http://user:pass@j refused') });
    const logged = String(redactForLog(error));
    expect(logged).not.toContain('pass');
    expect(logged).toContain('http://***@j/api');
    expect(logged).toContain('[cause] Error: connect http://***@j refused');
  });

  it('never lets the secret reach console.error', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    logServerError('Spanlens: calling http://user:hunter2@j?token=t', new TypeError('bad http://user:hunter2@j'), 42);
    expect(JSON.stringify(spy.mock.calls)).not.toMatch(/hunter2|token=t\b/);
    expect(spy.mock.calls[0]?.[2]).toBe(42);
  });
});

describe('Jaeger error messages', () => {
  it('never carry the userinfo or a secret query value of the URL they name', () => {
    const messages = [
      new JaegerUnavailableError('http://user:pass@jaeger:16686/api/services').message,
      new JaegerTimeoutError('http://user:pass@jaeger:16686/api/traces?token=pass', 15_000).message,
      new JaegerHttpError(401, 'http://user:pass@jaeger:16686/api/services', 'denied for http://user:pass@jaeger').message,
      new JaegerResponseTooLargeError('http://user:pass@jaeger/api/traces', 1_048_576).message,
      new JaegerBadResponseError('http://user:pass@jaeger:16686 answered 200 text/html instead of JSON').message,
    ];
    for (const message of messages) {
      expect(message).not.toContain('pass');
      expect(message).toContain('http://***@jaeger');
    }
  });
});
