import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FullMetricsResponse, UploadResponse } from '@/lib/http/api-types';
import { drillDownPatch, parseDashboardQuery, patchedQuerySearch, safeParseDashboardQuery, updateDashboardQuery } from '@/lib/query';
import { buildRouteDataSet } from '@/lib/server/testing/route-data-set';
import { freshDemoServer } from './route-test-env';

/**
 * Hostile query strings against every GET route handler, in-process, in demo mode over a demo file
 * (as app/api/api-routes.test.ts): prototype keys as param names, repeated params, 100 KB values,
 * unicode, NUL, bad percent-encoding, every known param with garbage. Nothing may answer 5xx; every
 * 4xx is the one JSON error envelope (a 400 names its field); no body carries a stack trace or a path.
 */

const dir = mkdtempSync(join(tmpdir(), 'spanlens-fuzz-'));
/** One GET handler, given the query string (no `?`). */
type Get = (search: string) => Promise<Response>;
const API_DIR = fileURLToPath(new URL('.', import.meta.url));
const targets: { readonly name: string; readonly get: Get; readonly extra?: string }[] = [];
let upload: (body: string) => Promise<Response>;
let metricsGet: Get;

beforeAll(async () => {
  freshDemoServer(dir);
  // Every route file under app/api, found on disk: a new GET route is fuzzed without editing this test.
  const routeFiles = readdirSync(API_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(^|\/)route\.ts$/.test(file))
    .sort();
  for (const file of routeFiles) {
    const route = (await import(join(API_DIR, file))) as { GET?: (request: Request, context?: unknown) => Promise<Response>; POST?: unknown };
    const dirName = dirname(file);
    if (dirName === 'uploads') {
      const post = route.POST as (request: Request) => Promise<Response>;
      upload = (body) => post(new Request('http://spanlens.test/api/uploads', { method: 'POST', body, headers: { 'x-file-name': 'hostile.json' } }));
    }
    const GET = route.GET;
    if (GET === undefined) continue;
    // Dynamic segments ([id], [...slug]) get a value; the URL path is the route's own.
    const path = `/api/${dirName.replace(/\[\.\.\.(\w+)\]/g, 'x/y').replace(/\[(\w+)\]/g, 'x')}`;
    const context = { params: Promise.resolve({ id: 'x', slug: ['x', 'y'] }) };
    const get: Get = (search) => GET(new Request(`http://spanlens.test${path}?${search}`), context);
    targets.push({ name: dirName, get });
    if (dirName === 'metrics') {
      metricsGet = get;
      targets.push({ name: 'metrics?stream=1', get, extra: 'stream=1' });
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KNOWN = [
  'service',
  'operation',
  'tags',
  'groupBy',
  'lookback',
  'start',
  'end',
  'minDuration',
  'maxDuration',
  'limit',
  'include',
  'view',
  'group',
  'sort',
  'dir',
  'refresh',
  'clientErrors',
  'source',
  'stream',
  'baseline',
  'baselineStart',
  'baselineEnd',
  'format',
  'table',
  'cohort',
  'baselineCohort',
] as const;
const PROTOTYPE_KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
] as const;

const HUGE = 'x'.repeat(100_000);
const RAW_GARBAGE = [
  '%',
  '%%',
  '%zz',
  '%0',
  '%00',
  '%E0%A4%A',
  '%C0%AF',
  '%FF%FE',
  '%ED%A0%80',
  '%u0041',
  '&&',
  '==',
  '=%=',
  '+',
  '%2B',
  '%26',
  '%3D',
  ';',
  '\u0000',
];

const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'api',
      'db',
      'GET /a',
      'call auth',
      '1h',
      '0s',
      '30d',
      '31d',
      '1h30m',
      'previous',
      'errors',
      'slowerThan:p90',
      'slowerThan:p0',
      'duration:1ms..1s',
      'duration:1s..1ms;errors',
      'time:2026-11-23..2026-11-24',
      'tag:__proto__=x',
      'tag:a\\;b=c;minDuration:1e400ms',
      'csv',
      'json',
      'slowest',
      'edges',
      '1w',
      '90d',
      '1e400ms',
      'NaNms',
      '-5m',
      'tag:http.route',
      'tag:__proto__',
      'tag:constructor',
      'tag:process.hostname',
      'tag:',
      'service',
      'operation',
      'http.route=/a',
      '__proto__=x',
      'constructor=x',
      'toString=1',
      'error=true',
      'a=b=c',
      '=x',
      'x=',
      '10ms',
      '1.5s',
      '2026-11-23T10:00:00Z',
      '2026-02-30',
      '9999-12-31T23:59:59Z',
      '0000-01-01T00:00:00Z',
      '2026-11-23T10:00:00.1234567890Z',
      '0',
      '1',
      '-1',
      '1e9',
      '100001',
      '99999999999999999999',
      'true',
      'false',
      'upload:nope',
      'upload:',
      'upload:../../etc/passwd',
      'groups,heatmap,slowest',
      'groups,,nope',
      'p95',
      'asc',
      '5s',
      '\u0000',
      '\uD800',
      '🙂'.repeat(300),
      'é'.repeat(600),
      'x'.repeat(501),
      'x'.repeat(10_001),
    ),
  },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

/** One param, written as URLSearchParams would (any name, any value) or raw (bad percent-encoding). */
const pair = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(name, value).map(([k, v]) => new URLSearchParams([[k, v]]).toString()) },
  { weight: 2, arbitrary: fc.tuple(name, fc.constantFrom(...RAW_GARBAGE)).map(([k, v]) => `${encodeURIComponent(k)}=${v}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...RAW_GARBAGE, ...PROTOTYPE_KEYS), fc.constantFrom(...RAW_GARBAGE, '1', 'x')).map(([k, v]) => `${k}=${v}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_GARBAGE, '__proto__', 'constructor', '__proto__[x]=1', 'constructor[prototype][x]=1', '') },
);

/** A query string: some params, sometimes one of them repeated many times. */
const queryString = fc
  .tuple(fc.boolean(), fc.array(pair, { maxLength: 8 }), fc.option(fc.tuple(pair, fc.integer({ min: 2, max: 40 }))))
  .map(([withService, pairs, repeated]) =>
    [...(withService ? ['service=api'] : []), ...pairs, ...(repeated ? Array.from({ length: repeated[1] }, () => repeated[0]) : [])].join('&'),
  );

/** Stack frames and paths, in what remains of a message once the values it quotes are taken out. */
const LEAK = /(\bat\s+\S+\s+\(|\bat\s+(file:|node:|\/)|\/work\/|node_modules|file:\/\/|\.tsx?:\d+|\.m?js:\d+|\bError:\s)/;
const withoutQuoted = (message: string) => message.replace(/"[\s\S]*"/, '""');

interface Checked {
  readonly status: number;
  readonly problem: string | null;
}

function envelopeProblem(status: number, body: unknown): string | null {
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `${status} without the {error:{code,message}} envelope`;
  if (status === 400 && typeof error.field !== 'string') return '400 without a field';
  if (LEAK.test(withoutQuoted(error.message))) return `stack trace or path in the message: ${error.message.slice(0, 200)}`;
  return null;
}

async function check(get: Get, search: string): Promise<Checked> {
  const response = await get(search);
  const text = await response.text();
  if (response.status >= 500) return { status: response.status, problem: `${response.status}: ${text.slice(0, 300)}` };
  if (response.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { status: response.status, problem: `${response.status} body is not JSON` };
    }
    return { status: response.status, problem: envelopeProblem(response.status, body) };
  }
  if ((response.headers.get('content-type') ?? '').includes('ndjson')) {
    // A streamed answer: every line JSON; an error line is the same envelope, and never a 5xx.
    for (const line of text.split('\n').filter((l) => l !== '')) {
      const parsed = JSON.parse(line) as { type?: string; status?: number };
      if (parsed.type === 'error') {
        const status = parsed.status ?? 0;
        if (status >= 500) return { status, problem: `stream error line ${line.slice(0, 300)}` };
        const problem = envelopeProblem(status, parsed);
        if (problem) return { status, problem: `stream: ${problem}` };
      }
    }
  }
  // A 200 may echo the query (canonical `query`) but never a stack or a server path.
  if (/\/work\/|node_modules|\n\s+at\s/.test(text.replace(/"query":"(?:[^"\\]|\\.)*"/g, ''))) {
    return { status: response.status, problem: 'stack trace or path in a 200 body' };
  }
  return { status: response.status, problem: null };
}

const RUNS = 2_000;

describe('every GET route against hostile query strings', () => {
  it('finds every GET route, and the metrics route twice (plain and stream=1)', () => {
    expect(targets.map((t) => t.name)).toEqual(
      expect.arrayContaining(['services', 'operations', 'tag-keys', 'metrics', 'metrics?stream=1', 'health', 'views']),
    );
  });

  it(`answers ${RUNS} of them with no 5xx, the error envelope for every 4xx, and no stack or path`, { timeout: 60_000 }, async () => {
    const unexpected = vi.spyOn(console, 'error').mockImplementation(() => {});
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: targets.length - 1 }), queryString, async (index, search) => {
          const target = targets[index] ?? targets[0];
          if (target === undefined) throw new Error('no routes loaded');
          const full = target.extra ? `${search}&${target.extra}` : search;
          const { status, problem } = await check(target.get, full);
          sent += 1;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          // Collected, not thrown: the report below lists every failing input, not the first one shrunk.
          if (problem) failures.push(`${target.name} ?${full.slice(0, 300)} → ${problem}`);
        }),
        { numRuns: RUNS, seed: 15 },
      );
    } finally {
      unexpected.mockRestore();
    }
    expect({ failures: failures.length, first: failures.slice(0, 10) }).toEqual({ failures: 0, first: [] });
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    expect(unexpected).not.toHaveBeenCalled();
    // Not all of them bounce: the fuzz reaches the computation too.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
  });

  it('answers the prototype keys as params on every route without a 5xx', async () => {
    for (const target of targets) {
      for (const key of PROTOTYPE_KEYS) {
        for (const search of [`${key}=1`, `service=api&${key}=1&${key}=2`, `service=api&tags=${key}%3Dx`, `service=api&groupBy=tag:${key}`]) {
          const full = target.extra ? `${search}&${target.extra}` : search;
          expect((await check(target.get, full)).problem, `${target.name} ?${full}`).toBeNull();
        }
      }
    }
  });
});

/** The route data set with hostile names: prototype keys as tag keys, a long service, long operations. */
const LONG_SERVICE = 'd'.repeat(600);
const LONG_OPERATION = 'b'.repeat(9_000);
const TOO_LONG_OPERATION = 'z'.repeat(20_000);
function hostileDataSet(): string {
  const set = buildRouteDataSet(1_700_000_000_000_000) as {
    data: {
      spans: { operationName: string; tags: { key: string; type: string; value: unknown }[] }[];
      processes: Record<string, { serviceName: string }>;
    }[];
  };
  for (const trace of set.data) {
    const p2 = trace.processes.p2;
    if (p2) p2.serviceName = LONG_SERVICE;
    for (const span of trace.spans) {
      if (span.operationName === 'GET /a')
        span.tags.push({ key: '__proto__', type: 'string', value: 'p' }, { key: 'constructor', type: 'string', value: 'c' });
      if (span.operationName === 'GET /b') span.operationName = LONG_OPERATION;
      if (span.operationName === 'call auth') span.operationName = TOO_LONG_OPERATION;
    }
  }
  return JSON.stringify(set);
}

describe('data with prototype keys and long names', () => {
  let source = '';
  const window = 'start=2023-11-14T00:00:00Z&end=2023-11-15T00:00:00Z';
  const fetchMetrics = async (search: string) => {
    const response = await metricsGet(`${search}&${window}&source=${source}`);
    expect(response.status, search.slice(0, 200)).toBe(200);
    return (await response.json()) as FullMetricsResponse;
  };

  beforeAll(async () => {
    const response = await upload(hostileDataSet());
    expect(response.status).toBe(201);
    source = ((await response.json()) as UploadResponse).upload.source;
  });

  it('filters on a tag keyed __proto__ or constructor (only the spans that carry it), never drops the filter', async () => {
    for (const [filter, count] of [
      ['tags=__proto__%3Dp', 30],
      ['tags=__proto__%3Dnope', 0],
      ['tags=constructor%3Dc', 30],
      ['tags=toString%3Dx', 0],
    ] as const) {
      const result = await fetchMetrics(`service=api&${filter}`);
      expect(result.spansCounted, filter).toBe(count);
    }
  });

  it('groups by a tag keyed __proto__ and keeps it in the group and slowest-span tag records', async () => {
    const result = await fetchMetrics('service=api&groupBy=tag:__proto__');
    const byValue = Object.fromEntries(
      result.groups.map((g) => [
        Object.entries(g.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(),
        g.count,
      ]),
    );
    expect(byValue).toEqual({ '__proto__=p': 30, '__proto__=(none)': 24 });
    const slowA = result.slowest.find((span) => span.operation === 'GET /a');
    expect(Object.entries(slowA?.tags ?? {})).toEqual(
      expect.arrayContaining([
        ['__proto__', 'p'],
        ['constructor', 'c'],
      ]),
    );
  });

  it('opens a 600-character service and builds a drill-down link for every group, however long its name', async () => {
    const result = await fetchMetrics(`service=${LONG_SERVICE}`);
    expect(result.groups.map((g) => g.service)).toEqual([LONG_SERVICE]);

    const api = await fetchMetrics('service=api');
    const query = parseDashboardQuery(`service=api&${window}&source=${source}`);
    const operations = api.groups.map((g) => g.operation);
    expect(operations).toEqual(expect.arrayContaining(['GET /a', LONG_OPERATION, TOO_LONG_OPERATION]));
    for (const group of api.groups) {
      const patch = drillDownPatch(query, group);
      const search = patchedQuerySearch(query, patch);
      if (group.operation === TOO_LONG_OPERATION) {
        // Over the bound: the link still exists, and the page it opens says why it cannot show it.
        expect(safeParseDashboardQuery(search)).toMatchObject({ ok: false, error: { field: 'operation' } });
      } else {
        expect(updateDashboardQuery(query, patch).operation).toBe(group.operation);
        const drilled = await fetchMetrics(`service=api&operation=${encodeURIComponent(group.operation ?? '')}`);
        expect(drilled.spansCounted).toBe(group.count);
      }
    }
  });
});
