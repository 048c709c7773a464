import { describe, expect, it } from 'vitest';
import { aSpan, aTrace } from '../testing/span-builder.ts';
import { spanMatchesSearch, traceMatchesSearch } from './search-filter.ts';
import type { TraceSearch } from './source.ts';

const search: TraceSearch = { service: 'frontend', tags: {}, startUs: 1_000, endUs: 2_000, limit: 10 };

describe('spanMatchesSearch', () => {
  it.each([
    ['the service, in the window', {}, true],
    ['another operation', { operation: 'POST' }, false],
    ['the same operation', { operation: 'GET' }, true],
    ['a minimum duration above the span', { minDurationUs: 501 }, false],
    ['a maximum duration at the span', { maxDurationUs: 500 }, true],
    ['a window that starts after the span', { startUs: 1_501 }, false],
    ['a tag it has, as a string', { tags: { 'http.status_code': '503' } }, true],
    ['a tag value it does not have', { tags: { 'http.status_code': '200' } }, false],
    ['a process tag it has', { tags: { hostname: 'web-1' } }, true],
    ['error=true on an error span', { tags: { error: 'true' } }, true],
    ['error=false on an error span', { tags: { error: 'false' } }, false],
  ] as const)('a span against %s: %s', (_, override, expected) => {
    const span = aSpan()
      .withService('frontend')
      .withOperation('GET')
      .withStart(1_500)
      .withDuration(500)
      .withTag('http.status_code', 503)
      .withProcessTag('hostname', 'web-1')
      .withError(true)
      .build();
    expect(spanMatchesSearch(span, { ...search, ...override })).toBe(expected);
  });
});

describe('traceMatchesSearch', () => {
  it('keeps a trace when one span meets every condition, not when they are spread over spans', () => {
    const get = aSpan().withService('frontend').withOperation('GET').withStart(1_500).build();
    const tagged = aSpan().withService('frontend').withOperation('POST').withStart(1_500).withTag('region', 'eu').build();
    const trace = aTrace([get, tagged]);
    expect(traceMatchesSearch(trace, { ...search, operation: 'POST', tags: { region: 'eu' } })).toBe(true);
    expect(traceMatchesSearch(trace, { ...search, operation: 'GET', tags: { region: 'eu' } })).toBe(false);
  });
});
