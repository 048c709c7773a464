/**
 * A small legacy /api/traces export with exactly known numbers, for the route suite (demo file and
 * uploads). 50 traces over the 25 minutes before `endUs`, each a server span of `api` with a `db` child:
 *   api  GET /a        30 spans, 3 errors (error=true), durations 1…30 ms
 *   api  GET /b        20 spans, 0 errors, durations 2…40 ms
 *   api  call auth      4 client spans answered 404 (errors only with clientErrors=1), 5 ms each
 *   db   SELECT        50 spans, 0 errors, 500 µs each
 */
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export const ROUTE_DATA_EXPECTED = {
  'GET /a': { count: 30, errors: 3, p50Us: 15_000 },
  'GET /b': { count: 20, errors: 0, p50Us: 20_000 },
  'call auth': { count: 4, errors: 0, errorsWithClient4xx: 4 },
} as const;

export function buildRouteDataSet(endUs: number): { data: unknown[] } {
  const data: unknown[] = [];
  for (let i = 0; i < 50; i += 1) {
    const traceID = hex(i + 1, 32);
    const rootID = hex(1000 + i, 16);
    const startTime = endUs - 25 * 60_000_000 + i * 30_000_000;
    const isA = i < 30;
    const duration = isA ? (i + 1) * 1_000 : (i - 29) * 2_000;
    const spans: unknown[] = [
      {
        traceID,
        spanID: rootID,
        operationName: isA ? 'GET /a' : 'GET /b',
        references: [],
        startTime,
        duration,
        tags: [
          { key: 'span.kind', type: 'string', value: 'server' },
          { key: 'http.route', type: 'string', value: isA ? '/a' : '/b' },
          ...(isA && i % 10 === 0 ? [{ key: 'error', type: 'bool', value: true }] : []),
        ],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID,
        spanID: hex(2000 + i, 16),
        operationName: 'SELECT',
        references: [{ refType: 'CHILD_OF', traceID, spanID: rootID }],
        startTime: startTime + 100,
        duration: 500,
        tags: [{ key: 'span.kind', type: 'string', value: 'server' }],
        logs: [],
        processID: 'p2',
        warnings: null,
      },
    ];
    if (!isA && i % 5 === 0) {
      spans.push({
        traceID,
        spanID: hex(3000 + i, 16),
        operationName: 'call auth',
        references: [{ refType: 'CHILD_OF', traceID, spanID: rootID }],
        startTime: startTime + 200,
        duration: 5_000,
        tags: [
          { key: 'span.kind', type: 'string', value: 'client' },
          { key: 'http.status_code', type: 'int64', value: 404 },
        ],
        logs: [],
        processID: 'p1',
        warnings: null,
      });
    }
    data.push({
      traceID,
      spans,
      processes: {
        p1: { serviceName: 'api', tags: [{ key: 'hostname', type: 'string', value: 'host-1' }] },
        p2: { serviceName: 'db', tags: [] },
      },
      warnings: null,
    });
  }
  return { data };
}
