import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import type { Span, Trace } from '../jaeger/span.ts';
import { parseDependenciesQuery } from '../query/dashboard-query.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { computeDependencies } from './dependencies-service.ts';
import type { ResolvedSource } from './sources.ts';

const T0 = 1_700_000_000_000_000;
const WINDOW = { start: new Date(T0 / 1000).toISOString(), end: new Date(T0 / 1000 + 60_000).toISOString() };

/**
 * T1: frontend GET /dispatch → frontend HTTP GET (client 1000 µs) → customer GET /customer (server 800 µs, gap 200)
 *       → customer SELECT (client, db.system=postgresql, 300 µs, no child)
 * T2: frontend GET /dispatch → frontend HTTP GET (client 500) → customer GET /customer (server 450, error, gap 50)
 *                            → frontend HTTP GET (client 2100) → driver FindNearest (server 2000, gap 100)
 */
function traces(): Trace[] {
  const span = (traceId: string, service: string, operation: string, kind: Span['kind'], durationUs: number, parent?: Span) => {
    const builder = aSpan()
      .withTraceId(traceId)
      .withService(service)
      .withOperation(operation)
      .withStart(T0 + 1_000_000)
      .withDuration(durationUs);
    if (kind !== null) builder.withKind(kind);
    if (parent) builder.childOf(parent);
    return builder;
  };
  const t1 = hexId(1, 32);
  const root1 = span(t1, 'frontend', 'GET /dispatch', 'server', 5000).build();
  const client1 = span(t1, 'frontend', 'HTTP GET', 'client', 1000, root1).build();
  const server1 = span(t1, 'customer', 'GET /customer', 'server', 800, client1).build();
  const db = span(t1, 'customer', 'SELECT', 'client', 300, server1).withTag('db.system', 'postgresql').build();
  const t2 = hexId(2, 32);
  const root2 = span(t2, 'frontend', 'GET /dispatch', 'server', 5000).build();
  const client2 = span(t2, 'frontend', 'HTTP GET', 'client', 500, root2).build();
  const server2 = span(t2, 'customer', 'GET /customer', 'server', 450, client2).withError().build();
  const client3 = span(t2, 'frontend', 'HTTP GET', 'client', 2100, root2).build();
  const driver = span(t2, 'driver', 'FindNearest', 'server', 2000, client3).build();
  return [aTrace([root1, client1, server1, db], t1), aTrace([root2, client2, server2, client3, driver], t2)];
}

const resolved: ResolvedSource = { source: createFileSource(traces()), info: { mode: 'upload', label: 'test' }, jaegerUiUrl: null };
const context = { nowMs: T0 / 1000 + 60_000, maxTraces: 2_000 };
const ask = (params: Record<string, string>) => computeDependencies(parseDependenciesQuery({ ...WINDOW, ...params }), resolved, context);

describe('computeDependencies', () => {
  it('searches every service and counts each trace once, though three searches return it', async () => {
    const answer = await ask({});
    expect(answer.servicesSearched).toBe(3);
    expect(answer.traces).toBe(2);
    // frontend's, customer's and driver's searches: 2 + 2 + 1 traces fetched, 2 aggregated.
    expect(answer.coverage.tracesFetched).toBe(5);
    expect(answer.level).toBe('service');
    expect(answer.edges).toEqual([
      // Callee durations 800, 450 → p95 = 2nd smallest = 800; gaps 200, 50 → p50 50, p95 200; 2 calls over 60 s.
      {
        parent: 'frontend',
        child: 'customer',
        calls: 2,
        errors: 1,
        callsPerSecond: 2 / 60,
        errorRate: 0.5,
        p95Us: 800,
        gapP50Us: 50,
        gapP95Us: 200,
        peer: false,
        callers: [{ operation: 'HTTP GET', calls: 2 }],
      },
      {
        parent: 'customer',
        child: 'postgresql (uninstrumented)',
        calls: 1,
        errors: 0,
        callsPerSecond: 1 / 60,
        errorRate: 0,
        p95Us: 300,
        gapP50Us: null,
        gapP95Us: null,
        peer: true,
        callers: [{ operation: 'SELECT', calls: 1 }],
      },
      {
        parent: 'frontend',
        child: 'driver',
        calls: 1,
        errors: 0,
        callsPerSecond: 1 / 60,
        errorRate: 0,
        p95Us: 2000,
        gapP50Us: 100,
        gapP95Us: 100,
        peer: false,
        callers: [{ operation: 'HTTP GET', calls: 1 }],
      },
    ]);
  });

  it('with service searches that service only and keeps the edges touching it', async () => {
    const answer = await ask({ service: 'driver' });
    expect(answer.servicesSearched).toBe(1);
    expect(answer.traces).toBe(1);
    expect(answer.edges.map(({ parent, child, calls }) => ({ parent, child, calls }))).toEqual([{ parent: 'frontend', child: 'driver', calls: 1 }]);
  });

  it('at operation level gives {service, operation} nodes around the service', async () => {
    const answer = await ask({ service: 'customer', level: 'operation' });
    expect(answer.level).toBe('operation');
    expect(answer.edges.map(({ parent, child, calls, gapP95Us, peer }) => ({ parent, child, calls, gapP95Us, peer }))).toEqual([
      {
        parent: { service: 'frontend', operation: 'HTTP GET' },
        child: { service: 'customer', operation: 'GET /customer' },
        calls: 2,
        gapP95Us: 200,
        peer: false,
      },
      {
        parent: { service: 'customer', operation: 'GET /customer' },
        child: { service: 'customer', operation: 'SELECT' },
        calls: 1,
        gapP95Us: null,
        peer: false,
      },
      {
        parent: { service: 'customer', operation: 'SELECT' },
        child: { service: 'postgresql (uninstrumented)', operation: 'SELECT' },
        calls: 1,
        gapP95Us: null,
        peer: true,
      },
    ]);
  });

  it('rejects an unknown level naming the param', () => {
    expect(() => parseDependenciesQuery({ level: 'span' })).toThrow(/level must be one of service, operation/);
  });
});
