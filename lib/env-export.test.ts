import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

const problem = (env: Record<string, string>): string => {
  try {
    parseEnv(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('SPANLENS_EXPORT* (the /metrics exporter)', () => {
  it('is off with nothing set, and has its documented defaults', () => {
    const env = parseEnv({});
    expect([
      env.SPANLENS_EXPORT,
      env.SPANLENS_EXPORT_INTERVAL_S,
      env.SPANLENS_EXPORT_SETTLE_S,
      env.SPANLENS_EXPORT_BACKFILL_S,
      env.SPANLENS_EXPORT_MAX_SPAN_S,
      env.SPANLENS_EXPORT_BUCKETS_MS,
      env.SPANLENS_EXPORT_MAX_LABEL_VALUES,
      env.SPANLENS_EXPORT_MAX_TRACKED_SPANS,
    ]).toEqual([undefined, 15, 30, 0, 120, undefined, 500, 200_000]);
  });

  it('reads the sets as a comma list, spaces and repeats allowed', () => {
    expect(parseEnv({ SPANLENS_EXPORT: ' spanmetrics, llm ,spanmetrics' }).SPANLENS_EXPORT).toEqual(['spanmetrics', 'llm']);
    expect(parseEnv({ SPANLENS_EXPORT_BUCKETS_MS: '0.5, 1,10' }).SPANLENS_EXPORT_BUCKETS_MS).toEqual([0.5, 1, 10]);
  });

  it.each([
    [{ SPANLENS_EXPORT: 'spanmetrics,metrics' }, 'SPANLENS_EXPORT must be a comma list of spanmetrics, llm, rules (not metrics)'],
    [{ SPANLENS_EXPORT: ',' }, 'SPANLENS_EXPORT must be a comma list of spanmetrics, llm, rules (not empty)'],
    [{ SPANLENS_EXPORT_INTERVAL_S: '0' }, 'SPANLENS_EXPORT_INTERVAL_S must be at least 1'],
    [{ SPANLENS_EXPORT_SETTLE_S: '2.5' }, 'SPANLENS_EXPORT_SETTLE_S must be a whole number'],
    [{ SPANLENS_EXPORT_BACKFILL_S: '-1' }, 'SPANLENS_EXPORT_BACKFILL_S must be 0 or more'],
    [
      { SPANLENS_EXPORT_BUCKETS_MS: '1,0.5' },
      'SPANLENS_EXPORT_BUCKETS_MS must be up to 100 increasing positive numbers of milliseconds, comma-separated, such as 0.5,1,5,10,100',
    ],
    [{ SPANLENS_EXPORT_MAX_LABEL_VALUES: 'lots' }, 'SPANLENS_EXPORT_MAX_LABEL_VALUES must be a whole number'],
  ])('refuses %j with one sentence', (env, sentence) => {
    expect(problem(env)).toBe(`Invalid Spanlens configuration:\n- ${sentence}`);
  });
});
