import { describe, expect, it } from 'vitest';
import { InvalidEnvironmentError, jaegerQueryDeadlineMs, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('names every bad variable in one error, one line each, in schema order', () => {
    const bad = {
      JAEGER_URL: 'localhost:16686',
      JAEGER_API: 'grpc',
      JAEGER_HEADERS: 'no-colon',
      JAEGER_TIMEOUT_MS: 'soon',
      JAEGER_MAX_CONCURRENCY: '0',
      JAEGER_CACHE_TTL_MS: '-5',
    };
    let thrown: unknown;
    try {
      parseEnv(bad);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEnvironmentError);
    expect((thrown as Error).message).toBe(
      [
        'Invalid Spanlens configuration:',
        '- JAEGER_URL must be an http(s) URL such as http://localhost:16686',
        '- JAEGER_API must be one of auto, legacy, v3',
        '- JAEGER_HEADERS must look like "Name: value; Other: value" (part 1 has no header name before a colon)',
        '- JAEGER_TIMEOUT_MS must be a whole number',
        '- JAEGER_MAX_CONCURRENCY must be at least 1',
        '- JAEGER_CACHE_TTL_MS must be 0 or more',
      ].join('\n'),
    );
  });

  it('still names every bad variable when good ones sit between them', () => {
    expect(() =>
      parseEnv({ JAEGER_URL: 'http://jaeger:16686', JAEGER_UI_URL: 'ftp://jaeger', JAEGER_TOKEN: 'secret', JAEGER_MAX_TRACES: '1.5' }),
    ).toThrow(
      'Invalid Spanlens configuration:\n- JAEGER_UI_URL must be an http(s) URL such as http://localhost:16686\n- JAEGER_MAX_TRACES must be a whole number',
    );
  });

  it('treats empty strings as unset, so they are never reported as bad', () => {
    expect(parseEnv({ JAEGER_URL: '', JAEGER_API: '', JAEGER_TIMEOUT_MS: '' })).toMatchObject({
      JAEGER_URL: undefined,
      JAEGER_API: 'auto',
      JAEGER_TIMEOUT_MS: 15_000,
    });
  });
});

describe('HOST, PORT and SPANLENS_ALLOWED_HOSTS', () => {
  it('listens on loopback port 3000 and allows no extra host by default', () => {
    expect(parseEnv({})).toMatchObject({ HOST: '127.0.0.1', PORT: 3000, SPANLENS_ALLOWED_HOSTS: [] });
  });

  it('takes a host name or an IP address, IPv6 with or without brackets', () => {
    expect(parseEnv({ HOST: '0.0.0.0', PORT: '8080' })).toMatchObject({ HOST: '0.0.0.0', PORT: 8080 });
    expect(parseEnv({ HOST: '[::1]' }).HOST).toBe('::1');
    expect(parseEnv({ HOST: 'Spanlens.Internal' }).HOST).toBe('spanlens.internal');
  });

  it.each([
    [{ HOST: 'bad host; rm -rf /' }, 'HOST must be a host name or IP address such as 127.0.0.1, 0.0.0.0 or ::1'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535'],
    [
      { SPANLENS_ALLOWED_HOSTS: 'ok.example, http://x.example/' },
      'SPANLENS_ALLOWED_HOSTS must be host names with an optional port, comma-separated, such as spanlens.example.com,10.0.0.5:3000 (entry 2 is not one)',
    ],
  ])('refuses %j with one sentence', (source, message) => {
    expect(() => parseEnv(source)).toThrow(`Invalid Spanlens configuration:\n- ${message}`);
  });

  it('reads the allowed hosts as names with optional ports', () => {
    expect(parseEnv({ SPANLENS_ALLOWED_HOSTS: ' Spanlens.example.com , 10.0.0.5:3000,[::1]:8443,' }).SPANLENS_ALLOWED_HOSTS).toEqual([
      { name: 'spanlens.example.com', port: null },
      { name: '10.0.0.5', port: 3000 },
      { name: '::1', port: 8443 },
    ]);
  });

  it('never repeats a malformed JAEGER_HEADERS part, which may hold the secret it was meant to send', () => {
    expect(() => parseEnv({ JAEGER_HEADERS: 'x-tenant: a; Bearer s3cr3t' })).toThrow(/part 2 has no header name before a colon/);
    expect(() => parseEnv({ JAEGER_HEADERS: 'x-tenant: a; Bearer s3cr3t' })).not.toThrow(/s3cr3t/);
  });
});

describe('JAEGER_QUERY_DEADLINE_MS and JAEGER_MAX_INFLIGHT_MB', () => {
  it('defaults the deadline to twice the per-request timeout, and the in-flight budget to 512 MB', () => {
    const env = parseEnv({});
    expect(env.JAEGER_MAX_INFLIGHT_MB).toBe(512);
    expect(env.JAEGER_QUERY_DEADLINE_MS).toBeUndefined();
    expect(jaegerQueryDeadlineMs(env)).toBe(30_000);
    expect(jaegerQueryDeadlineMs(parseEnv({ JAEGER_TIMEOUT_MS: '60000', JAEGER_QUERY_DEADLINE_MS: '' }))).toBe(120_000);
  });

  it('takes set values', () => {
    const env = parseEnv({ JAEGER_QUERY_DEADLINE_MS: '45000', JAEGER_MAX_INFLIGHT_MB: '64' });
    expect(jaegerQueryDeadlineMs(env)).toBe(45_000);
    expect(env.JAEGER_MAX_INFLIGHT_MB).toBe(64);
  });

  it.each([
    [{ JAEGER_QUERY_DEADLINE_MS: 'soon' }, 'JAEGER_QUERY_DEADLINE_MS must be a whole number'],
    [{ JAEGER_QUERY_DEADLINE_MS: '0' }, 'JAEGER_QUERY_DEADLINE_MS must be at least 1'],
    [{ JAEGER_MAX_INFLIGHT_MB: '0' }, 'JAEGER_MAX_INFLIGHT_MB must be at least 1'],
    [{ JAEGER_MAX_INFLIGHT_MB: '1.5' }, 'JAEGER_MAX_INFLIGHT_MB must be a whole number'],
  ])('refuses %j with one sentence', (source, message) => {
    expect(() => parseEnv(source)).toThrow(`Invalid Spanlens configuration:\n- ${message}`);
  });
});
