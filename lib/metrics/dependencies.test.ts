import { describe, expect, it } from 'vitest';
import type { Span } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { aggregatorFromState, createAggregator } from './aggregator.ts';
import { uninstrumentedPeerOf } from './dependencies.ts';

const T0 = 1_700_000_000_000_000;
const window = { windowStartUs: T0, windowEndUs: T0 + 60_000_000 };

/**
 * frontend GET /dispatch (server, 10 ms)
 * ├─ frontend HTTP GET (client, 3000 µs) → customer GET /customer (server, 2600 µs): gap 400
 * │   └─ customer SELECT (client, db.system=mysql, no child, 2000 µs) → mysql (uninstrumented)
 * ├─ frontend HTTP GET (client, 2000 µs) → customer GET /customer (server, 1900 µs, error): gap 100
 * ├─ frontend publish (producer, server.address=broker:9092 and messaging.system=kafka, 50 µs) → broker:9092
 * ├─ frontend GET (client, peer.service=redis and db.system=redis-db, 30 µs, error) → redis
 * ├─ frontend HTTP GET (client, no peer tag, no child, 70 µs): no edge
 * └─ frontend cache lookup (internal, peer.service=memcached): no edge (not a client)
 */
function dispatchTrace(id: number): Span[] {
  const traceId = hexId(id, 32);
  const at = (offset: number) => T0 + offset;
  const root = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('GET /dispatch')
    .withKind('server')
    .withStart(at(0))
    .withDuration(10_000)
    .build();
  const client1 = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('HTTP GET')
    .withKind('client')
    .childOf(root)
    .withStart(at(100))
    .withDuration(3000)
    .build();
  const server1 = aSpan()
    .withTraceId(traceId)
    .withService('customer')
    .withOperation('GET /customer')
    .withKind('server')
    .childOf(client1)
    .withStart(at(300))
    .withDuration(2600)
    .build();
  const db = aSpan()
    .withTraceId(traceId)
    .withService('customer')
    .withOperation('SELECT')
    .withKind('client')
    .withTag('db.system', 'mysql')
    .childOf(server1)
    .withStart(at(400))
    .withDuration(2000)
    .build();
  const client2 = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('HTTP GET')
    .withKind('client')
    .childOf(root)
    .withStart(at(4000))
    .withDuration(2000)
    .build();
  const server2 = aSpan()
    .withTraceId(traceId)
    .withService('customer')
    .withOperation('GET /customer')
    .withKind('server')
    .withError()
    .childOf(client2)
    .withStart(at(4050))
    .withDuration(1900)
    .build();
  const publish = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('publish')
    .withKind('producer')
    .withTag('messaging.system', 'kafka')
    .withTag('server.address', 'broker:9092')
    .childOf(root)
    .withStart(at(7000))
    .withDuration(50)
    .build();
  const redis = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('GET')
    .withKind('client')
    .withTag('db.system', 'redis-db')
    .withTag('peer.service', 'redis')
    .withError()
    .childOf(root)
    .withStart(at(7100))
    .withDuration(30)
    .build();
  const anonymous = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('HTTP GET')
    .withKind('client')
    .childOf(root)
    .withStart(at(7200))
    .withDuration(70)
    .build();
  const internal = aSpan()
    .withTraceId(traceId)
    .withService('frontend')
    .withOperation('cache lookup')
    .withKind('internal')
    .withTag('peer.service', 'memcached')
    .childOf(root)
    .withStart(at(7300))
    .withDuration(10)
    .build();
  return [root, client1, server1, db, client2, server2, publish, redis, anonymous, internal];
}

describe('uninstrumentedPeerOf', () => {
  const client = () => aSpan().withKind('client');
  it('reads peer.service, db.system.name, db.system, server.address, messaging.system in that order', () => {
    expect(uninstrumentedPeerOf(client().withTag('server.address', 'h').withTag('db.system', 'pg').withTag('peer.service', 'billing').build())).toBe(
      'billing',
    );
    expect(uninstrumentedPeerOf(client().withTag('db.system', 'old').withTag('db.system.name', 'postgresql').build())).toBe('postgresql');
    expect(uninstrumentedPeerOf(client().withTag('server.address', 'h').withTag('db.system', 'mysql').build())).toBe('mysql');
    expect(uninstrumentedPeerOf(client().withTag('messaging.system', 'kafka').withTag('server.address', 'h').build())).toBe('h');
    expect(uninstrumentedPeerOf(aSpan().withKind('producer').withTag('messaging.system', 'kafka').build())).toBe('kafka');
  });
  it('is null for spans that are not client or producer, and for clients naming no peer', () => {
    expect(uninstrumentedPeerOf(aSpan().withKind('server').withTag('peer.service', 'x').build())).toBeNull();
    expect(uninstrumentedPeerOf(aSpan().withTag('peer.service', 'x').build())).toBeNull();
    expect(uninstrumentedPeerOf(client().withTag('peer.service', '').build())).toBeNull();
    expect(uninstrumentedPeerOf(client().build())).toBeNull();
  });
});

describe('dependencies: client−server gap and uninstrumented peers', () => {
  it('gives every edge its calls, errors, p95, gap p50/p95 and marks peers', () => {
    const aggregator = createAggregator(window, ['dependencies']);
    aggregator.addTrace(aTrace(dispatchTrace(1), hexId(1, 32)));
    const result = aggregator.finish();
    expect(result.serviceDependencies).toEqual([
      // Child durations 1900, 2600: p95 = the ⌈0.95·2⌉ = 2nd smallest; gaps 100, 400: p50 = 1st, p95 = 2nd.
      { parent: 'frontend', child: 'customer', calls: 2, errors: 1, p95Us: 2600, gapP50Us: 100, gapP95Us: 400 },
      { parent: 'customer', child: 'mysql (uninstrumented)', calls: 1, errors: 0, p95Us: 2000, peer: true },
      { parent: 'frontend', child: 'broker:9092 (uninstrumented)', calls: 1, errors: 0, p95Us: 50, peer: true },
      { parent: 'frontend', child: 'redis (uninstrumented)', calls: 1, errors: 1, p95Us: 30, peer: true },
    ]);
    expect(result.operationDependencies).toEqual([
      // frontend GET /dispatch → its 6 children inside frontend.
      { parent: 'frontend::GET /dispatch', child: 'frontend::HTTP GET', calls: 3, errors: 0, p95Us: 3000 },
      { parent: 'frontend::HTTP GET', child: 'customer::GET /customer', calls: 2, errors: 1, p95Us: 2600, gapP50Us: 100, gapP95Us: 400 },
      { parent: 'customer::GET /customer', child: 'customer::SELECT', calls: 1, errors: 0, p95Us: 2000 },
      { parent: 'customer::SELECT', child: 'mysql (uninstrumented)::SELECT', calls: 1, errors: 0, p95Us: 2000, peer: true },
      { parent: 'frontend::GET', child: 'redis (uninstrumented)::GET', calls: 1, errors: 1, p95Us: 30, peer: true },
      { parent: 'frontend::GET /dispatch', child: 'frontend::GET', calls: 1, errors: 1, p95Us: 30 },
      { parent: 'frontend::GET /dispatch', child: 'frontend::cache lookup', calls: 1, errors: 0, p95Us: 10 },
      { parent: 'frontend::GET /dispatch', child: 'frontend::publish', calls: 1, errors: 0, p95Us: 50 },
      { parent: 'frontend::publish', child: 'broker:9092 (uninstrumented)::publish', calls: 1, errors: 0, p95Us: 50, peer: true },
    ]);
  });

  it('gives no gap to a client whose child is of its own service, or a server child of a non-client', () => {
    const client = aSpan().withService('a').withOperation('call').withKind('client').withDuration(500).build();
    const sameService = aSpan().withService('a').withOperation('handle').withKind('server').childOf(client).withDuration(400).build();
    const internal = aSpan().withService('a').withOperation('work').withKind('internal').withDuration(300).build();
    const server = aSpan().withService('b').withOperation('handle').withKind('server').childOf(internal).withDuration(100).build();
    const aggregator = createAggregator(window, ['dependencies']);
    aggregator.addTrace(aTrace([client, sameService, internal, server], hexId(9, 32)));
    expect(aggregator.finish().serviceDependencies).toEqual([{ parent: 'a', child: 'b', calls: 1, errors: 0, p95Us: 100 }]);
  });

  it('merges and round-trips its state to the same answer as one aggregator', () => {
    const traces = [1, 2, 3].map((id) => aTrace(dispatchTrace(id), hexId(id, 32)));
    const whole = createAggregator(window, ['dependencies']);
    for (const trace of traces) whole.addTrace(trace);
    const left = createAggregator(window, ['dependencies']);
    left.addTrace(traces[0]!);
    const right = createAggregator(window, ['dependencies']);
    right.addTrace(traces[1]!);
    right.addTrace(traces[2]!);
    const rebuilt = aggregatorFromState(window, right.toState(), ['dependencies']);
    left.merge(rebuilt);
    const merged = left.finish();
    expect(merged).toEqual(whole.finish());
    expect(merged.serviceDependencies[0]).toEqual({
      parent: 'frontend',
      child: 'customer',
      calls: 6,
      errors: 3,
      p95Us: 2600,
      gapP50Us: 100,
      gapP95Us: 400,
    });
  });
});
