/**
 * The real-Jaeger test harness: starts (fresh) or stops the `test` Jaeger instance through
 * scripts/jaeger-up.sh / jaeger-down.sh with the ports reserved for tests, plus the v3-only proxy,
 * seeds it with the deterministic workload (scripts/seed.ts) and HotROD traffic (scripts/hotrod.sh),
 * and hands tests the contract env vars. Also a CLI for scripts/test-all.sh:
 *
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts up     # fresh instance, seed, HotROD
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts env    # exports for a running one
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts down
 *
 * `up` and `env` print only `export NAME='value'` lines on stdout (logs go to stderr), for `eval`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSeed, type SeedManifest } from '../../scripts/seed.ts';

export const TEST_JAEGER = {
  name: 'test',
  queryPort: 26686,
  grpcPort: 26685,
  otlpHttpPort: 24318,
  otlpGrpcPort: 24317,
  v3OnlyPort: 26687,
  /** HotROD frontend; customer, driver and route take the next three ports. */
  hotrodPortBase: 28080,
} as const;

/** HotROD traffic the harness drives: valid customers cycle 123/392/567/731; invalid ones fail in HotROD. */
export const TEST_HOTROD_TRAFFIC = { validRequests: 20, invalidRequests: 3 } as const;

export interface HarnessManifest extends SeedManifest {
  readonly hotrod: { readonly validRequests: number; readonly invalidRequests: number; readonly durationMs: number } | null;
}

export interface HarnessEnv {
  readonly SPANLENS_TEST_JAEGER_URL: string;
  readonly SPANLENS_TEST_V3_ONLY_URL: string;
  readonly SPANLENS_TEST_OTLP_URL: string;
  readonly SPANLENS_TEST_SEED_MANIFEST: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const runDir = join(process.env['SPANLENS_CACHE'] ?? join(homedir(), '.cache', 'spanlens'), 'run', TEST_JAEGER.name);

export const testJaegerUrl = `http://127.0.0.1:${TEST_JAEGER.queryPort}`;
export const testV3OnlyUrl = `http://127.0.0.1:${TEST_JAEGER.v3OnlyPort}`;
export const testOtlpUrl = `http://127.0.0.1:${TEST_JAEGER.otlpHttpPort}`;
export const testManifestPath = join(runDir, 'seed-manifest.json');

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const jaegerEnv = {
  SPANLENS_JAEGER_NAME: TEST_JAEGER.name,
  SPANLENS_JAEGER_QUERY_PORT: String(TEST_JAEGER.queryPort),
  SPANLENS_JAEGER_GRPC_PORT: String(TEST_JAEGER.grpcPort),
  SPANLENS_OTLP_HTTP_PORT: String(TEST_JAEGER.otlpHttpPort),
  SPANLENS_OTLP_GRPC_PORT: String(TEST_JAEGER.otlpGrpcPort),
  SPANLENS_V3_ONLY_PORT: String(TEST_JAEGER.v3OnlyPort),
  JAEGER_VERSION: 'latest',
};

/** Runs a repo script with its output on our stderr (stdout stays clean for `eval`). */
function runScript(script: string, args: readonly string[] = []): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn('bash', [join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...jaegerEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(process.stderr, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
    child.on('error', failed);
    child.on('close', (code) => (code === 0 ? done() : failed(new Error(`${script} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Holds an exclusive flock(1) on the `test` instance until the returned function is called (or this
 * process exits: the lock belongs to a child whose stdin is our pipe, so it dies with us).
 */
export function acquireTestJaegerLock(): Promise<() => void> {
  const lockFile = join(runDir, '..', `${TEST_JAEGER.name}.lock`);
  mkdirSync(runDir, { recursive: true });
  return new Promise((done, failed) => {
    const holder = spawn('flock', [lockFile, 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let announced = false;
    const waiting = setTimeout(() => {
      if (!announced) log(`harness: waiting for another run to release ${lockFile}`);
    }, 2_000);
    holder.on('error', failed);
    holder.on('exit', (code) => {
      if (!announced) failed(new Error(`flock on ${lockFile} exited with ${code}`));
    });
    holder.stdout.once('data', () => {
      announced = true;
      clearTimeout(waiting);
      done(() => holder.stdin.end());
    });
  });
}

export async function stopTestJaeger(): Promise<void> {
  await runScript('scripts/jaeger-down.sh');
  rmSync(testManifestPath, { force: true });
}

/** Starts a fresh `test` instance (stopping a previous one first, so no earlier data is left). */
export async function startTestJaeger(): Promise<void> {
  await stopTestJaeger();
  await runScript('scripts/jaeger-up.sh');
}

export async function driveTestHotrod(): Promise<HarnessManifest['hotrod']> {
  const started = performance.now();
  await runScript('scripts/hotrod.sh', [
    '--port-base',
    String(TEST_JAEGER.hotrodPortBase),
    '--otlp',
    testOtlpUrl,
    '--jaeger',
    testJaegerUrl,
    '-n',
    String(TEST_HOTROD_TRAFFIC.validRequests),
    '--invalid',
    String(TEST_HOTROD_TRAFFIC.invalidRequests),
  ]);
  return { ...TEST_HOTROD_TRAFFIC, durationMs: Math.round(performance.now() - started) };
}

export function harnessEnv(manifestPath = testManifestPath): HarnessEnv {
  return {
    SPANLENS_TEST_JAEGER_URL: testJaegerUrl,
    SPANLENS_TEST_V3_ONLY_URL: testV3OnlyUrl,
    SPANLENS_TEST_OTLP_URL: testOtlpUrl,
    SPANLENS_TEST_SEED_MANIFEST: manifestPath,
  };
}

/** Fresh instance + v3-only proxy, seeded workload, HotROD traffic; returns the contract env vars. */
export async function harnessUp(): Promise<HarnessEnv> {
  const started = performance.now();
  await startTestJaeger();
  const anchorMs = Date.now();
  const seed = await runSeed({
    otlpUrl: testOtlpUrl,
    jaegerUrl: testJaegerUrl,
    manifestPath: null,
    runId: `test-${anchorMs.toString(36)}`,
    anchorMs,
    log,
  });
  const hotrod = await driveTestHotrod();
  const manifest: HarnessManifest = { ...seed, hotrod };
  writeFileSync(testManifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`harness: test Jaeger up and seeded in ${Math.round(performance.now() - started)} ms; manifest ${testManifestPath}`);
  return harnessEnv();
}

/** The manifest of the seeded run the integration suite runs against. */
export function readSeedManifest(path = process.env['SPANLENS_TEST_SEED_MANIFEST']): HarnessManifest {
  if (path === undefined || path === '') {
    throw new Error('SPANLENS_TEST_SEED_MANIFEST is not set: run the integration project (its globalSetup seeds Jaeger) or `npm test`');
  }
  if (!existsSync(path)) throw new Error(`seed manifest ${path} does not exist`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<HarnessManifest>;
  return { hotrod: null, ...manifest } as HarnessManifest;
}

/** The contract env vars, read in a test; throws with a clear message outside the integration project. */
export function requireHarnessEnv(): HarnessEnv {
  const env = {
    SPANLENS_TEST_JAEGER_URL: process.env['SPANLENS_TEST_JAEGER_URL'] ?? '',
    SPANLENS_TEST_V3_ONLY_URL: process.env['SPANLENS_TEST_V3_ONLY_URL'] ?? '',
    SPANLENS_TEST_OTLP_URL: process.env['SPANLENS_TEST_OTLP_URL'] ?? '',
    SPANLENS_TEST_SEED_MANIFEST: process.env['SPANLENS_TEST_SEED_MANIFEST'] ?? '',
  };
  const missing = Object.entries(env)
    .filter(([, value]) => value === '')
    .map(([key]) => key);
  if (missing.length > 0) throw new Error(`integration tests need ${missing.join(', ')} (set by lib/testing/integration-global-setup.ts)`);
  return env;
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
const printExports = (env: HarnessEnv): void => {
  for (const [key, value] of Object.entries(env)) process.stdout.write(`export ${key}=${shellQuote(value)}\n`);
};

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'up': {
      // Waits while an integration run started without this CLI (its globalSetup holds the lock) is
      // using the instance, instead of restarting it under that run.
      const release = await acquireTestJaegerLock();
      try {
        printExports(await harnessUp());
      } finally {
        release();
      }
      return;
    }
    case 'env':
      if (!existsSync(testManifestPath)) throw new Error(`no seeded test instance (${testManifestPath} missing): run \`up\` first`);
      printExports(harnessEnv());
      return;
    case 'down':
      await stopTestJaeger();
      return;
    default:
      throw new Error(`usage: node --experimental-strip-types lib/testing/jaeger-harness.ts up|env|down (got ${command ?? 'nothing'})`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv[2]).catch((error: unknown) => {
    log(`harness: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
