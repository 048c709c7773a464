import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCompactDuration, formatDuration, formatInstant, parseDuration, parseInstant } from './units.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250_000],
    ['1.5s', 1_500_000],
    ['1.005s', 1_005_000],
    ['500us', 500],
    ['500µs', 500],
    ['2m', 120_000_000],
    ['1h', 3_600_000_000],
    ['0ms', 0],
    ['0.5us', 1],
    [' 10ms ', 10_000],
    ['1h30m', 5_400_000_000],
    ['2d', 172_800_000_000],
    ['1w', 604_800_000_000],
    ['1m30s', 90_000_000],
    ['1s500ms', 1_500_000],
  ])('reads %s as %i µs', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it.each(['', 'ms', '10', '10 ms', '-5ms', '1e3ms', '10ns', '1,5s', '.5s', '5.s', '10MS', '1h 30m', '30m1', 'h1'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0us'],
    [999, '999us'],
    [1_000, '1ms'],
    [1_234, '1.234ms'],
    [250_000, '250ms'],
    [999_999, '999.999ms'],
    [1_000_000, '1s'],
    [1_500_000, '1.5s'],
    [1_000_001, '1000.001ms'],
    [120_000_000, '120s'],
  ])('writes %i µs as %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  it('writes every whole µs so that reading it back gives the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000_000 }), (us) => parseDuration(formatDuration(us)) === us),
      { numRuns: 2_000 },
    );
  });
});

describe('formatCompactDuration', () => {
  it.each([
    [3_600_000_000, '1h'],
    [5_400_000_000, '1h30m'],
    [86_400_000_000, '1d'],
    [90_000_000, '1m30s'],
    [300_000_000, '5m'],
    [1_500_000, '1.5s'],
    [59_000_000, '59s'],
  ])('writes %i µs as %s', (us, text) => {
    expect(formatCompactDuration(us)).toBe(text);
  });

  it('is read back exactly by parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400_000_000 }), (us) => parseDuration(formatCompactDuration(us)) === us),
      { numRuns: 2_000 },
    );
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-11-23', Date.UTC(2026, 10, 23) * 1_000],
    ['2026-11-23T09:00Z', Date.UTC(2026, 10, 23, 9) * 1_000],
    ['2026-11-23T09:00:00Z', Date.UTC(2026, 10, 23, 9) * 1_000],
    ['2026-11-23T09:00:00.250Z', (Date.UTC(2026, 10, 23, 9) + 250) * 1_000],
    ['2026-11-23T09:00:00.123456Z', (Date.UTC(2026, 10, 23, 9) + 123) * 1_000 + 456],
    ['2026-11-23T10:00:00+01:00', Date.UTC(2026, 10, 23, 9) * 1_000],
    ['2026-11-23 10:00:00+0100', Date.UTC(2026, 10, 23, 9) * 1_000],
    ['2026-11-23T04:00:00-05:00', Date.UTC(2026, 10, 23, 9) * 1_000],
  ])('reads %s as %i µs', (text, us) => {
    expect(parseInstant(text)).toBe(us);
  });

  it.each(['', 'now', '2026-11-23T09:00', '2026-11-23T09:00:00', '2026-02-30', '2026-13-01', '2026-11-23T25:00Z', '1700000000', '23/11/2026'])(
    'rejects %j',
    (text) => {
      expect(parseInstant(text)).toBeNull();
    },
  );

  it('reads back what formatInstant writes, µs digits included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), (us) => parseInstant(formatInstant(us)) === us),
      { numRuns: 2_000 },
    );
  });
});
