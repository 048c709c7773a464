import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { allowedHostsFor, checkRequest, isAllowedHost, type GuardedRequest } from './request-guard.ts';

const allowed = allowedHostsFor(parseEnv({ SPANLENS_ALLOWED_HOSTS: 'spanlens.example.com,10.0.0.5:3000' }));
const request = (method: string, pathname: string, headers: Record<string, string> = {}): GuardedRequest => ({
  method,
  pathname,
  headers: new Headers({ host: '127.0.0.1:3000', ...headers }),
});
const check = (...args: Parameters<typeof request>) => checkRequest(request(...args), allowed);
const json = { 'content-type': 'application/json' };

describe('the Host allow-list', () => {
  it.each(['127.0.0.1:3000', 'localhost:3000', 'LOCALHOST', '[::1]:3000', 'spanlens.example.com', 'spanlens.example.com:443', '10.0.0.5:3000'])(
    'answers for %s',
    (host) => {
      expect(isAllowedHost(host, allowed)).toBe(true);
      expect(check('GET', '/', { host })).toBeNull();
    },
  );

  it.each(['evil.example:3000', 'spanlens.example.com.evil.example', '10.0.0.5:3001', '127.0.0.2:3000', '', 'localhost:99999', 'a b'])(
    'refuses %s with a 421 that names SPANLENS_ALLOWED_HOSTS (DNS rebinding)',
    (host) => {
      const refusal = check('GET', '/api/services', { host });
      expect(refusal).toMatchObject({ status: 421, code: 'host_not_allowed' });
      expect(refusal?.message).toContain('SPANLENS_ALLOWED_HOSTS');
    },
  );

  it('refuses a request without a Host, and a forwarded host that is not allowed', () => {
    expect(checkRequest({ method: 'GET', pathname: '/', headers: new Headers() }, allowed)?.status).toBe(421);
    expect(check('GET', '/', { 'x-forwarded-host': 'evil.example' })?.status).toBe(421);
    expect(check('GET', '/', { 'x-forwarded-host': 'spanlens.example.com, proxy.internal' })).toBeNull();
  });

  it('adds the bound HOST, but never a wildcard address, to the loopback names', () => {
    expect(isAllowedHost('10.1.2.3:3000', allowedHostsFor(parseEnv({ HOST: '10.1.2.3' })))).toBe(true);
    const wildcard = allowedHostsFor(parseEnv({ HOST: '0.0.0.0' }));
    expect(isAllowedHost('0.0.0.0:3000', wildcard)).toBe(false);
    expect(isAllowedHost('10.1.2.3:3000', wildcard)).toBe(false);
    expect(isAllowedHost('127.0.0.1:3000', wildcard)).toBe(true);
  });
});

describe('writes from another origin', () => {
  it.each([
    ['POST', '/api/views', { origin: 'http://127.0.0.1:3000', ...json }],
    ['POST', '/api/views', { origin: 'http://localhost:3000', host: 'localhost:3000', ...json }],
    ['PATCH', '/api/views/abc', { 'sec-fetch-site': 'same-origin', ...json }],
    ['DELETE', '/api/views/abc', { referer: 'http://127.0.0.1:3000/?service=a' }],
    // Not a browser (curl, the CLI): no Origin, no Sec-Fetch-Site, no Referer, so no CSRF to fear.
    ['POST', '/api/uploads', { 'content-type': 'application/octet-stream' }],
    [
      'POST',
      '/api/uploads',
      { origin: 'https://spanlens.example.com', host: 'spanlens.example.com', 'content-type': 'multipart/form-data; boundary=x' },
    ],
    ['POST', '/api/views', { origin: 'https://spanlens.example.com', host: '127.0.0.1:3000', 'x-forwarded-host': 'spanlens.example.com', ...json }],
    // The scheme is not compared: behind a TLS proxy the page is https and the app sees http on the same host.
    ['POST', '/api/views', { origin: 'https://127.0.0.1:3000', ...json }],
  ] as const)('lets %s %s through from the app itself (%j)', (method, path, headers) => {
    expect(check(method, path, headers)).toBeNull();
  });

  it.each([
    ['POST', '/api/views', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
    ['POST', '/api/uploads', { origin: 'http://evil.example', 'content-type': 'multipart/form-data; boundary=x' }],
    ['POST', '/api/uploads', { origin: 'null' }],
    ['POST', '/api/uploads', { origin: 'http://127.0.0.1:3001' }],
    ['PATCH', '/api/views/abc', { origin: 'http://localhost:3000', ...json }],
    ['DELETE', '/api/views/abc', { 'sec-fetch-site': 'cross-site' }],
    ['DELETE', '/api/views/abc', { 'sec-fetch-site': 'same-site' }],
    ['POST', '/api/views', { referer: 'http://evil.example/page', ...json }],
    ['PUT', '/api/anything', { origin: 'http://evil.example' }],
  ] as const)('refuses %s %s with a 403 sentence (%j)', (method, path, headers) => {
    const refusal = check(method, path, headers);
    expect(refusal).toMatchObject({ status: 403, code: 'cross_origin_write' });
    expect(refusal?.message).toMatch(/^Spanlens refuses a write from .+\.$/);
  });

  it('never applies the origin rule to reads', () => {
    expect(check('GET', '/api/views', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).toBeNull();
  });
});

describe('JSON writes and methods', () => {
  it.each([
    ['POST', '/api/views', 'text/plain'],
    ['POST', '/api/views', 'application/x-www-form-urlencoded'],
    ['POST', '/api/views', 'multipart/form-data; boundary=x'],
    ['PATCH', '/api/views/abc', undefined],
  ])('answers 415 for %s %s with content-type %s', (method, path, contentType) => {
    const refusal = check(method, path, contentType === undefined ? {} : { 'content-type': contentType });
    expect(refusal).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(refusal?.message).toContain('content-type: application/json');
  });

  it('takes application/json with parameters, in any case', () => {
    expect(check('POST', '/api/views', { 'content-type': 'Application/JSON; charset=utf-8' })).toBeNull();
    expect(check('DELETE', '/api/views/abc')).toBeNull();
  });

  it('answers 405 with Allow for a method a route does not export', () => {
    expect(check('PUT', '/api/views', json)).toEqual({
      status: 405,
      code: 'method_not_allowed',
      message: '/api/views does not take PUT; it takes GET, POST, HEAD, OPTIONS.',
      headers: { allow: 'GET, POST, HEAD, OPTIONS' },
    });
    expect(check('GET', '/api/views/abc')).toMatchObject({ status: 405, headers: { allow: 'PATCH, DELETE, OPTIONS' } });
    expect(check('POST', '/api/metrics', json)?.status).toBe(405);
    expect(check('HEAD', '/api/health')).toBeNull();
  });

  it('leaves unknown /api paths and pages to their routes (the JSON 404 catch-all)', () => {
    expect(check('POST', '/api/nope', { 'content-type': 'text/plain' })).toBeNull();
    expect(check('GET', '/api/views/abc/extra')).toBeNull();
    expect(check('GET', '/operation')).toBeNull();
  });
});
