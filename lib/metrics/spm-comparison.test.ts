import { describe, expect, it } from 'vitest';
import { compareWithSpm, disagrees, foldSpmRows, relativeDifference, type ExactNumbers, type SpmNumbers } from './spm-comparison.ts';

const exact = (ratePerSecond: number, errorRate: number, p50Us: number | null, p95Us: number | null): ExactNumbers => ({
  ratePerSecond,
  errorRate,
  p50Us,
  p95Us,
});
const spm = (ratePerSecond: number | null, errorRate: number | null, p50Us: number | null, p95Us: number | null): SpmNumbers => ({
  ratePerSecond,
  errorRate,
  p50Us,
  p95Us,
});

describe('relativeDifference', () => {
  it.each([
    { exact: 100, spm: 107, expected: 0.07 },
    { exact: 2_000, spm: 1_000, expected: -0.5 },
    { exact: 0, spm: 0, expected: 0 },
    { exact: 0, spm: 0.2, expected: Infinity },
    { exact: 5, spm: null, expected: null },
    { exact: null, spm: 5, expected: null },
  ])('($spm − $exact) / $exact = $expected', ({ exact: e, spm: s, expected }) => {
    const difference = relativeDifference(e, s);
    if (expected === null || !Number.isFinite(expected)) expect(difference).toBe(expected);
    else expect(difference).toBeCloseTo(expected, 12);
  });
});

describe('disagrees', () => {
  it.each([
    [0.1, false],
    [0.1001, true],
    [-0.25, true],
    [null, false],
    [Infinity, true],
  ])('%s → %s (more than 10 % apart)', (difference, expected) => {
    expect(disagrees(difference)).toBe(expected);
  });
});

describe('compareWithSpm', () => {
  it('matches rows by name, exact order first, then SPM-only names sorted', () => {
    const rows = compareWithSpm(
      [
        { name: 'b', numbers: exact(2, 0.5, 1_000, 4_000) },
        { name: 'a', numbers: exact(1, 0, 900, null) },
      ],
      [
        { name: 'z', numbers: spm(3, 0, 10, 20) },
        { name: 'b', numbers: spm(2.2, 0.5, 1_900, 4_000) },
        { name: 'c', numbers: spm(1, null, null, null) },
      ],
    );
    expect(rows.map((row) => row.name)).toEqual(['b', 'a', 'c', 'z']);
    const [b, a] = rows;
    expect(b?.differences.ratePerSecond).toBeCloseTo(0.1, 12);
    expect(b?.differences.errorRate).toBe(0);
    expect(b?.differences.p50Us).toBeCloseTo(0.9, 12);
    expect(b?.differences.p95Us).toBe(0);
    expect(a?.spm).toBeNull();
    expect(a?.differences).toEqual({ ratePerSecond: null, errorRate: null, p50Us: null, p95Us: null });
    expect(rows[2]?.exact).toBeNull();
  });
});

describe('foldSpmRows', () => {
  it('adds rates, weights error rates by rate and drops percentiles of merged names', () => {
    const rows = foldSpmRows([
      { service: 's', operation: 'GET /items/1', ratePerSecond: 3, errorRate: 0, p50Us: 1_000, p95Us: 2_000 },
      { service: 's', operation: 'GET /items/22', ratePerSecond: 1, errorRate: 1, p50Us: 5_000, p95Us: 9_000 },
      { service: 's', operation: 'GET /health', ratePerSecond: 0.5, errorRate: 0, p50Us: 100, p95Us: 200 },
    ]);
    expect(rows).toEqual([
      // (3·0 + 1·1) / 4 = 0.25
      { service: 's', operation: 'GET /items/{id}', ratePerSecond: 4, errorRate: 0.25, p50Us: null, p95Us: null },
      { service: 's', operation: 'GET /health', ratePerSecond: 0.5, errorRate: 0, p50Us: 100, p95Us: 200 },
    ]);
  });

  it('leaves per-service rows alone', () => {
    const row = { service: 'orders-12345678', operation: null, ratePerSecond: 1, errorRate: 0, p50Us: 1, p95Us: 2 };
    expect(foldSpmRows([row])).toEqual([row]);
  });
});
