/**
 * The real-Jaeger test harness: starts (fresh) or stops the `test` Jaeger instance through
 * scripts/jaeger-up.sh / jaeger-down.sh, plus the v3-only proxy, seeds it with the deterministic
 * workload (scripts/seed.ts) and HotROD traffic (scripts/hotrod.sh), and hands tests the contract env
 * vars. Also a CLI for scripts/test-all.sh:
 *
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts up     # fresh instance, seed, HotROD
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts env    # exports for a running one
 *   node --experimental-strip-types lib/testing/jaeger-harness.ts down
 *
 * `up` and `env` print only `export NAME='value'` lines on stdout (logs go to stderr), for `eval`.
 *
 * Ports are never fixed: each fresh instance gets free loopback ports (lib/testing/free-ports.ts),
 * or the ones in SPANLENS_HARNESS_PORTS (JSON, a TestJaegerPorts) when a caller had to choose them
 * before the harness starts (playwright.config.ts). They are written to ports.json beside the
 * instance's pid files, which is where `env` finds them. The lock (`test.lock`) is per instance name:
 * the name, not a port, is what two runs would share.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSeed, type SeedManifest } from '../../scripts/seed.ts';
import { choosePorts } from './free-ports.ts';

const TEST_JAEGER_NAME = 'test';

/** The ports of one `test` instance, chosen when it starts. */
export interface TestJaegerPorts {
  readonly queryPort: number;
  readonly grpcPort: number;
  readonly otlpHttpPort: number;
  readonly otlpGrpcPort: number;
  readonly v3OnlyPort: number;
  /** HotROD frontend; customer, driver and route take the next three ports. */
  readonly hotrodPortBase: number;
}

/** Where a caller that must know the ports before the harness starts hands them over (JSON). */
export const HARNESS_PORTS_ENV = 'SPANLENS_HARNESS_PORTS';

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
const cacheDir = process.env['SPANLENS_CACHE'] ?? join(homedir(), '.cache', 'spanlens');
const runDir = join(cacheDir, 'run', TEST_JAEGER_NAME);

export const testManifestPath = join(runDir, 'seed-manifest.json');
const testPortsPath = join(runDir, 'ports.json');

const loopbackUrl = (port: number): string => `http://127.0.0.1:${port}`;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Free ports for a fresh instance: five single ones and four consecutive ones for HotROD. */
async function chooseTestPorts(): Promise<TestJaegerPorts> {
  const { single, runs } = await choosePorts({ single: 5, runs: [4] });
  const [queryPort, grpcPort, otlpHttpPort, otlpGrpcPort, v3OnlyPort] = single;
  const hotrodPortBase = runs[0]?.[0];
  if (queryPort === undefined || grpcPort === undefined || otlpHttpPort === undefined || otlpGrpcPort === undefined || v3OnlyPort === undefined) {
    throw new Error('harness: free-ports returned too few ports');
  }
  if (hotrodPortBase === undefined) throw new Error('harness: free-ports returned no HotROD run');
  return { queryPort, grpcPort, otlpHttpPort, otlpGrpcPort, v3OnlyPort, hotrodPortBase };
}

function parseTestPorts(text: string, source: string): TestJaegerPorts {
  const value = JSON.parse(text) as Partial<Record<keyof TestJaegerPorts, unknown>>;
  const keys = ['queryPort', 'grpcPort', 'otlpHttpPort', 'otlpGrpcPort', 'v3OnlyPort', 'hotrodPortBase'] as const;
  const bad = keys.filter((key) => {
    const port = value[key];
    return typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535;
  });
  if (bad.length > 0) throw new Error(`harness: ${source} has no valid ${bad.join(', ')}`);
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as unknown as TestJaegerPorts;
}

/** The ports a caller chose for us (SPANLENS_HARNESS_PORTS), if any. */
function handedPorts(): TestJaegerPorts | undefined {
  const text = process.env[HARNESS_PORTS_ENV] ?? '';
  return text === '' ? undefined : parseTestPorts(text, HARNESS_PORTS_ENV);
}

/** The ports of the instance that is running (written by startTestJaeger). */
function readTestPorts(): TestJaegerPorts {
  if (!existsSync(testPortsPath)) throw new Error(`no test instance (${testPortsPath} missing): run \`up\` first`);
  return parseTestPorts(readFileSync(testPortsPath, 'utf8'), testPortsPath);
}

/** The variables jaeger-up.sh, jaeger-down.sh and hotrod.sh read. */
const scriptEnv = (ports: TestJaegerPorts | undefined): Record<string, string> => ({
  SPANLENS_JAEGER_NAME: TEST_JAEGER_NAME,
  JAEGER_VERSION: 'latest',
  ...(ports === undefined
    ? {}
    : {
        SPANLENS_JAEGER_QUERY_PORT: String(ports.queryPort),
        SPANLENS_JAEGER_GRPC_PORT: String(ports.grpcPort),
        SPANLENS_OTLP_HTTP_PORT: String(ports.otlpHttpPort),
        SPANLENS_OTLP_GRPC_PORT: String(ports.otlpGrpcPort),
        SPANLENS_V3_ONLY_PORT: String(ports.v3OnlyPort),
        SPANLENS_HOTROD_PORT_BASE: String(ports.hotrodPortBase),
      }),
});

/** Runs a repo script with its output on our stderr (stdout stays clean for `eval`). */
function runScript(script: string, ports: TestJaegerPorts | undefined, args: readonly string[] = []): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn('bash', [join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...scriptEnv(ports) },
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
  return takeLock(null);
}

/**
 * With `untilExitOf`, the holder is detached and keeps the lock until that process exits instead:
 * `up` uses it (SPANLENS_HARNESS_LOCK_UNTIL_EXIT_OF) so the instance stays locked for the whole run
 * that asked for it (`npm test`, a Playwright run), long after `up` itself has returned.
 */
function takeLock(untilExitOf: number | null): Promise<() => void> {
  const lockFile = join(runDir, '..', `${TEST_JAEGER_NAME}.lock`);
  mkdirSync(runDir, { recursive: true });
  return new Promise((done, failed) => {
    const holder =
      untilExitOf === null
        ? spawn('flock', [lockFile, 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] })
        : spawn('flock', [lockFile, 'sh', '-c', 'echo locked; while kill -0 "$0" 2>/dev/null; do sleep 1; done', String(untilExitOf)], {
            stdio: ['ignore', 'pipe', 'ignore'],
            detached: true,
          });
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
      if (untilExitOf === null) {
        done(() => holder.stdin?.end());
        return;
      }
      holder.stdout.destroy();
      holder.unref();
      done(() => undefined);
    });
  });
}

/** Stops the running `test` instance (by its pid files, whatever its ports) and forgets its files. */
export async function stopTestJaeger(): Promise<void> {
  let previous: TestJaegerPorts | undefined;
  try {
    previous = existsSync(testPortsPath) ? readTestPorts() : undefined;
  } catch {
    previous = undefined; // an unreadable ports.json only means there is no HotROD log folder to drop
  }
  await runScript('scripts/jaeger-down.sh', undefined);
  rmSync(testManifestPath, { force: true });
  rmSync(testPortsPath, { force: true });
  // hotrod.sh keeps its log per port base; with a new base every run, drop the previous one's.
  if (previous !== undefined) rmSync(join(cacheDir, 'run', `hotrod-${previous.hotrodPortBase}`), { recursive: true, force: true });
}

/** Starts a fresh `test` instance on `ports` (stopping a previous one first, so no earlier data is left). */
async function startTestJaeger(ports: TestJaegerPorts): Promise<void> {
  await stopTestJaeger();
  mkdirSync(runDir, { recursive: true });
  writeFileSync(testPortsPath, `${JSON.stringify(ports, null, 2)}\n`);
  log(`harness: test instance ports ${JSON.stringify(ports)} (${testPortsPath})`);
  await runScript('scripts/jaeger-up.sh', ports);
}

async function driveTestHotrod(ports: TestJaegerPorts): Promise<HarnessManifest['hotrod']> {
  const started = performance.now();
  // Port base, OTLP and Jaeger URLs come from scriptEnv (SPANLENS_HOTROD_PORT_BASE, SPANLENS_OTLP_HTTP_PORT…).
  await runScript('scripts/hotrod.sh', ports, [
    '-n',
    String(TEST_HOTROD_TRAFFIC.validRequests),
    '--invalid',
    String(TEST_HOTROD_TRAFFIC.invalidRequests),
  ]);
  return { ...TEST_HOTROD_TRAFFIC, durationMs: Math.round(performance.now() - started) };
}

export function harnessEnv(ports: TestJaegerPorts, manifestPath = testManifestPath): HarnessEnv {
  return {
    SPANLENS_TEST_JAEGER_URL: loopbackUrl(ports.queryPort),
    SPANLENS_TEST_V3_ONLY_URL: loopbackUrl(ports.v3OnlyPort),
    SPANLENS_TEST_OTLP_URL: loopbackUrl(ports.otlpHttpPort),
    SPANLENS_TEST_SEED_MANIFEST: manifestPath,
  };
}

/**
 * Jaeger v2.13's memory store hands the query service its stored traces, not copies, and the read
 * adjusters sort attributes in place (cmd/query/app/querysvc/v2/adjuster/sort.go: collect, sort, CopyTo
 * the stored map). Two requests reading one trace while it is still unsorted can tear its key/value
 * pairs for good (seen once: one seeded span's gen_ai.request.model read "openai"); fixed upstream after
 * v2.13.0 (jaeger#9261). Once sorted, a rewrite puts the same pairs back, so one sequential read of
 * every trace right after seeding, before any test reads concurrently, makes the store safe to share.
 */
async function readEveryTraceOnce(jaegerUrl: string, anchorMs: number): Promise<void> {
  const services = (await (await fetch(`${jaegerUrl}/api/services`)).json()) as { data: string[] | null };
  const startUs = (anchorMs - 3 * 60 * 60_000) * 1_000;
  const endUs = (Date.now() + 60_000) * 1_000;
  for (const service of services.data ?? []) {
    const search = new URLSearchParams({ service, start: String(startUs), end: String(endUs), limit: '100000' });
    const response = await fetch(`${jaegerUrl}/api/traces?${search}`);
    if (!response.ok) throw new Error(`harness: reading every trace of ${service} once failed with HTTP ${response.status}`);
    await response.arrayBuffer();
  }
}

/**
 * Fresh instance + v3-only proxy, seeded workload, HotROD traffic; returns the contract env vars.
 * Ports: `ports`, else SPANLENS_HARNESS_PORTS, else free ones chosen now.
 */
export async function harnessUp(ports?: TestJaegerPorts): Promise<HarnessEnv> {
  const started = performance.now();
  const chosen = ports ?? handedPorts() ?? (await chooseTestPorts());
  const env = harnessEnv(chosen);
  await startTestJaeger(chosen);
  const anchorMs = Date.now();
  const seed = await runSeed({
    otlpUrl: env.SPANLENS_TEST_OTLP_URL,
    jaegerUrl: env.SPANLENS_TEST_JAEGER_URL,
    manifestPath: null,
    runId: `test-${anchorMs.toString(36)}`,
    anchorMs,
    log,
  });
  const hotrod = await driveTestHotrod(chosen);
  await readEveryTraceOnce(env.SPANLENS_TEST_JAEGER_URL, anchorMs);
  const manifest: HarnessManifest = { ...seed, hotrod };
  writeFileSync(testManifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`harness: test Jaeger up and seeded in ${Math.round(performance.now() - started)} ms; manifest ${testManifestPath}`);
  return env;
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
      // SPANLENS_HARNESS_LOCK_UNTIL_EXIT_OF=<pid> (scripts/test-all.sh, e2e/global-setup.ts): keep the
      // lock until that process exits, so no other run restarts the instance while it still uses it.
      const owner = Number(process.env['SPANLENS_HARNESS_LOCK_UNTIL_EXIT_OF'] ?? '');
      const release = await takeLock(Number.isInteger(owner) && owner > 0 ? owner : null);
      try {
        printExports(await harnessUp());
      } finally {
        release();
      }
      return;
    }
    case 'env':
      if (!existsSync(testManifestPath)) throw new Error(`no seeded test instance (${testManifestPath} missing): run \`up\` first`);
      printExports(harnessEnv(readTestPorts()));
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
