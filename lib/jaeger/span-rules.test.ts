import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSpanMatcher, isErrorSpan } from '../metrics/span-match.ts';
import type { AggregationOptions } from '../metrics/types.ts';
import { aSpan, aTrace } from '../testing/span-builder.ts';
import { traceMatchesSearch } from './search-filter.ts';
import type { TraceSearch } from './source.ts';
import type { Span } from './span.ts';
import { compareCodeUnits, httpStatusOf, parseHttpStatus, spanMatchesQuery, spanTagValue, type SpanQuery } from './span-rules.ts';

// The span of Jaeger's memory_test.go TestFindTraces_WrongQuery (v1.76.0): service-x,
// test-general-conversion-2, starting 1485467191639875000 ns, ending 5 µs later, status ERROR,
// with the attributes its getQueryAttributes() asks for on the span, the resource and an event.
const START_US = 1_485_467_191_639_875;
const DURATION_US = 5;
const HOUR_US = 3_600_000_000;
const jaegerTestSpan = (): ReturnType<typeof aSpan> =>
  aSpan()
    .withService('service-x')
    .withOperation('test-general-conversion-2')
    .withStart(START_US)
    .withDuration(DURATION_US)
    .withTag('peer.service', 'service-y')
    .withTag('temperature', 72.5)
    .withTag('otel.status_code', 'ERROR')
    .withProcessTag('host.name', 'host-1')
    .withLog(START_US + 1, { 'event-x': 'event-y' });
const base: SpanQuery = { service: 'service-x', operation: 'test-general-conversion-2' };
const withStatus = (status: 'OK' | 'ERROR' | null): Span =>
  (status === null ? aSpan() : aSpan().withTag('otel.status_code', status)).withService('service-x').build();

describe('spanMatchesQuery', () => {
  // Expected values are what Jaeger's memory store answers (internal/storage/v2/memory at v1.76.0).
  it.each<[string, Span, SpanQuery, boolean]>([
    // memory_test.go TestNewStore_DefaultConfig: every query attribute present (bar the scope one: neither API returns scope attributes)
    [
      'TestNewStore_DefaultConfig: span, resource and event attributes and error=true together',
      jaegerTestSpan().build(),
      { ...base, tags: { 'peer.service': 'service-y', temperature: '72.5', error: 'true', 'event-x': 'event-y' } },
      true,
    ],
    // memory_test.go TestFindTraces_WrongQuery
    ['TestFindTraces_WrongQuery "wrong service-name"', jaegerTestSpan().build(), { ...base, service: 'wrongStringValue' }, false],
    ['TestFindTraces_WrongQuery "wrong tag"', jaegerTestSpan().build(), { ...base, tags: { wrongStringValue: 'wrongStringValue' } }, false],
    ['TestFindTraces_WrongQuery "wrong operation name"', jaegerTestSpan().build(), { ...base, operation: 'wrongStringValue' }, false],
    ['TestFindTraces_WrongQuery "wrong status code"', jaegerTestSpan().build(), { ...base, tags: { error: 'wrongStringValue' } }, false],
    ['TestFindTraces_WrongQuery "wrong min start time"', jaegerTestSpan().build(), { ...base, startUs: START_US + HOUR_US }, false],
    ['TestFindTraces_WrongQuery "wrong max start time"', jaegerTestSpan().build(), { ...base, endUs: START_US - HOUR_US }, false],
    ['TestFindTraces_WrongQuery "wrong min duration"', jaegerTestSpan().build(), { ...base, minDurationUs: DURATION_US + HOUR_US }, false],
    ['TestFindTraces_WrongQuery "wrong max duration"', jaegerTestSpan().build(), { ...base, maxDurationUs: DURATION_US - HOUR_US }, false],
    // memory_test.go TestFindTracesAttributesMatching, TestFindTraces_AttributesFoundInEvents
    [
      'TestFindTracesAttributesMatching "span-attributes"',
      aSpan().withTag('span-attributes', 'val').build(),
      { tags: { 'span-attributes': 'val' } },
      true,
    ],
    [
      'TestFindTracesAttributesMatching "resource-attributes"',
      aSpan().withProcessTag('resource-attributes', 'val').build(),
      { tags: { 'resource-attributes': 'val' } },
      true,
    ],
    [
      'TestFindTracesAttributesMatching "event-attributes"',
      aSpan().withLog(1, { 'event-attributes': 'val' }).build(),
      { tags: { 'event-attributes': 'val' } },
      true,
    ],
    ['TestFindTraces_AttributesFoundInEvents: a bool event attribute', aSpan().withLog(1, { key: true }).build(), { tags: { key: 'true' } }, true],
    // tenant.go findKeyValInTrace: span, scope, resource attributes, then events; any one matching is enough
    [
      'findKeyValInTrace: the span attribute differs, the resource attribute matches',
      aSpan().withTag('region', 'eu').withProcessTag('region', 'us').build(),
      { tags: { region: 'us' } },
      true,
    ],
    ['findKeyValInTrace: service.name is a resource attribute', jaegerTestSpan().build(), { tags: { 'service.name': 'service-x' } }, true],
    ['findKeyValInTrace: a key the span lacks everywhere', aSpan().withTag('region', 'eu').build(), { tags: { zone: 'eu' } }, false],
    // tenant.go matchAttributes: both sides compared with AsString()
    [
      'matchAttributes: the number 200 matches "200"',
      aSpan().withTag('http.status_code', 200).build(),
      { tags: { 'http.status_code': '200' } },
      true,
    ],
    [
      'matchAttributes: the number 200 does not match "200.0"',
      aSpan().withTag('http.status_code', 200).build(),
      { tags: { 'http.status_code': '200.0' } },
      false,
    ],
    ['matchAttributes: the bool true matches "true"', aSpan().withTag('cache.hit', true).build(), { tags: { 'cache.hit': 'true' } }, true],
    // memory_test.go TestFindTraces_StatusCode, TestFindTraces_ErrorStatusNotMatched; tenant.go validSpan on `error`
    ['TestFindTraces_StatusCode: error=true keeps status ERROR', withStatus('ERROR'), { tags: { error: 'true' } }, true],
    ['TestFindTraces_StatusCode: error=false keeps status OK', withStatus('OK'), { tags: { error: 'false' } }, true],
    ['TestFindTraces_StatusCode: error=false rejects status ERROR', withStatus('ERROR'), { tags: { error: 'false' } }, false],
    ['TestFindTraces_ErrorStatusNotMatched: error=true rejects status OK', withStatus('OK'), { tags: { error: 'true' } }, false],
    // Spanlens' one deliberate difference (span-rules.ts tagFilterMatches): Jaeger rejects UNSET for error=false.
    ['Spanlens: error=false keeps status UNSET, a span that is not an error', withStatus(null), { tags: { error: 'false' } }, true],
    ['validSpan: error=true rejects status UNSET', withStatus(null), { tags: { error: 'true' } }, false],
    ['validSpan: a legacy error=true tag is status ERROR', aSpan().withTag('error', true).build(), { tags: { error: 'true' } }, true],
    // tenant.go validSpan: duration < DurationMin and > DurationMax reject, so both bounds are inclusive; 0 is no bound
    ['validSpan: duration equal to the minimum', jaegerTestSpan().build(), { ...base, minDurationUs: DURATION_US }, true],
    ['validSpan: duration equal to the maximum', jaegerTestSpan().build(), { ...base, maxDurationUs: DURATION_US }, true],
    ['validSpan: duration one below the minimum', jaegerTestSpan().build(), { ...base, minDurationUs: DURATION_US + 1 }, false],
    ['validSpan: duration one above the maximum', jaegerTestSpan().build(), { ...base, maxDurationUs: DURATION_US - 1 }, false],
    ['validSpan: a zero maximum duration is no bound', jaegerTestSpan().build(), { ...base, maxDurationUs: 0 }, true],
    // tenant.go validSpan: startTime.Before(StartTimeMin) and .After(StartTimeMax) reject, so both ends are inclusive
    ['validSpan: start equal to the window start', jaegerTestSpan().build(), { ...base, startUs: START_US, endUs: START_US + 1 }, true],
    ['validSpan: start equal to the window end', jaegerTestSpan().build(), { ...base, startUs: START_US - 1, endUs: START_US }, true],
    ['validSpan: start one after the window end', jaegerTestSpan().build(), { ...base, startUs: START_US - 2, endUs: START_US - 1 }, false],
    // tenant.go validSpan `OperationName != ""`, validResource `ServiceName == ""`
    ['validSpan: an empty operation is any operation', jaegerTestSpan().build(), { ...base, operation: '' }, true],
    ['validResource: an empty service is any service', jaegerTestSpan().build(), { service: '' }, true],
  ])('%s → %s', (_, span, query, expected) => {
    expect(spanMatchesQuery(span, query)).toBe(expected);
  });
});

describe('isErrorSpan', () => {
  it.each<[string, Span, boolean, boolean]>([
    ['a server span with 500', aSpan().withKind('server').withTag('http.status_code', 500).withError().build(), false, true],
    ['a client span with 404, not opted in', aSpan().withKind('client').withTag('http.response.status_code', 404).build(), false, false],
    ['a client span with 404, opted in', aSpan().withKind('client').withTag('http.response.status_code', 404).build(), true, true],
    ['a client span with "404" as a string, opted in', aSpan().withKind('client').withTag('http.status_code', '404').build(), true, true],
    ['a client span with 302, opted in', aSpan().withKind('client').withTag('http.status_code', 302).build(), true, false],
    ['a server span with 404, opted in', aSpan().withKind('server').withTag('http.status_code', 404).build(), true, false],
  ])('%s (4xx opt-in %s) → %s', (_, span, optIn, expected) => {
    expect(isErrorSpan(span, optIn)).toBe(expected);
  });
});

describe('parseHttpStatus and httpStatusOf', () => {
  it('reads numbers and numeric strings, and answers 0 for anything else', () => {
    expect([parseHttpStatus(503), parseHttpStatus('503'), parseHttpStatus('n/a'), parseHttpStatus(true), parseHttpStatus(undefined)]).toEqual([
      503, 503, 0, 0, 0,
    ]);
  });

  it('takes the later of http.response.status_code and http.status_code, as the normaliser does', () => {
    const tags = [
      { key: 'http.response.status_code', value: 503 },
      { key: 'http.status_code', value: '200' },
    ];
    expect(httpStatusOf(tags)).toBe(200);
    expect(httpStatusOf([])).toBe(0);
  });
});

describe('spanTagValue', () => {
  it('reads a span tag, and with the process. prefix a process tag when the span has no such tag', () => {
    const span = aSpan().withTag('region', 'eu').withProcessTag('hostname', 'web-1').build();
    expect([spanTagValue(span, 'region'), spanTagValue(span, 'process.hostname'), spanTagValue(span, 'hostname')]).toEqual([
      'eu',
      'web-1',
      undefined,
    ]);
  });
});

describe('compareCodeUnits', () => {
  it('orders by UTF-16 code units, not locale: uppercase before lowercase, é after z', () => {
    expect(['b', 'é', 'a', 'Z', 'z'].sort(compareCodeUnits)).toEqual(['Z', 'a', 'b', 'z', 'é']);
    expect(compareCodeUnits('x', 'x')).toBe(0);
  });
});

describe('the trace search and the span counting agree', () => {
  const SERVICES = ['a', 'b'];
  const OPERATIONS = ['x', 'y'];
  const spanArb = fc.record({
    service: fc.constantFrom(...SERVICES),
    operation: fc.constantFrom(...OPERATIONS),
    startUs: fc.integer({ min: 0, max: 20 }),
    durationUs: fc.integer({ min: 0, max: 20 }),
    status: fc.constantFrom('OK', 'ERROR', null),
    region: fc.option(fc.constantFrom('eu', 'us', 1)),
    processRegion: fc.option(fc.constantFrom('eu', 'us')),
    logRegion: fc.option(fc.constantFrom('eu', 'us')),
  });
  const searchArb = fc.record({
    service: fc.constantFrom(...SERVICES, ''),
    operation: fc.option(fc.constantFrom(...OPERATIONS, ''), { nil: undefined }),
    startUs: fc.integer({ min: 0, max: 20 }),
    endUs: fc.integer({ min: 0, max: 20 }),
    minDurationUs: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    maxDurationUs: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    tags: fc.dictionary(fc.constantFrom('region', 'error'), fc.constantFrom('eu', 'us', '1', 'true', 'false'), { maxKeys: 2 }),
    limit: fc.constant(20),
  });

  const optionsFor = (search: TraceSearch): AggregationOptions => ({
    service: search.service,
    operation: search.operation,
    tags: search.tags,
    minDurationUs: search.minDurationUs,
    maxDurationUs: search.maxDurationUs,
    windowStartUs: search.startUs,
    windowEndUs: search.endUs,
  });

  it('keeps a trace exactly when some span of it is counted', () => {
    fc.assert(
      fc.property(fc.array(spanArb, { minLength: 1, maxLength: 5 }), searchArb, (specs, search) => {
        const spans = specs.map((s) => {
          let b = aSpan().withService(s.service).withOperation(s.operation).withStart(s.startUs).withDuration(s.durationUs);
          if (s.status !== null) b = b.withTag('otel.status_code', s.status);
          if (s.region !== null) b = b.withTag('region', s.region);
          if (s.processRegion !== null) b = b.withProcessTag('region', s.processRegion);
          if (s.logRegion !== null) b = b.withLog(s.startUs, { region: s.logRegion });
          return b.build();
        });
        const trace = aTrace(spans);
        expect(traceMatchesSearch(trace, search)).toBe(trace.spans.some(createSpanMatcher(optionsFor(search))));
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });
});
