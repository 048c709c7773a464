import { describe, expect, it } from 'vitest';
import { InvalidEnvironmentError, parseEnv } from './env.ts';

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
        '- JAEGER_HEADERS must look like "Name: value; Other: value" (bad part: "no-colon")',
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
