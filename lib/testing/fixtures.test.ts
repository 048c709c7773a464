import { describe, expect, it } from 'vitest';
import { missingSharedFixturesMessage, planSharedFixtureSuite } from './fixtures.ts';

describe('planSharedFixtureSuite', () => {
  it.each([
    { available: true, env: {}, plan: 'run' },
    { available: true, env: { CI: 'true' }, plan: 'run' },
    { available: false, env: {}, plan: 'skip' },
    { available: false, env: { CI: '' }, plan: 'skip' },
    { available: false, env: { CI: 'false' }, plan: 'skip' },
    { available: false, env: { CI: 'true' }, plan: 'fail' },
  ] as const)('with fixtures present: $available and env $env, it plans to $plan', ({ available, env, plan }) => {
    expect(planSharedFixtureSuite(available, env)).toBe(plan);
  });
});

describe('missingSharedFixturesMessage', () => {
  it('says where the fixtures were expected', () => {
    expect(missingSharedFixturesMessage('/work/shared/fixtures/jaeger')).toBe(
      'the shared Jaeger fixtures are not at /work/shared/fixtures/jaeger (check out the shared folder beside the repo so that ../shared/fixtures/jaeger exists)',
    );
  });
});
