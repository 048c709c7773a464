import { describe, expect, it } from 'vitest';
import { isDue, planPass, searchPieces, splitRange } from './pass-window.ts';

const S = 1_000_000;
const base = { settleUs: 30 * S, lateHorizonUs: 30 * S, maxSpanUs: 120 * S, floorUs: Number.NEGATIVE_INFINITY, tailStartUs: 0 };

describe('planPass', () => {
  it('counts ends in [cursor − late horizon, now − settle) and searches starts from max-span before that', () => {
    expect(planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_045 * S })).toEqual({
      countFromUs: 970 * S,
      toUs: 1_015 * S,
      cursorUs: 1_000 * S,
      search: { startUs: 850 * S, endUs: 1_015 * S - 1, minDurationUs: 0 },
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
  const plan = { countFromUs: 100, toUs: 200, cursorUs: 150, search: { startUs: 0, endUs: 199, minDurationUs: 0 } };
  it.each([
    [{ startUs: 50, durationUs: 50 }, true], // ends at 100: the first µs of the pass
    [{ startUs: 50, durationUs: 150 }, false], // ends at 200: the next pass's
    [{ startUs: 50, durationUs: 49 }, false],
  ])('%j → %s', (span, due) => {
    expect(isDue(plan, plan.search, span)).toBe(due);
  });

  it('takes a span only in the start range its start lies in', () => {
    expect(isDue(plan, { startUs: 60, endUs: 199, minDurationUs: 0 }, { startUs: 50, durationUs: 100 })).toBe(false);
  });
});

describe('splitRange', () => {
  it('halves an inclusive range into two that meet without overlap', () => {
    expect(splitRange({ startUs: 0, endUs: 10 * S, minDurationUs: 7 }, S)).toEqual([
      { startUs: 0, endUs: 5 * S, minDurationUs: 7 },
      { startUs: 5 * S + 1, endUs: 10 * S, minDurationUs: 7 },
    ]);
  });

  it('refuses to split below twice the shortest width', () => {
    expect(splitRange({ startUs: 0, endUs: S, minDurationUs: 0 }, S)).toBeNull();
  });
});

describe('searchPieces', () => {
  it('searches the 10 s before the counted interval for any span, and further back only for spans long enough to reach it', () => {
    const plan = planPass({ ...base, cursorUs: 1_000 * S, nowUs: 1_045 * S });
    // countFrom 970 s, search from 850 s (max span 120 s) to 1015 s.
    expect(plan === null ? null : searchPieces(plan)).toEqual([
      { startUs: 960 * S, endUs: 1_015 * S - 1, minDurationUs: 0 },
      { startUs: 930 * S, endUs: 960 * S - 1, minDurationUs: 10 * S },
      { startUs: 850 * S, endUs: 930 * S - 1, minDurationUs: 40 * S },
    ]);
  });

  it('is one piece when the look-back is shorter than 10 s', () => {
    const plan = planPass({ ...base, maxSpanUs: 5 * S, cursorUs: 1_000 * S, nowUs: 1_045 * S });
    expect(plan === null ? null : searchPieces(plan)).toEqual([{ startUs: 965 * S, endUs: 1_015 * S - 1, minDurationUs: 0 }]);
  });
});
