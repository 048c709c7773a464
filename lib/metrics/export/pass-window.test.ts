import { describe, expect, it } from 'vitest';
import { isDue, planPass, splitRange } from './pass-window.ts';

const S = 1_000_000;
const base = { settleUs: 30 * S, lateHorizonUs: 30 * S, maxSpanUs: 120 * S, floorUs: Number.NEGATIVE_INFINITY, tailStartUs: 0 };

describe('planPass', () => {
  it('counts ends in [cursor − late horizon, now − settle) and searches starts from max-span before that', () => {
    expect(planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_045 * S })).toEqual({
      countFromUs: 970 * S,
      toUs: 1_015 * S,
      cursorUs: 1_000 * S,
      search: { startUs: 850 * S, endUs: 1_015 * S - 1 },
    });
  });

  it('has nothing to do until the settled time passes the cursor', () => {
    expect(planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_030 * S })).toBeNull();
  });

  it('never counts before the tail started or below the ledger floor', () => {
    expect(planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_045 * S, tailStartUs: 990 * S })?.countFromUs).toBe(990 * S);
    expect(planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_045 * S, floorUs: 995 * S })?.countFromUs).toBe(995 * S);
  });
});

describe('isDue', () => {
  const plan = { countFromUs: 100, toUs: 200, cursorUs: 150, search: { startUs: 0, endUs: 199 } };
  it.each([
    [{ startUs: 50, durationUs: 50 }, true], // ends at 100: the first µs of the pass
    [{ startUs: 50, durationUs: 150 }, false], // ends at 200: the next pass's
    [{ startUs: 50, durationUs: 49 }, false],
  ])('%j → %s', (span, due) => {
    expect(isDue(plan, plan.search, span)).toBe(due);
  });

  it('takes a span only in the start range its start lies in', () => {
    expect(isDue(plan, { startUs: 60, endUs: 199 }, { startUs: 50, durationUs: 100 })).toBe(false);
  });
});

describe('splitRange', () => {
  it('halves an inclusive range into two that meet without overlap', () => {
    expect(splitRange({ startUs: 0, endUs: 10 * S }, S)).toEqual([
      { startUs: 0, endUs: 5 * S },
      { startUs: 5 * S + 1, endUs: 10 * S },
    ]);
  });

  it('refuses to split below twice the shortest width', () => {
    expect(splitRange({ startUs: 0, endUs: S }, S)).toBeNull();
  });
});
