/**
 * The `/api/metrics` part of `npm run bench`: the path a dashboard user runs, on a real Jaeger.
 *
 * Starts its own Jaeger v2.13 (scripts/jaeger-up.sh, instance `bench`, on ports free at run time),
 * loads the seeded workload of bench/otlp-workload.ts over OTLP/HTTP, waits until Jaeger returns all
 * of it, builds the app if `.next` is missing or older than the sources, starts `next start` on a free
 * port with JAEGER_URL pointing at that Jaeger and the cache off (JAEGER_CACHE_TTL_MS=0), and times
 * `/api/metrics` against one direct `GET /api/traces` of the same window, interleaved, medians of 3.
 * Jaeger is stopped at the end (scripts/jaeger-down.sh), also when a step fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WORKLOAD_ROOT_SERVICE, buildOtlpWorkload } from './otlp-workload.ts';
import { freePort, median, ratioRow, treePeakRss, type RatioRow } from './proc.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
const RUNS = 3;
const WORKLOAD_SEED = 20261201;
/** A recent hour (Jaeger's memory store keeps any time; the app's relative windows are not used). */
const WORKLOAD_START_US = 1_764_540_000_000_000;

const log = (line: string) => console.log(line);

interface Fetched {
  readonly ms: number;
  readonly bytes: number;
  readonly body: Buffer;
}

async function timedGet(url: string, timeoutMs = 120_000): Promise<Fetched> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.toString('utf8', 0, 500)}`);
  return { ms, bytes: body.length, body };
}

/** Newest modification time under the paths `next build` compiles. */
function newestSourceMs(): number {
  let newest = 0;
  const walk = (path: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && !entry.startsWith('.')) walk(join(path, entry));
    } else if (/\.(tsx?|mjs|css)$/.test(path) && !/\.test\.tsx?$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of ['app', 'lib', 'components', 'next.config.ts', 'package.json']) walk(join(ROOT, path));
  return newest;
}

/** `next build` unless `.next` is newer than every source (SPANLENS_BENCH_BUILD=always|never overrides). */
function ensureBuild(): void {
  const mode = process.env.SPANLENS_BENCH_BUILD ?? 'auto';
  const buildId = join(ROOT, '.next/BUILD_ID');
  const stale = !existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceMs();
  if (mode === 'never' || (mode === 'auto' && !stale)) {
    log(`  app: using the existing .next build${stale ? ' (older than the sources: SPANLENS_BENCH_BUILD=never)' : ''}`);
    return;
  }
  log('  app: next build (the .next build is missing or older than the sources) …');
  const started = performance.now();
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${(result.stdout + result.stderr).slice(-3000)}`);
  log(`  app: built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

interface AppServer {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startApp(jaegerUrl: string, maxTraces: number, dataDir: string): Promise<AppServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      JAEGER_URL: jaegerUrl,
      JAEGER_MAX_TRACES: String(maxTraces),
      JAEGER_CACHE_TTL_MS: '0',
      JAEGER_TIMEOUT_MS: '120000',
      SPANLENS_DB_PATH: join(dataDir, `views-${port}.sqlite`),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      return { url, child };
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer on ${url} within 60 s:\n${output.slice(-2000)}`);
      await sleep(200);
    }
  }
}

async function stopApp(app: AppServer | null): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.pid === undefined) return;
  const exited = new Promise((done) => app.child.once('exit', done));
  app.child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
}

interface MetricsAnswer {
  readonly coverage: { upstreamRequests: number; complete: boolean; tracesFetched: number; spansReceived: number; subWindows: number };
}

interface Compared {
  readonly appMs: number;
  readonly jaegerMs: number;
  readonly jaegerBytes: number;
  readonly jaegerTraces: number;
  readonly coverage: MetricsAnswer['coverage'];
}

/** The app's params take ISO instants; the workload's windows fall on whole seconds, so nothing is lost. */
const appQuery = (startUs: number, endUs: number): string =>
  `service=${encodeURIComponent(WORKLOAD_ROOT_SERVICE)}&start=${new Date(startUs / 1000).toISOString()}&end=${new Date(endUs / 1000).toISOString()}`;

/** `/api/metrics` vs Jaeger's own `/api/traces` for the same window, interleaved, medians of RUNS. */
async function compare(app: AppServer, jaegerUrl: string, startUs: number, endUs: number, limit: number): Promise<Compared> {
  const jaegerWindow = `service=${encodeURIComponent(WORKLOAD_ROOT_SERVICE)}&start=${startUs}&end=${endUs}`;
  const appWindow = appQuery(startUs, endUs);
  const appMs: number[] = [];
  const jaegerMs: number[] = [];
  let jaeger: Fetched | null = null;
  let answer: MetricsAnswer | null = null;
  for (let run = 0; run < RUNS; run++) {
    jaeger = await timedGet(`${jaegerUrl}/api/traces?${jaegerWindow}&limit=${limit}`);
    jaegerMs.push(jaeger.ms);
    const metrics = await timedGet(`${app.url}/api/metrics?${appWindow}`);
    appMs.push(metrics.ms);
    answer = JSON.parse(metrics.body.toString('utf8')) as MetricsAnswer;
  }
  const traces = (JSON.parse((jaeger as Fetched).body.toString('utf8')) as { data: unknown[] | null }).data?.length ?? 0;
  return {
    appMs: median(appMs),
    jaegerMs: median(jaegerMs),
    jaegerBytes: (jaeger as Fetched).bytes,
    jaegerTraces: traces,
    coverage: (answer as MetricsAnswer).coverage,
  };
}

const describe = (label: string, c: Compared): string =>
  `  ${label}: /api/metrics ${c.appMs.toFixed(0)} ms (${c.coverage.upstreamRequests} upstream requests, ${c.coverage.subWindows} sub-windows, ` +
  `${c.coverage.tracesFetched} traces, complete ${c.coverage.complete}); Jaeger /api/traces ${c.jaegerMs.toFixed(0)} ms ` +
  `(${c.jaegerTraces} traces, ${(c.jaegerBytes / 1e6).toFixed(1)} MB)`;

function jaegerScript(script: 'jaeger-up.sh' | 'jaeger-down.sh', env: NodeJS.ProcessEnv): void {
  const result = spawnSync('bash', [join(ROOT, 'scripts', script)], { env, encoding: 'utf8' });
  for (const line of (result.stdout + result.stderr).trim().split('\n')) if (line !== '') log(`  ${line}`);
  if (result.status !== 0) throw new Error(`scripts/${script} exited with ${result.status}`);
}

export async function runApiBench(): Promise<RatioRow[]> {
  const [queryPort, grpcPort, otlpHttpPort, otlpGrpcPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    SPANLENS_JAEGER_NAME: 'bench',
    SPANLENS_JAEGER_QUERY_PORT: String(queryPort),
    SPANLENS_JAEGER_GRPC_PORT: String(grpcPort),
    SPANLENS_OTLP_HTTP_PORT: String(otlpHttpPort),
    SPANLENS_OTLP_GRPC_PORT: String(otlpGrpcPort),
    SPANLENS_JAEGER_MAX_TRACES: '100000',
  };
  const jaegerUrl = `http://127.0.0.1:${queryPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'spanlens-bench-app-'));
  let app: AppServer | null = null;
  // Ctrl-C or a kill still stops this bench's Jaeger and app server.
  const onSignal = () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    spawnSync('bash', [join(ROOT, 'scripts/jaeger-down.sh')], { env, stdio: 'ignore' });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`/api/metrics on a real Jaeger (instance "bench", query port ${queryPort}, OTLP/HTTP ${otlpHttpPort})`);
    jaegerScript('jaeger-down.sh', env); // a previous run's instance, if one was left behind
    jaegerScript('jaeger-up.sh', env);

    const workload = buildOtlpWorkload(WORKLOAD_SEED, WORKLOAD_START_US);
    const sendStarted = performance.now();
    for (const body of workload.bodies) {
      const response = await fetch(`http://127.0.0.1:${otlpHttpPort}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (!response.ok) throw new Error(`OTLP post answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      await response.arrayBuffer();
    }
    const sentMs = performance.now() - sendStarted;
    // Cheap probes first (a trace by ID), then the whole search, which costs seconds at 400k spans.
    for (const traceId of workload.probeTraceIds) {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(`${jaegerUrl}/api/traces/${traceId}`);
        await response.arrayBuffer();
        if (response.ok) break;
        if (attempt === 300) throw new Error(`Jaeger did not store trace ${traceId} within 60 s`);
        await sleep(200);
      }
    }
    const all = `${jaegerUrl}/api/traces?service=${WORKLOAD_ROOT_SERVICE}&start=${workload.startUs}&end=${workload.endUs}&limit=100000`;
    for (let attempt = 0; ; attempt++) {
      const answer = await timedGet(all);
      const { data } = JSON.parse(answer.body.toString('utf8')) as { data: { spans: unknown[] }[] | null };
      const spans = (data ?? []).reduce((sum, trace) => sum + trace.spans.length, 0);
      log(
        `  check ${attempt + 1}: Jaeger returns ${data?.length ?? 0} traces, ${spans} spans (${(answer.bytes / 1e6).toFixed(0)} MB in ${answer.ms.toFixed(0)} ms)`,
      );
      if ((data?.length ?? 0) === workload.traces && spans === workload.spans) break;
      if (attempt === 60) throw new Error(`Jaeger holds ${data?.length ?? 0} traces / ${spans} spans of ${workload.traces} / ${workload.spans}`);
      await sleep(1_000);
    }
    log(
      `  workload: ${workload.traces.toLocaleString('en')} traces × ${workload.spans / workload.traces} spans over 1 h, ` +
        `${workload.bodies.length} OTLP/HTTP posts in ${(sentMs / 1000).toFixed(1)} s, all searchable after ${((performance.now() - sendStarted) / 1000).toFixed(1)} s`,
    );

    ensureBuild();
    const rows: RatioRow[] = [];
    const full = { start: workload.startUs, end: workload.endUs };
    // A 1-minute slice in the middle: ≈ 1/60 of the traces, far fewer than the 2,000 limit.
    const sliceStart = workload.startUs + 30 * 60_000_000;
    const slice = { start: sliceStart, end: sliceStart + 60_000_000 };
    const inSlice = workload.rootStartsUs.filter((us) => us >= slice.start && us < slice.end).length;

    app = await startApp(jaegerUrl, 2_000, dataDir);
    await timedGet(`${app.url}/api/metrics?${appQuery(slice.start, slice.end)}`); // warm-up
    const sampled = await compare(app, jaegerUrl, full.start, full.end, 2_000);
    log(describe('1 h window, JAEGER_MAX_TRACES=2000 (sampled)', sampled));
    rows.push(ratioRow('/api/metrics, sampled 1 h window (2,000 of 20,000 traces)', sampled.appMs, sampled.jaegerMs, 'Jaeger limit=2000', 1.5));
    rows.push({
      what: '  upstream requests of that sampled window',
      value: sampled.coverage.upstreamRequests,
      unit: 'requests',
      detail: `${sampled.coverage.subWindows} sub-windows, ${sampled.coverage.tracesFetched} traces fetched`,
      target: Number.NaN,
      compare: 'exact',
    });
    const small = await compare(app, jaegerUrl, slice.start, slice.end, 2_000);
    log(describe(`1-minute slice (${inSlice} traces < 2,000)`, small));
    rows.push(ratioRow(`/api/metrics, 1-minute window (${inSlice} traces < limit)`, small.appMs, small.jaegerMs, 'Jaeger limit=2000', 1.15));
    rows.push({
      what: '  upstream requests of that window',
      value: small.coverage.upstreamRequests,
      unit: 'requests',
      detail: `complete ${small.coverage.complete}, ${small.coverage.tracesFetched} traces fetched`,
      target: 1,
      compare: 'exact',
    });
    const peak2k = treePeakRss(app.child.pid as number);
    await stopApp(app);

    app = await startApp(jaegerUrl, 20_000, dataDir);
    await timedGet(`${app.url}/api/metrics?${appQuery(slice.start, slice.end)}`); // warm-up
    const complete = await compare(app, jaegerUrl, full.start, full.end, 20_000);
    const peak20k = treePeakRss(app.child.pid as number);
    log(describe('1 h window, JAEGER_MAX_TRACES=20000', complete));
    log(
      `  server peak RSS (VmHWM of ${peak20k.name}): ${peak20k.mb.toFixed(0)} MB at JAEGER_MAX_TRACES=20000, ${peak2k.mb.toFixed(0)} MB at 2000 (${peak2k.name})`,
    );
    rows.push(
      ratioRow(
        `/api/metrics, whole 1 h window (limit 20,000; complete ${complete.coverage.complete}, ${complete.coverage.tracesFetched} traces)`,
        complete.appMs,
        complete.jaegerMs,
        'Jaeger limit=20000',
        1.15,
      ),
    );
    rows.push({
      what: '  upstream requests of that window',
      value: complete.coverage.upstreamRequests,
      unit: 'requests',
      detail: `${complete.coverage.subWindows} sub-windows, ${complete.coverage.spansReceived} spans received`,
      target: Number.NaN,
      compare: 'exact',
    });
    rows.push({
      what: `server peak RSS, 400k spans (${complete.coverage.spansReceived} received)`,
      value: peak20k.mb,
      unit: 'MB',
      detail: `VmHWM of ${peak20k.name}`,
      target: 500,
      compare: 'max',
    });
    rows.push({
      what: '  the same at JAEGER_MAX_TRACES=2000 (sampled windows)',
      value: peak2k.mb,
      unit: 'MB',
      detail: `VmHWM of ${peak2k.name}`,
      target: Number.NaN,
      compare: 'max',
    });
    return rows;
  } finally {
    await stopApp(app);
    jaegerScript('jaeger-down.sh', env);
    rmSync(dataDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
