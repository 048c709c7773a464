/**
 * The real-world Jaeger responses in `../shared/fixtures/jaeger` (see its PROVENANCE.md), read in
 * place: they are not ours to copy into the repo. Where that folder is absent (a clone without the
 * shared checkout beside it) the suites that need it skip and say why.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const sharedFixturesDir = resolve(repoRoot, '../shared/fixtures/jaeger');
export const sharedFixturesAvailable = existsSync(sharedFixturesDir);
export const sharedFixturesSkipReason = `skipped: the shared Jaeger fixtures are not at ${sharedFixturesDir}`;

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

/** `describe` that runs only when the shared fixtures exist, and otherwise reports why it skipped. */
export function describeWithSharedFixtures(name: string, body: () => void): void {
  if (sharedFixturesAvailable) describe(name, body);
  else describe.skip(`${name} (${sharedFixturesSkipReason})`, body);
}
