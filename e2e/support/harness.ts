import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HarnessEnv } from '../../lib/testing/jaeger-harness.ts';

/**
 * lib/testing/jaeger-harness.ts is native ESM (import.meta), while Playwright loads config and specs
 * as CommonJS here (package.json has no "type": "module"); so the harness runs in its own Node process.
 */
const repoRoot = resolve(__dirname, '../..');
const harness = resolve(repoRoot, 'lib/testing/jaeger-harness.ts');

const contractNames = ['SPANLENS_TEST_JAEGER_URL', 'SPANLENS_TEST_V3_ONLY_URL', 'SPANLENS_TEST_OTLP_URL', 'SPANLENS_TEST_SEED_MANIFEST'] as const;

/** The `export NAME='value'` lines `up` prints for `eval`, read back (values are single-quoted, `'\''` inside). */
function parseExports(out: string): HarnessEnv {
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) env[match[1]] = match[2].replace(/'\\''/g, "'");
  }
  const missing = contractNames.filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0) throw new Error(`jaeger-harness.ts up printed no ${missing.join(', ')}:\n${out}`);
  return Object.fromEntries(contractNames.map((name) => [name, env[name]])) as unknown as HarnessEnv;
}

/**
 * `jaeger-harness.ts up` as a child process (its log on our stderr), on the ports in
 * SPANLENS_HARNESS_PORTS (./ports.ts puts them there); returns the contract variables it printed.
 * The `test` lock stays held until this process (the Playwright runner) exits.
 */
export function harnessUp(): HarnessEnv {
  const out = execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', harness, 'up'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, SPANLENS_HARNESS_LOCK_UNTIL_EXIT_OF: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return parseExports(out);
}

/** `jaeger-harness.ts down` as a child process, its log on our stderr. */
export function harnessDown(): void {
  execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', harness, 'down'], {
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
  if (!path) throw new Error('SPANLENS_TEST_SEED_MANIFEST is unset (e2e/global-setup.ts sets it, or npm test does)');
  return JSON.parse(readFileSync(path, 'utf8')) as SeedManifestFields;
}
