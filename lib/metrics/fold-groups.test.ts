import { describe, expect, it } from 'vitest';
import type { Span } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { aggregateTraces, createAggregator } from './aggregator.ts';
import { createSpanMatcher } from './span-match.ts';
import type { AggregationOptions } from './types.ts';

/** Groups with `foldNames` (the dashboard's `fold=1`): one group per folded name, the raw names merged counted. */

const SECOND = 1_000_000;
const T0 = 1_700_000_000 * SECOND;
const window: AggregationOptions = { windowStartUs: T0, windowEndUs: T0 + 60 * SECOND, service: 'shop' };

const span = (operation: string, durationUs: number, error = false): Span =>
  aSpan().withService('shop').withOperation(operation).withStart(T0).withDuration(durationUs).withError(error).build();

const spans = [
  span('GET /items/1', 100),
  span('GET /items/1', 300),
  span('GET /items/22', 200, true),
  span('GET /items/333', 400),
  span('GET /health', 50),
];
const traces = spans.map((s, i) => aTrace([s], hexId(i + 1, 32)));

describe('groups with foldNames', () => {
  it('puts every ID-laden name of a route in one group and counts the raw names it merged', () => {
    const result = aggregateTraces(traces, { ...window, foldNames: true });
    const byOperation = Object.fromEntries(result.groups.map((g) => [g.operation, g]));
    expect(Object.keys(byOperation).sort()).toEqual(['GET /health', 'GET /items/{id}']);
    const items = byOperation['GET /items/{id}'];
    expect(items).toMatchObject({ count: 4, errorCount: 1, errorRate: 0.25, foldedNames: 3 });
    // nearest rank over 100, 200, 300, 400: p50 = 2nd, p95 = 4th
    expect(items?.durations.p50.valueUs).toBe(200);
    expect(items?.durations.p95.valueUs).toBe(400);
    expect(byOperation['GET /health']?.foldedNames).toBe(0);
  });

  it('keeps raw names and says nothing of folding without it', () => {
    const result = aggregateTraces(traces, window);
    expect(result.groups.map((g) => g.operation).sort()).toEqual(['GET /health', 'GET /items/1', 'GET /items/22', 'GET /items/333']);
    expect(result.groups.every((g) => g.foldedNames === undefined)).toBe(true);
  });

  it('counts each raw name once across merged aggregators (worker threads)', () => {
    const first = createAggregator({ ...window, foldNames: true }, ['groups']);
    const second = createAggregator({ ...window, foldNames: true }, ['groups']);
    traces.slice(0, 2).forEach((trace) => first.addTrace(trace));
    traces.slice(2).forEach((trace) => second.addTrace(trace));
    first.mergeState(second.toState());
    const items = first.finish().groups?.find((g) => g.operation === 'GET /items/{id}');
    expect(items).toMatchObject({ count: 4, foldedNames: 3 });
  });
});

describe('createSpanMatcher with foldNames', () => {
  it('matches a folded operation by folding, and a raw one as it is', () => {
    const folded = createSpanMatcher({ ...window, foldNames: true, operation: 'GET /items/{id}' });
    expect(spans.map(folded)).toEqual([true, true, true, true, false]);
    const raw = createSpanMatcher({ ...window, foldNames: true, operation: 'GET /items/1' });
    expect(spans.map(raw)).toEqual([true, true, false, false, false]);
  });

  it('takes a folded name literally without foldNames (no span is called that)', () => {
    expect(spans.map(createSpanMatcher({ ...window, operation: 'GET /items/{id}' }))).toEqual([false, false, false, false, false]);
  });
});
