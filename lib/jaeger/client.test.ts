import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { legacyEnvelope, startFaultyServer, type FaultyServer } from '../testing/faulty-server.ts';
import { createJaegerClient, toRfc3339, type JaegerClient, type JaegerClientConfig } from './client.ts';
import {
  JaegerBadResponseError,
  JaegerHttpError,
  JaegerResponseTooLargeError,
  JaegerTimeoutError,
  JaegerUnavailableError,
  JaegerUnrecognizedResponseError,
} from './errors.ts';

/**
 * Faults a real Jaeger cannot be made to produce on demand, against lib/testing/faulty-server.ts.
 * Every case checks the typed error and its message, and that the same client then still serves.
 * What Jaeger does produce (both APIs, probing, v3-only, coalescing) is in client.integration.test.ts.
 */

let server: FaultyServer;
const clients: JaegerClient[] = [];

beforeAll(async () => {
  server = await startFaultyServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  server.reset();
});

const legacyTrace = {
  traceID: '00000000000000000000000000000abc',
  spans: [
    {
      traceID: '00000000000000000000000000000abc',
      spanID: '0000000000000001',
      operationName: 'GET /dispatch',
      references: [],
      startTime: 1_790_000_000_000_000,
      duration: 1234,
      tags: [],
      logs: [],
      processID: 'p1',
      warnings: null,
    },
  ],
  processes: { p1: { serviceName: 'frontend', tags: [] } },
  warnings: null,
};

function makeClient(overrides: Partial<JaegerClientConfig> = {}): JaegerClient {
  const client = createJaegerClient({
    baseUrl: server.url,
    api: 'legacy',
    timeoutMs: 2_000,
    maxConcurrency: 4,
    maxResponseBytes: 1_048_576,
    cacheTtlMs: 0,
    retryDelayMs: 20,
    ...overrides,
  });
  clients.push(client);
  return client;
}

/** The client (and this process) keeps working once Jaeger behaves again. */
async function expectStillServing(client: JaegerClient): Promise<void> {
  server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['after-the-fault'], 1) });
  server.respond('/api/v3/services', { kind: 'json', body: { services: ['after-the-fault'] } });
  await expect(client.listServices()).resolves.toEqual(['after-the-fault']);
}

const search = { service: 'frontend', tags: {}, startUs: 1_790_000_000_000_000, endUs: 1_790_000_060_000_000, limit: 20 };

describe('createJaegerClient against a faulty server', () => {
  it('retries a dropped connection once, then reports Jaeger unreachable', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'drop' });
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerUnavailableError);
    expect((error as Error).message).toBe(`Jaeger is unreachable at ${server.url}/api/services: is it running, and is JAEGER_URL right?`);
    expect(server.requests('/api/services')).toHaveLength(2);
    await expectStillServing(client);
  });

  it('succeeds when the one retry after a dropped connection gets an answer', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'drop' }, { kind: 'json', body: legacyEnvelope(['b', 'a'], 2) });
    await expect(client.listServices()).resolves.toEqual(['a', 'b']);
    expect(server.requests('/api/services')).toHaveLength(2);
    expect(client.upstreamRequestCount).toBe(2);
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = await startFaultyServer();
    const url = closed.url;
    await closed.close();
    const client = makeClient({ baseUrl: url });
    await expect(client.listServices()).rejects.toThrow(new JaegerUnavailableError(`${url}/api/services`));
  });

  it('times out when no headers arrive, without retrying', async () => {
    const client = makeClient({ timeoutMs: 300 });
    server.respond('/api/services', { kind: 'stall-headers' });
    const started = performance.now();
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerTimeoutError);
    expect((error as Error).message).toBe(`Jaeger did not answer ${server.url}/api/services within 300 ms; try a shorter window or a lower limit.`);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server.requests('/api/services')).toHaveLength(1);
    await expectStillServing(client);
  });

  it('times out when the body stalls half way', async () => {
    const client = makeClient({ timeoutMs: 300 });
    server.respond('/api/services', { kind: 'stall-body', firstChunk: '{"data":["a",' });
    await expect(client.listServices()).rejects.toBeInstanceOf(JaegerTimeoutError);
    await expectStillServing(client);
  });

  it('rejects garbage with a 200 JSON content type as malformed', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'text', body: 'Ωgarbage{{', contentType: 'application/json' });
    await expect(client.listServices()).rejects.toThrow(
      new JaegerBadResponseError('The service list was malformed or truncated JSON (10 characters)'),
    );
    await expectStillServing(client);
  });

  it('rejects JSON cut off in the middle as malformed or truncated', async () => {
    const client = makeClient();
    const full = JSON.stringify(legacyEnvelope([legacyTrace]));
    server.respond('/api/traces', { kind: 'text', body: full.slice(0, 100), contentType: 'application/json' });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as Error).message).toBe(
      'Jaeger sent a response Spanlens cannot read: The trace search was malformed or truncated JSON (100 characters)',
    );
    await expectStillServing(client);
  });

  it('retries a connection that closes mid-body once, then reports the truncation', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'drop-mid-body', body: '{"data":["a"', announcedBytes: 5000 });
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as Error).message).toBe(
      'Jaeger sent a response Spanlens cannot read: the connection closed after 12 bytes, before the response was complete',
    );
    expect(server.requests('/api/services')).toHaveLength(2);
    await expectStillServing(client);
  });

  it('rejects a 200 HTML page (wrong URL or base path) and says what to check', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'text', body: '<!doctype html><title>Jaeger UI</title>', contentType: 'text/html; charset=utf-8' });
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as Error).message).toBe(
      `Jaeger sent a response Spanlens cannot read: ${server.url}/api/services answered 200 text/html instead of JSON: ` +
        "this Jaeger has no legacy /api search (removed in jaeger#9260); set JAEGER_API=v3 or auto, and check that JAEGER_URL includes Jaeger's base path",
    );
    await expectStillServing(client);
  });

  it('rejects a 200 body of a non-JSON type', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'text', body: 'data: a', contentType: 'text/plain' });
    await expect(client.listServices()).rejects.toThrow(new JaegerBadResponseError('The service list came back as text/plain, not JSON'));
  });

  it('reports a 500 with Jaeger’s message parsed from a text/plain legacy envelope, without retrying', async () => {
    const client = makeClient();
    server.respond('/api/traces', {
      kind: 'text',
      status: 500,
      body: '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"search depth must be greater than 0 and less than max traces"}]}\n',
    });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerHttpError);
    expect((error as JaegerHttpError).status).toBe(500);
    expect((error as JaegerHttpError).upstreamMessage).toBe('search depth must be greater than 0 and less than max traces');
    expect(server.requests('/api/traces')).toHaveLength(1);
    await expectStillServing(client);
  });

  it('reports a 400 with Jaeger’s message parsed from a text/plain v3 envelope', async () => {
    const client = makeClient({ api: 'v3' });
    server.respond('/api/v3/traces', {
      kind: 'text',
      status: 400,
      body: '{"error":{"httpCode":400,"message":"query.start_time_min and query.start_time_max are required"}}\n',
    });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerHttpError);
    expect((error as JaegerHttpError).status).toBe(400);
    expect((error as Error).message).toMatch(
      /^Jaeger answered 400 for http:\/\/127\.0\.0\.1:\d+\/api\/v3\/traces\?query\.num_traces=20&.*: query\.start_time_min and query\.start_time_max are required$/,
    );
    await expectStillServing(client);
  });

  it('retries a 503 once and returns the answer that follows', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'text', status: 503, body: 'upstream busy' }, { kind: 'json', body: legacyEnvelope(['frontend'], 1) });
    await expect(client.listServices()).resolves.toEqual(['frontend']);
    expect(server.requests('/api/services')).toHaveLength(2);
  });

  it('reports a 503 that persists after the one retry', async () => {
    const client = makeClient();
    server.respond('/api/services', { kind: 'text', status: 503, body: 'upstream busy' });
    await expect(client.listServices()).rejects.toThrow(new JaegerHttpError(503, `${server.url}/api/services`, 'upstream busy'));
    expect(server.requests('/api/services')).toHaveLength(2);
    await expectStillServing(client);
  });

  it.each([true, false])('stops reading an over-size body (length announced: %s)', async (announceLength) => {
    const client = makeClient({ maxResponseBytes: 1_048_576 });
    server.respond('/api/traces', { kind: 'huge', bytes: 8 * 1_048_576, announceLength });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerResponseTooLargeError);
    expect((error as Error).message).toMatch(
      /^Jaeger's answer to http:\/\/127\.0\.0\.1:\d+\/api\/traces\?end=1790000060000000&limit=20&service=frontend&start=1790000000000000 exceeded 1 MB and was cut off; narrow the window or lower the limit \(or raise JAEGER_MAX_RESPONSE_MB\)\.$/,
    );
    await expectStillServing(client);
  });

  it.each([
    ['legacy', '/api/services', legacyEnvelope([1, 2]), 'data[0]'],
    ['v3', '/api/v3/services', { services: ['frontend', 7] }, 'services[1]'],
  ] as const)('names the field of a %s service list with the wrong shape (%s)', async (api, path, body, field) => {
    const client = makeClient({ api });
    server.respond(path, { kind: 'json', body });
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as JaegerBadResponseError).field).toBe(field);
    expect((error as Error).message).toContain(`The service list did not have the expected shape`);
    await expectStillServing(client);
  });

  it('names the field of a trace with the wrong shape', async () => {
    const client = makeClient();
    const broken = { ...legacyTrace, spans: [{ ...legacyTrace.spans[0], duration: 'slow' }] };
    server.respond('/api/traces', { kind: 'json', body: legacyEnvelope([broken]) });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as JaegerBadResponseError).field).toBe('data[0].spans[0].duration');
    await expectStillServing(client);
  });
});

/** What the client says of a 2xx JSON body that is not the endpoint's Jaeger answer. */
const notJaeger = (path: string, expected: string, problem: string): string =>
  `Jaeger sent a response Spanlens cannot read: ${path} answered 200 but the body is not ${expected}: ${problem}; ` +
  "is JAEGER_URL Jaeger's query service, or is a proxy or login page answering in its place?";

const UNAUTHORIZED = { message: 'Unauthorized' };
const v3Span = {
  traceId: '00000000000000000000000000000abc',
  spanId: '0000000000000001',
  name: 'GET /dispatch',
  kind: 2,
  startTimeUnixNano: '1790000000000000000',
  endTimeUnixNano: '1790000000001234000',
};
const v3Result = (attributes: unknown[] = []) => ({
  result: {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
        scopeSpans: [{ scope: {}, spans: [{ ...v3Span, attributes }] }],
      },
    ],
  },
});

type Call = 'listServices' | 'listOperations' | 'searchTraces' | 'streamSearch' | 'getTrace';
function callClient(client: JaegerClient, call: Call): Promise<unknown> {
  switch (call) {
    case 'listServices':
      return client.listServices();
    case 'listOperations':
      return client.listOperations('frontend');
    case 'searchTraces':
      return client.searchTraces(search);
    case 'streamSearch':
      return client.streamSearch(search, () => undefined);
    case 'getTrace':
      return client.getTrace('abc');
  }
}

describe('createJaegerClient: a 2xx answer must be recognisably Jaeger’s', () => {
  const LEGACY_SEARCH = 'a Jaeger legacy search result';
  const V3_SEARCH = 'a Jaeger v3 search result';
  it.each([
    ['legacy', 'listServices', '/api/services', UNAUTHORIZED, 'a Jaeger legacy service list', 'it has no `data`'],
    ['legacy', 'listServices', '/api/services', { data: ['frontend'], total: 1 }, 'a Jaeger legacy service list', 'it has no `errors`'],
    ['legacy', 'listServices', '/api/services', { services: ['a'] }, 'a Jaeger legacy service list', 'it has no `data`'],
    ['legacy', 'listServices', '/api/services', ['frontend'], 'a Jaeger legacy service list', 'it is a JSON array, not an object'],
    ['legacy', 'listOperations', '/api/operations', UNAUTHORIZED, 'a Jaeger legacy operation list', 'it has no `data`'],
    [
      'legacy',
      'listOperations',
      '/api/operations',
      { data: 'none', errors: null },
      'a Jaeger legacy operation list',
      '`data` is neither a list nor null',
    ],
    ['legacy', 'searchTraces', '/api/traces', UNAUTHORIZED, LEGACY_SEARCH, 'it has no `data`'],
    ['legacy', 'streamSearch', '/api/traces', UNAUTHORIZED, LEGACY_SEARCH, 'it has no `data`'],
    ['legacy', 'searchTraces', '/api/traces', { data: { traces: [] }, errors: null }, LEGACY_SEARCH, '`data` is neither a list nor null'],
    ['legacy', 'streamSearch', '/api/traces', { data: null }, LEGACY_SEARCH, 'it has no `errors`'],
    // The array streams through first; only the end shows the envelope is not Jaeger's.
    ['legacy', 'streamSearch', '/api/traces', { data: [legacyTrace] }, LEGACY_SEARCH, 'it has no `errors`'],
    ['legacy', 'searchTraces', '/api/traces', { data: [legacyTrace], errors: 'none' }, LEGACY_SEARCH, '`errors` is neither a list nor null'],
    ['legacy', 'getTrace', '/api/traces/abc', UNAUTHORIZED, 'a Jaeger legacy trace', 'it has no `data`'],
    ['v3', 'listServices', '/api/v3/services', UNAUTHORIZED, 'a Jaeger v3 service list', 'it has no `services`'],
    ['v3', 'listServices', '/api/v3/services', { services: 'frontend' }, 'a Jaeger v3 service list', '`services` is not a list'],
    ['v3', 'listServices', '/api/v3/services', 'frontend', 'a Jaeger v3 service list', 'it is a JSON string, not an object'],
    ['v3', 'listOperations', '/api/v3/operations', UNAUTHORIZED, 'a Jaeger v3 operation list', 'it has no `operations`'],
    ['v3', 'searchTraces', '/api/v3/traces', UNAUTHORIZED, V3_SEARCH, 'it has no `result`'],
    ['v3', 'streamSearch', '/api/v3/traces', UNAUTHORIZED, V3_SEARCH, 'it has no `result`'],
    ['v3', 'searchTraces', '/api/v3/traces', {}, V3_SEARCH, 'it has no `result`'],
    ['v3', 'streamSearch', '/api/v3/traces', { result: { traces: [] } }, V3_SEARCH, '`result` has no `resourceSpans`'],
    ['v3', 'searchTraces', '/api/v3/traces', { result: [] }, V3_SEARCH, '`result` is not an object'],
    ['v3', 'streamSearch', '/api/v3/traces', { result: { resourceSpans: {} } }, V3_SEARCH, '`result.resourceSpans` is not a list'],
    ['v3', 'getTrace', '/api/v3/traces/abc', UNAUTHORIZED, 'a Jaeger v3 trace', 'it has no `result`'],
  ] as const)('%s %s: %j from %s is an error naming the endpoint', async (api, call, path, body, expected, problem) => {
    const client = makeClient({ api });
    server.respond(path, { kind: 'json', body });
    const error = await callClient(client, call).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect(error).toBeInstanceOf(JaegerUnrecognizedResponseError);
    expect((error as Error).message).toBe(notJaeger(path, expected, problem));
    await expectStillServing(client);
  });

  it('says the same of a foreign body Jaeger labels text/plain, as v2.13 labels its v3 JSON', async () => {
    const client = makeClient({ api: 'v3' });
    server.respond('/api/v3/traces', { kind: 'text', body: '{"message":"Unauthorized"}', contentType: 'text/plain; charset=utf-8' });
    await expect(client.searchTraces(search)).rejects.toThrow(notJaeger('/api/v3/traces', V3_SEARCH, 'it has no `result`'));
  });

  it('names the base path with the endpoint, never the query string', async () => {
    const client = makeClient({ baseUrl: `${server.url}/jaeger`, api: 'v3' });
    server.respond('/jaeger/api/v3/traces', { kind: 'json', body: UNAUTHORIZED });
    await expect(client.searchTraces(search)).rejects.toThrow(notJaeger('/jaeger/api/v3/traces', V3_SEARCH, 'it has no `result`'));
  });

  it.each([
    // Measured on Jaeger v2.13 with an empty store: services {} and operations {"operations":[]}.
    ['v3', 'listServices', '/api/v3/services', {}, []],
    ['v3', 'listOperations', '/api/v3/operations', { operations: [] }, []],
    ['v3', 'listOperations', '/api/v3/operations', {}, []],
    ['legacy', 'listServices', '/api/services', legacyEnvelope(null), []],
    ['legacy', 'listOperations', '/api/operations', legacyEnvelope([]), []],
  ] as const)('%s %s accepts Jaeger’s own empty answer %j', async (api, call, path, body, expected) => {
    const client = makeClient({ api });
    server.respond(path, { kind: 'json', body });
    await expect(callClient(client, call)).resolves.toEqual(expected);
  });

  it.each([
    ['a 404 "No traces found" (what v2.13 sends)', { kind: 'json', status: 404, body: { error: { httpCode: 404, message: 'No traces found' } } }],
    ['an empty result', { kind: 'json', body: { result: {} } }],
    ['an empty resourceSpans list', { kind: 'json', body: { result: { resourceSpans: [] } } }],
  ] as const)('reads %s from v3 as no traces', async (_, response) => {
    const client = makeClient({ api: 'v3' });
    server.respond('/api/v3/traces', response);
    await expect(client.searchTraces(search)).resolves.toEqual({ traces: [], cutAtLimit: false, receivedTraces: 0 });
    await expect(client.streamSearch(search, () => undefined)).resolves.toEqual({ cutAtLimit: false, receivedTraces: 0 });
  });

  it('does not read a legacy error envelope on a v3 404 as "no traces"', async () => {
    const client = makeClient({ api: 'v3' });
    server.respond('/api/v3/traces', { kind: 'json', status: 404, body: { data: null, errors: [{ code: 404, msg: 'nope' }] } });
    const error = await client.searchTraces(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerHttpError);
    expect((error as Error).message).toMatch(/^Jaeger answered 404 for http:\/\/127\.0\.0\.1:\d+\/api\/v3\/traces\?.*: nope$/);
  });

  it('refuses an attribute nested deeper than 32 levels, even 100k deep, as a bad response', async () => {
    const client = makeClient({ api: 'v3', maxResponseBytes: 8 * 1_048_576 });
    const depth = 100_000;
    const deep = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}`;
    const body = JSON.stringify(v3Result([{ key: 'deep', value: { stringValue: 'placeholder' } }])).replace('{"stringValue":"placeholder"}', deep);
    server.respond('/api/v3/traces', { kind: 'text', body, contentType: 'application/json' });
    for (const call of ['searchTraces', 'streamSearch'] as const) {
      const error = await callClient(client, call).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(JaegerBadResponseError);
      expect((error as Error).message).toMatch(
        /^Jaeger sent a response Spanlens cannot read: expected attribute values nested at most 32 levels deep \(at result\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\]){32}\.arrayValue\)$/,
      );
    }
    await expectStillServing(client);
  });

  it('reads an attribute nested exactly 32 levels deep', async () => {
    const client = makeClient({ api: 'v3' });
    let value: unknown = { stringValue: 'x' };
    for (let i = 0; i < 32; i++) value = { arrayValue: { values: [value] } };
    server.respond('/api/v3/traces', { kind: 'json', body: v3Result([{ key: 'deep', value }]) });
    const answer = await client.searchTraces(search);
    const tag = answer.traces[0]?.spans[0]?.tags.find((candidate) => candidate.key === 'deep');
    expect(tag).toEqual({ key: 'deep', type: 'string', value: `${'['.repeat(32)}"x"${']'.repeat(32)}` });
  });
});

describe('createJaegerClient: Jaeger’s own message for a 5xx', () => {
  it('keeps Jaeger’s text for a 500 that follows an HTML answer, instead of blaming JAEGER_URL', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond(
      '/api/services',
      { kind: 'json', body: legacyEnvelope(['frontend'], 1) },
      { kind: 'text', body: '<!doctype html><title>Jaeger UI</title>', contentType: 'text/html; charset=utf-8' },
      { kind: 'text', status: 500, body: '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"storage is on fire"}]}\n' },
    );
    await expect(client.resolveApi()).resolves.toBe('legacy');
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerHttpError);
    expect((error as Error).message).toBe(`Jaeger answered 500 for ${server.url}/api/services: storage is on fire`);
    expect(server.requests('/api/v3/services')).toHaveLength(0);
  });

  it('reports a 5xx met while probing with its own message, not as "serves neither API"', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'text', status: 502, body: 'Bad Gateway' });
    await expect(client.resolveApi()).rejects.toThrow(new JaegerHttpError(502, `${server.url}/api/services`, 'Bad Gateway'));
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['frontend'], 1) });
    await expect(client.resolveApi()).resolves.toBe('legacy');
  });

  it('reports an auth refusal met while probing as what it is', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'json', status: 401, body: UNAUTHORIZED });
    await expect(client.resolveApi()).rejects.toThrow(new JaegerHttpError(401, `${server.url}/api/services`, '{"message":"Unauthorized"}'));
  });
});

describe('createJaegerClient requests', () => {
  it('sends the legacy search with µs bounds, Go durations and tags as a JSON object', async () => {
    const client = makeClient({ token: 's3cret', headers: { 'x-tenant': 'blue' } });
    server.respond('/api/traces', { kind: 'json', body: legacyEnvelope([legacyTrace]) });
    const answer = await client.searchTraces({
      ...search,
      operation: 'GET /dispatch',
      tags: { 'http.status_code': '500', error: 'true' },
      minDurationUs: 250_000,
      maxDurationUs: 2_000_000,
    });
    // The answer is re-checked: the one trace sent matches neither the tag nor the duration.
    expect(answer).toEqual({ traces: [], cutAtLimit: false, receivedTraces: 1 });
    const [request] = server.requests('/api/traces');
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      service: 'frontend',
      operation: 'GET /dispatch',
      start: '1790000000000000',
      end: '1790000060000000',
      limit: '20',
      // error=… is matched by Spanlens, never sent: v2.13 inverts it (search-filter.ts).
      tags: '{"http.status_code":"500"}',
      minDuration: '250000us',
      maxDuration: '2000000us',
    });
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(request?.headers['x-tenant']).toBe('blue');
  });

  it('sends the v3 search with snake_case parameters, RFC 3339 bounds and query.num_traces', async () => {
    const client = makeClient({ api: 'v3' });
    server.respond('/api/v3/traces', { kind: 'json', status: 404, body: { error: { httpCode: 404, message: 'No traces found' } } });
    await expect(
      client.searchTraces({ ...search, startUs: 1_790_000_000_000_123, operation: 'op', tags: { k: 'v' }, minDurationUs: 5 }),
    ).resolves.toEqual({ traces: [], cutAtLimit: false, receivedTraces: 0 });
    const [request] = server.requests('/api/v3/traces');
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      'query.service_name': 'frontend',
      'query.operation_name': 'op',
      'query.start_time_min': '2026-09-21T14:13:20.000123Z',
      'query.start_time_max': '2026-09-21T14:14:20.000000Z',
      'query.num_traces': '20',
      'query.attributes': '{"k":"v"}',
      'query.duration_min': '5us',
    });
  });

  it('keeps a base path in front of every route', async () => {
    const client = makeClient({ baseUrl: `${server.url}/jaeger/` });
    server.respond('/jaeger/api/services', { kind: 'json', body: legacyEnvelope(['a']) });
    await expect(client.listServices()).resolves.toEqual(['a']);
  });

  it('answers null for a trace Jaeger does not have, in both APIs', async () => {
    server.respond('/api/traces/abc', { kind: 'text', status: 404, body: '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}\n' });
    server.respond('/api/v3/traces/abc', { kind: 'text', status: 404, body: '{"error":{"httpCode":404,"message":"trace not found"}}\n' });
    await expect(makeClient().getTrace('abc')).resolves.toBeNull();
    await expect(makeClient({ api: 'v3' }).getTrace('abc')).resolves.toBeNull();
  });
});

describe('createJaegerClient api detection', () => {
  it('falls back to v3 when the legacy API answers like Jaeger main after jaeger#9260', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'text', status: 404, body: '404 page not found\n' });
    server.respond('/api/v3/services', { kind: 'text', body: '{"services":["frontend"]}', contentType: 'text/plain; charset=utf-8' });
    await expect(client.resolveApi()).resolves.toBe('v3');
    await expect(client.listServices()).resolves.toEqual(['frontend']);
    expect(server.requests('/api/services')).toHaveLength(1);
  });

  it('does not take the UI page that v2.13 serves for unknown paths for an API', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'text', body: '<html>placeholder</html>', contentType: 'text/html' });
    server.respond('/api/v3/services', { kind: 'json', body: { services: ['frontend'] } });
    await expect(client.resolveApi()).resolves.toBe('v3');
  });

  it('probes again when the remembered API disappears, and moves to the other', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/v3/services', { kind: 'json', body: { services: ['v3-service'] } });
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['legacy-service']) });
    await expect(client.listServices()).resolves.toEqual(['legacy-service']);
    server.respond('/api/services', { kind: 'text', status: 404, body: '404 page not found\n' });
    await expect(client.listServices()).resolves.toEqual(['v3-service']);
    await expect(client.resolveApi()).resolves.toBe('v3');
  });

  it('does not pick v3 from a garbage 200 on /api/v3, and picks it once a real answer comes', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'text', status: 404, body: '404 page not found\n' });
    server.respond('/api/v3/services', { kind: 'json', body: UNAUTHORIZED }, { kind: 'json', body: { services: ['frontend'] } });
    const error = await client.resolveApi().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerUnrecognizedResponseError);
    expect((error as Error).message).toBe(
      `Jaeger sent a response Spanlens cannot read: ${server.url} serves neither Jaeger query API ` +
        '(/api/services answered 404 text/plain; /api/v3/services answered 200 application/json, ' +
        'but not with a Jaeger v3 service list (it has no `services`)); is JAEGER_URL the query service, with its base path?',
    );
    await expect(client.resolveApi()).resolves.toBe('v3');
    await expect(client.listServices()).resolves.toEqual(['frontend']);
  });

  it('does not pick legacy from a JSON body without its envelope, and takes the v3 that answers', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'json', body: { data: ['frontend'] } });
    server.respond('/api/v3/services', { kind: 'json', body: { services: ['frontend'] } });
    await expect(client.resolveApi()).resolves.toBe('v3');
  });

  it('does not stick to a choice once its API answers in a foreign shape: it probes again and moves', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['legacy-service'], 1) });
    server.respond('/api/v3/services', { kind: 'json', body: { services: ['v3-service'] } });
    await expect(client.resolveApi()).resolves.toBe('legacy');
    server.respond('/api/services', { kind: 'json', body: UNAUTHORIZED });
    await expect(client.listServices()).resolves.toEqual(['v3-service']);
    await expect(client.resolveApi()).resolves.toBe('v3');
  });

  it('reports the foreign answer itself when the probe that follows it finds no API, and probes again next time', async () => {
    const client = makeClient({ api: 'auto' });
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['frontend'], 1) });
    await expect(client.resolveApi()).resolves.toBe('legacy');
    server.respond('/api/services', { kind: 'json', body: UNAUTHORIZED });
    await expect(client.listServices()).rejects.toThrow(notJaeger('/api/services', 'a Jaeger legacy service list', 'it has no `data`'));
    // Nothing is remembered: the next call probes (and finds legacy again once it answers as Jaeger).
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['frontend'], 1) });
    const before = server.requests('/api/services').length;
    await expect(client.listServices()).resolves.toEqual(['frontend']);
    expect(server.requests('/api/services').length - before).toBe(2);
  });

  it('says that neither API answered when the URL is not a Jaeger query service', async () => {
    const client = makeClient({ api: 'auto' });
    const error = await client.listServices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as Error).message).toBe(
      `Jaeger sent a response Spanlens cannot read: ${server.url} serves neither Jaeger query API ` +
        '(/api/services answered 404 text/plain; /api/v3/services answered 404 text/plain); ' +
        'is JAEGER_URL the query service, with its base path?',
    );
  });
});

describe('createJaegerClient sharing', () => {
  it('serves a repeated query from the cache within its TTL', async () => {
    const client = makeClient({ cacheTtlMs: 60_000 });
    server.respond('/api/services', { kind: 'json', body: legacyEnvelope(['a']) });
    await client.listServices();
    await client.listServices();
    expect(server.requests('/api/services')).toHaveLength(1);
  });

  it('does not fail the other callers of a shared request when one of them aborts', async () => {
    const client = makeClient({ timeoutMs: 1_000 });
    server.respond('/api/services', { kind: 'stall-body', firstChunk: '{"data":["a"]}' });
    const leaver = new AbortController();
    const first = client.listServices({ signal: leaver.signal });
    const second = client.listServices();
    leaver.abort(new Error('tab closed'));
    await expect(first).rejects.toThrow('tab closed');
    // The stalled body ends only by the deadline: the second caller sees the timeout, not the abort.
    await expect(second).rejects.toBeInstanceOf(JaegerTimeoutError);
    expect(server.requests('/api/services')).toHaveLength(1);
  });
});

describe('toRfc3339', () => {
  it.each([
    [1_790_000_000_000_000, '2026-09-21T14:13:20.000000Z'],
    [1_790_000_000_123_456, '2026-09-21T14:13:20.123456Z'],
    [0, '1970-01-01T00:00:00.000000Z'],
  ])('writes %i µs as %s', (us, expected) => {
    expect(toRfc3339(us)).toBe(expected);
  });
});
