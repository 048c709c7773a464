import { describe, expect, it } from 'vitest';
import { buildSearchLink, buildSpanLink, buildTraceLink } from './jaeger-links.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('buildTraceLink', () => {
  it.each([
    ['http://localhost:16686', `http://localhost:16686/trace/${TRACE}`],
    ['http://localhost:16686/', `http://localhost:16686/trace/${TRACE}`],
    ['https://ops.example.com/jaeger', `https://ops.example.com/jaeger/trace/${TRACE}`],
    ['https://ops.example.com/tools/jaeger//', `https://ops.example.com/tools/jaeger/trace/${TRACE}`],
  ])('links into the UI at %s keeping its base path', (uiBase, expected) => {
    expect(buildTraceLink(uiBase, TRACE)).toBe(expected);
  });

  it('accepts a 64-bit trace ID as Jaeger returned it', () => {
    expect(buildTraceLink('http://j:16686', 'A3CE929D0E0E4736')).toBe('http://j:16686/trace/A3CE929D0E0E4736');
  });

  it.each([
    ['not hex', 'trace-123'],
    ['too long', `${TRACE}0`],
    ['empty', ''],
    ['a path', '../search'],
    ['markup', '"><script>'],
  ])('builds no link for a trace ID that is %s', (_, traceId) => {
    expect(buildTraceLink('http://localhost:16686', traceId)).toBeNull();
  });

  it.each([null, 'javascript:alert(1)', 'not a url'])('builds no link without a usable UI URL (%s)', (uiBase) => {
    expect(buildTraceLink(uiBase, TRACE)).toBeNull();
  });
});

describe('buildSpanLink', () => {
  it('opens the trace focused on the span with uiFind', () => {
    expect(buildSpanLink('https://ops.example.com/jaeger/', TRACE, SPAN)).toBe(`https://ops.example.com/jaeger/trace/${TRACE}?uiFind=${SPAN}`);
  });

  it.each(['span 1', `${SPAN}00`, 'zz', ''])('builds no link for the span ID %j', (spanId) => {
    expect(buildSpanLink('http://localhost:16686', TRACE, spanId)).toBeNull();
  });
});

describe('buildSearchLink', () => {
  it('prefills a search over the absolute window with tags as JSON', () => {
    expect(
      buildSearchLink('http://localhost:16686/jaeger', {
        service: 'frontend',
        operation: 'HTTP GET /dispatch',
        tags: { 'http.url': 'http://x:8080/a?b=c', error: 'true' },
        startUs: 1_763_888_400_000_000,
        endUs: 1_763_892_000_000_000,
        minDurationUs: 250_000,
        maxDurationUs: 1_500_000,
        limit: 50,
      }),
    ).toBe(
      'http://localhost:16686/jaeger/search?service=frontend&operation=HTTP%20GET%20%2Fdispatch' +
        '&tags=%7B%22error%22%3A%22true%22%2C%22http.url%22%3A%22http%3A%2F%2Fx%3A8080%2Fa%3Fb%3Dc%22%7D' +
        '&start=1763888400000000&end=1763892000000000&lookback=custom&minDuration=250ms&maxDuration=1.5s&limit=50',
    );
  });

  it('leaves out what the query does not set', () => {
    expect(buildSearchLink('http://localhost:16686', { service: 'api', startUs: 1, endUs: 2 })).toBe(
      'http://localhost:16686/search?service=api&start=1&end=2&lookback=custom',
    );
  });

  it('caps the limit at the UI search form maximum of 1500', () => {
    expect(buildSearchLink('http://j', { service: 's', startUs: 1, endUs: 2, limit: 5_000 })).toBe(
      'http://j/search?service=s&start=1&end=2&lookback=custom&limit=1500',
    );
  });

  it('encodes a service name that could break the query string', () => {
    expect(buildSearchLink('http://j', { service: 'a&b=c #d', startUs: 1, endUs: 2 })).toBe(
      'http://j/search?service=a%26b%3Dc%20%23d&start=1&end=2&lookback=custom',
    );
  });

  it('builds no link without a UI URL', () => {
    expect(buildSearchLink(null, { service: 'api', startUs: 1, endUs: 2 })).toBeNull();
  });
});
