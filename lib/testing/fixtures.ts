/**
 * The real-world Jaeger responses in `../shared/fixtures/jaeger` (see its PROVENANCE.md), read in
 * place: they are not ours to copy into the repo. Where that folder is absent (a clone without the
 * shared checkout beside it) the suites that need it skip and say why, except in CI
 * (`CI=true`), where a missing folder is a broken checkout and the suites fail instead: a skip
 * there would let the fixture suites vanish from every run without anyone noticing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const sharedFixturesDir = resolve(repoRoot, '../shared/fixtures/jaeger');
export const sharedFixturesAvailable = existsSync(sharedFixturesDir);

/** What a suite needing the fixtures does: run them, skip (on a laptop) or fail (in CI). */
export type SharedFixturesPlan = 'run' | 'skip' | 'fail';

export function planSharedFixtureSuite(available: boolean, env: Readonly<Record<string, string | undefined>>): SharedFixturesPlan {
  if (available) return 'run';
  return env['CI'] === 'true' ? 'fail' : 'skip';
}

export function missingSharedFixturesMessage(dir: string): string {
  return `the shared Jaeger fixtures are not at ${dir} (check out the shared folder beside the repo so that ../shared/fixtures/jaeger exists)`;
}

/** The `.json` response files, sorted by name. */
export function sharedFixtureNames(): string[] {
  if (!sharedFixturesAvailable) return [];
  return readdirSync(sharedFixturesDir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function sharedFixturePath(name: string): string {
  return join(sharedFixturesDir, name);
}

export function readSharedFixture(name: string): unknown {
  return JSON.parse(readFileSync(sharedFixturePath(name), 'utf8')) as unknown;
}

/**
 * A `describe` for suites over fixtures in `dir`: runs when `dir` exists; otherwise skips and says
 * why, or, with `CI=true`, fails with one test that names where the fixtures were expected.
 */
export function describeWithFixturesAt(dir: string, env: Readonly<Record<string, string | undefined>> = process.env) {
  return (name: string, body: () => void): void => {
    const plan = planSharedFixtureSuite(existsSync(dir), env);
    if (plan === 'run') describe(name, body);
    else if (plan === 'skip') describe.skip(`${name} (skipped: ${missingSharedFixturesMessage(dir)})`, body);
    else {
      describe(name, () => {
        it('finds the shared fixtures it needs (CI=true: a missing folder fails instead of skipping)', () => {
          throw new Error(`CI=true but ${missingSharedFixturesMessage(dir)}`);
        });
      });
    }
  };
}

/** `describe` over the shared fixtures: runs them, skips saying why, or fails in CI (see above). */
export const describeWithSharedFixtures = describeWithFixturesAt(sharedFixturesDir);
