import { describe, expect, it } from 'vitest';
import { SpanLedger } from './span-ledger.ts';

describe('SpanLedger', () => {
  it('remembers counted spans until prune forgets those that ended before the horizon', () => {
    const ledger = new SpanLedger(100);
    ledger.add('t:a', 10);
    ledger.add('t:b', 20);
    ledger.prune(15);
    expect([ledger.has('t:a'), ledger.has('t:b'), ledger.size, ledger.floorUs]).toEqual([false, true, 1, Number.NEGATIVE_INFINITY]);
  });

  it('never holds more than its cap: past it the earliest-ending tenth goes and the floor rises past them', () => {
    const ledger = new SpanLedger(20);
    for (let i = 1; i <= 21; i += 1) ledger.add(`t:${i}`, i * 10);
    // 21 > 20: the 2 earliest (ceil(20 / 10)) ending at 10 and 20 are forgotten; floor = 21.
    expect([ledger.size, ledger.evicted, ledger.floorUs, ledger.has('t:2'), ledger.has('t:3')]).toEqual([19, 2, 21, false, true]);
    for (let i = 22; i <= 500; i += 1) ledger.add(`t:${i}`, i * 10);
    expect(ledger.size).toBeLessThanOrEqual(20);
  });

  it('forgets every span of an end time at once, so the floor never splits spans that ended together', () => {
    const ledger = new SpanLedger(10);
    for (let i = 0; i < 11; i += 1) ledger.add(`t:${i}`, 5);
    expect([ledger.size, ledger.floorUs]).toEqual([0, 6]);
  });
});
