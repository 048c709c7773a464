// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlowSpan } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { keyTagKeys, SlowestSpansTable, type SlowSpanRow } from './slowest-spans-table';

afterEach(cleanup);

let nextId = 1;
function aSlowSpan(tags: Record<string, string>, error = false): SlowSpan {
  const id = (nextId++).toString(16).padStart(16, '0');
  return {
    traceId: id.padStart(32, '0'),
    spanId: id,
    service: 'frontend',
    operation: 'HTTP GET /dispatch',
    startUs: 1_700_000_000_000_000,
    durationUs: 900_000,
    error,
    tags,
  };
}

// Every row shares client.address, http.request.method and the scope; they differ in route, status and error type.
const common = { 'client.address': '127.0.0.1', 'http.request.method': 'GET', 'otel.scope.name': 'net/http' };
const spans = [
  aSlowSpan({ ...common, 'http.route': '/dispatch', 'http.response.status_code': '200', 'net.peer.port': '5001' }),
  aSlowSpan({ ...common, 'http.route': '/customer', 'http.response.status_code': '500', 'error.type': 'Timeout', 'net.peer.port': '5002' }, true),
  aSlowSpan({ ...common, 'http.route': '/dispatch', 'http.response.status_code': '200', 'net.peer.port': '5003', 'zz.extra': 'x' }),
];

describe('keyTagKeys', () => {
  it('keeps the keys that differ between rows, preferred ones first, and skips constant ones', () => {
    expect(keyTagKeys(spans)).toEqual(['error.type', 'http.response.status_code', 'http.route', 'net.peer.port']);
  });

  it('counts a key present on some rows only as differing', () => {
    expect(keyTagKeys([{ tags: { a: '1', 'error.type': 'E' } }, { tags: { a: '1' } }])).toEqual(['error.type']);
  });

  it('shows nothing when every row has the same tags', () => {
    expect(keyTagKeys([{ tags: common }, { tags: common }])).toEqual([]);
  });

  it('ranks all keys of a single row, since nothing can differ', () => {
    expect(keyTagKeys([{ tags: { ...common, 'http.route': '/x' } }])).toEqual(['http.route', 'client.address', 'http.request.method']);
  });
});

describe('SlowestSpansTable', () => {
  it('shows per row the chosen keys it has, never the constant ones', () => {
    const rows: SlowSpanRow[] = spans.map((span) => ({ span, jaegerUrl: null }));
    render(<SlowestSpansTable rows={rows} />);
    const chips = screen.getAllByTestId(testIds.slowestRow).map((row) =>
      within(row)
        .queryAllByRole('listitem')
        .map((li) => li.textContent),
    );
    expect(chips).toEqual([
      ['http.response.status_code=200', 'http.route=/dispatch', 'net.peer.port=5001'],
      ['error.type=Timeout', 'http.response.status_code=500', 'http.route=/customer', 'net.peer.port=5002'],
      ['http.response.status_code=200', 'http.route=/dispatch', 'net.peer.port=5003'],
    ]);
  });
});
