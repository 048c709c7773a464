import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * lib/testing/jaeger-harness.ts is native ESM (import.meta), while Playwright loads config and specs
 * as CommonJS here (package.json has no "type": "module"); so the harness runs in its own Node process.
 */
const repoRoot = resolve(__dirname, '../..');
const harness = resolve(repoRoot, 'lib/testing/jaeger-harness.ts');

export interface HarnessEnv {
  readonly SPANLENS_TEST_JAEGER_URL: string;
  readonly SPANLENS_TEST_V3_ONLY_URL: string;
  readonly SPANLENS_TEST_OTLP_URL: string;
  readonly SPANLENS_TEST_SEED_MANIFEST: string;
}

/** The fixed URLs of the harness's `test` instance, read from the harness itself (nothing is started). */
export function harnessDefaults(): HarnessEnv {
  const script = `import(${JSON.stringify(harness)}).then((m) => process.stdout.write(JSON.stringify(m.harnessEnv())))`;
  const out = execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out) as HarnessEnv;
}

/** `jaeger-harness.ts up|down` as a child process, its log on our stderr. */
export function runHarness(command: 'up' | 'down'): void {
  execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', harness, command], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface SeedManifestFields {
  readonly runId: string;
  readonly anchorMs: number;
}

export function readManifest(): SeedManifestFields {
  const path = process.env['SPANLENS_TEST_SEED_MANIFEST'];
  if (!path) throw new Error('SPANLENS_TEST_SEED_MANIFEST is unset (playwright.config.ts sets it, or npm test does)');
  return JSON.parse(readFileSync(path, 'utf8')) as SeedManifestFields;
}
