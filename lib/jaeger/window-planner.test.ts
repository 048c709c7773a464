import { describe, expect, it } from 'vitest';
import { defaultRequestBudget, firstRequest, keepFraction, planFollowUps, shareLimit, traceHash } from './window-planner.ts';

// A 1000 µs window, hand-checked; sub-windows may be 1 µs long here (the default minimum is 1 s).
const window = firstRequest(0, 1000, 100);
const options = { minSubWindowUs: 1 };

describe('firstRequest', () => {
  it('asks for the whole window at the full limit: one request when it comes back short', () => {
    expect(firstRequest(5, 1000, 100)).toEqual({ startUs: 5, endUs: 1000, limit: 100 });
  });

  it.each([
    [10, 10, 5],
    [10, 5, 5],
    [0, 10, 0],
    [0, 10, 2.5],
  ])('rejects start %i, end %i, limit %i', (startUs, endUs, limit) => {
    expect(() => firstRequest(startUs, endUs, limit)).toThrow(RangeError);
  });
});

describe('keepFraction', () => {
  it('is the share of the window a full answer reaching back to t0 covers', () => {
    expect(keepFraction(window, 800)).toBe(0.2);
    expect(keepFraction(window, 0)).toBe(1);
    expect(keepFraction(window, Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe('planFollowUps', () => {
  it('plans [start, t0) as sub-windows as long as the first stretch, sharing what the first answer did not keep', () => {
    // Full answer back to t0 = 800: stretch 200 µs, f = 0.2, 20 of its 100 traces kept (hash < 0.2).
    // Rest [0, 799]: ceil(799 / 200) = 4 sub-windows, boundaries round(799·i/4) = 200, 400 (399.5), 599.
    expect(planFollowUps(window, 800, 20, 16, options)).toEqual([
      { startUs: 0, endUs: 199, limit: 20 },
      { startUs: 200, endUs: 399, limit: 20 },
      { startUs: 400, endUs: 598, limit: 20 },
      { startUs: 599, endUs: 799, limit: 20 },
    ]);
  });

  it('stays within the request budget', () => {
    expect(planFollowUps(window, 800, 20, 2, options)).toEqual([
      { startUs: 0, endUs: 399, limit: 40 },
      { startUs: 400, endUs: 799, limit: 40 },
    ]);
    expect(planFollowUps(window, 800, 20, 0, options)).toEqual([]);
  });

  it('gives each sub-window at least minTracesPerSubWindow, down to one sub-window', () => {
    expect(planFollowUps(window, 800, 50, 16, options).map((sub) => sub.limit)).toEqual([25, 25]);
    expect(planFollowUps(window, 800, 90, 16, options)).toEqual([{ startUs: 0, endUs: 799, limit: 10 }]);
  });

  it('plans nothing when the first answer reached the start or kept the whole limit', () => {
    expect(planFollowUps(window, 1, 20, 16, options)).toEqual([]);
    expect(planFollowUps(window, 800, 100, 16, options)).toEqual([]);
  });

  it('keeps sub-windows at least minSubWindowUs long', () => {
    expect(planFollowUps(window, 800, 20, 16, { minSubWindowUs: 500 })).toEqual([{ startUs: 0, endUs: 799, limit: 80 }]);
  });

  it('on a busy hour (20,000 traces, limit 2,000) plans 9 follow-ups of ~6 minutes', () => {
    const hour = firstRequest(0, 3_600_000_000, 2000);
    const plan = planFollowUps(hour, 3_240_000_000, 200, 16);
    expect(plan).toHaveLength(9);
    expect(plan.map((sub) => sub.limit)).toEqual(shareLimit(1800, 9));
    expect(plan[8]?.endUs).toBe(3_239_999_999);
  });
});

describe('traceHash', () => {
  it('is deterministic, in [0, 1), and spread evenly over random trace IDs', () => {
    expect(traceHash('00000000000000000000000000000abc')).toBe(traceHash('00000000000000000000000000000abc'));
    let below = 0;
    for (let i = 0; i < 20_000; i++) {
      const id = (i * 2654435761).toString(16).padStart(32, '0');
      const hash = traceHash(id);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThan(1);
      if (hash < 0.3) below += 1;
    }
    expect(below / 20_000).toBeGreaterThan(0.28);
    expect(below / 20_000).toBeLessThan(0.32);
  });
});

describe('defaultRequestBudget', () => {
  it('is the first request plus 16 follow-ups', () => {
    expect(defaultRequestBudget()).toBe(17);
  });
});
