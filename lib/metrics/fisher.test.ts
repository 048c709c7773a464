import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided, holmAdjust } from './fisher.ts';

/** n choose r in exact integers. */
function choose(n: number, r: number): bigint {
  let result = 1n;
  for (let i = 1; i <= r; i++) result = (result * BigInt(n - r + i)) / BigInt(i);
  return result;
}

/**
 * The definition, in exact rationals: the sum of every hypergeometric table probability with the
 * same margins that is at most the observed one × (1 + 1e-7) (R's relErr), over C(N, a+c).
 */
function fisherByEnumeration(a: number, b: number, c: number, d: number): number {
  const rowOne = a + b;
  const rowTwo = c + d;
  const columnOne = a + c;
  const weight = (x: number) => choose(rowOne, x) * choose(rowTwo, columnOne - x);
  const observed = weight(a);
  let sum = 0n;
  for (let x = Math.max(0, columnOne - rowTwo); x <= Math.min(columnOne, rowOne); x++) {
    const w = weight(x);
    if (w * 10_000_000n <= observed * 10_000_001n) sum += w;
  }
  const SCALE = 10n ** 40n;
  return Number((sum * SCALE) / choose(rowOne + rowTwo, columnOne)) / 1e40;
}

describe('fisherExactTwoSided', () => {
  it('gives the lady tasting tea p = 34/70 = 0.4857 (Fisher 1935: 3 of 4 cups right)', () => {
    // P(x) = C(4,x)·C(4,4−x)/C(8,4): 1, 16, 36, 16, 1 (/70); the tables no likelier than x = 3 are 0, 1, 3, 4.
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(34 / 70, 12);
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
  });

  it.each([
    // All four right: only the two extreme tables, 1/70 each.
    [[4, 0, 0, 4], 2 / 70],
    // [[10,0],[0,10]]: 2 / C(20,10).
    [[10, 0, 0, 10], 2 / 184_756],
    // The observed table is the most likely one: every table counts.
    [[2, 2, 2, 2], 1],
    // A margin of zero leaves one possible table.
    [[0, 5, 0, 7], 1],
    [[0, 0, 3, 4], 1],
  ] as const)('gives %j the hand-counted p = %f', ([a, b, c, d], expected) => {
    expect(fisherExactTwoSided(a, b, c, d)).toBeCloseTo(expected, 12);
  });

  it('equals the exact enumeration on any small table', () => {
    const count = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(count, count, count, count, (a, b, c, d) => {
        const expected = fisherByEnumeration(a, b, c, d);
        expect(Math.abs(fisherExactTwoSided(a, b, c, d) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(expected, 1e-300) + 1e-15);
      }),
      { seed: 13, numRuns: 400 },
    );
  });

  it.each([
    [120, 880, 60, 940],
    [1500, 500, 1450, 550],
    [3, 2997, 0, 3000],
    [700, 300, 650, 350],
  ] as const)('equals the exact enumeration on the large table [[%i, %i], [%i, %i]] (log-gamma beyond 1,024)', (a, b, c, d) => {
    const expected = fisherByEnumeration(a, b, c, d);
    expect(fisherExactTwoSided(a, b, c, d) / expected).toBeCloseTo(1, 7);
  });

  it('answers a number in [0, 1e-300), never NaN, where the probabilities underflow a double', () => {
    const p = fisherExactTwoSided(5000, 0, 0, 5000);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-300);
    expect(fisherExactTwoSided(400, 600, 600, 400)).toBeLessThan(1e-15);
  });
});

describe('holmAdjust', () => {
  it('multiplies the i-th smallest of m by m − i + 1, keeps the running maximum and caps at 1, in input order', () => {
    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});
