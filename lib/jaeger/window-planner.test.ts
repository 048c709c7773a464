import { describe, expect, it } from 'vitest';
import { defaultRequestBudget, planSubWindows, refineFullSubWindows, shareLimit, type SubWindow } from './window-planner.ts';

const HOUR_US = 3_600_000_000;
const T0 = 1_790_000_000_000_000;

const total = (windows: readonly SubWindow[]): number => windows.reduce((sum, window) => sum + window.limit, 0);

describe('shareLimit', () => {
  it.each([
    [2000, 8, [250, 250, 250, 250, 250, 250, 250, 250]],
    [10, 3, [4, 3, 3]],
    [7, 1, [7]],
    [1, 2, [1, 0]],
  ])('splits %i into %i shares that sum to it', (limit, parts, expected) => {
    expect(shareLimit(limit, parts)).toEqual(expected);
  });
});

describe('planSubWindows', () => {
  it('cuts a busy hour into 8 contiguous 7.5-minute sub-windows of 250 traces each', () => {
    const plan = planSubWindows(T0, T0 + HOUR_US, 2000);
    expect(plan).toHaveLength(8);
    expect(plan.map((window) => window.limit)).toEqual([250, 250, 250, 250, 250, 250, 250, 250]);
    expect(plan[0]?.startUs).toBe(T0);
    expect(plan[7]?.endUs).toBe(T0 + HOUR_US);
    for (const [index, window] of plan.entries()) {
      expect(window.endUs - window.startUs).toBe(450_000_000);
      if (index > 0) expect(window.startUs).toBe(plan[index - 1]?.endUs);
    }
  });

  it('never asks for more traces in total than the limit', () => {
    for (const limit of [1, 19, 20, 41, 99, 2000, 2001]) {
      expect(total(planSubWindows(T0, T0 + HOUR_US, limit))).toBe(limit);
    }
  });

  it('keeps at least 20 traces per sub-window, so a small limit gives fewer sub-windows', () => {
    expect(planSubWindows(T0, T0 + HOUR_US, 50).map((window) => window.limit)).toEqual([25, 25]);
    expect(planSubWindows(T0, T0 + HOUR_US, 19)).toEqual([{ startUs: T0, endUs: T0 + HOUR_US, limit: 19 }]);
  });

  it('keeps sub-windows at least one second long', () => {
    const plan = planSubWindows(T0, T0 + 3_500_000, 2000);
    expect(plan.map((window) => window.endUs - window.startUs)).toEqual([1_166_667, 1_166_666, 1_166_667]);
    expect(plan.map((window) => window.limit)).toEqual([667, 667, 666]);
  });

  it('honours the initial sub-window option', () => {
    expect(planSubWindows(T0, T0 + HOUR_US, 100, { initialSubWindows: 4, minTracesPerSubWindow: 5 })).toHaveLength(4);
  });

  it.each([
    [T0, T0, 10],
    [T0 + 1, T0, 10],
    [T0, T0 + HOUR_US, 0],
    [T0, T0 + HOUR_US, 2.5],
  ])('refuses the window %i..%i with limit %d', (startUs, endUs, limit) => {
    expect(() => planSubWindows(startUs, endUs, limit)).toThrow(RangeError);
  });
});

describe('defaultRequestBudget', () => {
  it('allows three more rounds of the first round’s size', () => {
    expect(defaultRequestBudget(8)).toBe(32);
  });
});

describe('refineFullSubWindows', () => {
  const window = (startS: number, endS: number, limit: number): SubWindow => ({
    startUs: T0 + startS * 1_000_000,
    endUs: T0 + endS * 1_000_000,
    limit,
  });

  it('splits a full sub-window in two halves sharing its limit plus the spare traces', () => {
    const full = window(0, 60, 100);
    const refinement = refineFullSubWindows([full], 40, 10);
    expect(refinement.children).toEqual([window(0, 30, 70), window(30, 60, 70)]);
    expect(refinement.kept).toEqual([]);
    expect(refinement.spareUsed).toBe(40);
  });

  it('splits the longest full sub-windows first when the budget covers only some', () => {
    const short = window(0, 10, 100);
    const long = window(10, 70, 100);
    const refinement = refineFullSubWindows([short, long], 0, 3);
    expect(refinement.children).toEqual([window(10, 40, 50), window(40, 70, 50)]);
    expect(refinement.kept).toEqual([short]);
  });

  it('keeps a full sub-window when no requests are left', () => {
    const full = window(0, 60, 100);
    expect(refineFullSubWindows([full], 500, 1)).toEqual({ children: [], kept: [full], spareUsed: 0 });
  });

  it('keeps a full sub-window whose halves would be shorter than a second', () => {
    const full = window(0, 1.5, 100);
    expect(refineFullSubWindows([full], 0, 10).kept).toEqual([full]);
  });

  it('keeps a full sub-window whose halves would ask for fewer than 20 traces', () => {
    const full = window(0, 60, 30);
    expect(refineFullSubWindows([full], 0, 10)).toEqual({ children: [], kept: [full], spareUsed: 0 });
  });

  it('divides the spare traces evenly among the splits', () => {
    const a = window(0, 60, 100);
    const b = window(60, 120, 100);
    const refinement = refineFullSubWindows([a, b], 101, 10);
    expect(refinement.children.map((child) => child.limit)).toEqual([75, 75, 75, 75]);
    expect(refinement.spareUsed).toBe(100);
  });
});
