import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHumanDuration, parseHumanDuration } from './duration.ts';

describe('parseHumanDuration', () => {
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
  ])('reads %s as %i µs', (text, us) => {
    expect(parseHumanDuration(text)).toBe(us);
  });

  it.each(['', 'ms', '10', '10 ms', '-5ms', '1e3ms', '10ns', '1,5s', '.5s', '5.s', '10MS'])('rejects %j', (text) => {
    expect(parseHumanDuration(text)).toBeNull();
  });
});

describe('formatHumanDuration', () => {
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
    expect(formatHumanDuration(us)).toBe(text);
  });

  it('writes every whole µs so that reading it back gives the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000_000 }), (us) => parseHumanDuration(formatHumanDuration(us)) === us),
      { numRuns: 2_000 },
    );
  });
});
