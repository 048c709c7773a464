/**
 * A named Jaeger v2.13 with SPM (the Monitor tab's metrics, shared/docs/jaeger-api.md §7b) for tests: its own
 * process on free loopback ports, the trimmed all-in-one config of scripts/jaeger-config.sh plus an overlay
 * (Jaeger merges `--config A --config B`):
 *  - reader side, always: `jaeger_query.storage.metrics` → a Prometheus metrics backend at `prometheusUrl`,
 *    with `normalize_calls` / `normalize_duration` on (both default to false, and then every endpoint answers
 *    an empty `"metrics":[]`);
 *  - writer side, with `withSpanmetricsConnector`: traces also go to the spanmetrics connector, whose metrics
 *    pipeline ends in a Prometheus exporter on `metricsExporterPort` (a Prometheus must scrape it for the
 *    reader to see anything). `resource_metrics_key_attributes: [service.name]` keeps senders of one service
 *    whose resources differ in one series; the flush interval is short (default 1 s, upstream 60 s) so tests
 *    need not wait a minute for spans to reach Prometheus.
 *
 * No import.meta here: Playwright loads this file as CommonJS. Scripts are found from the working
 * directory, which is the repo root for vitest and Playwright.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { choosePorts } from './free-ports.ts';
import { spawnWatched } from './watched-process.ts';

const READY_TIMEOUT_MS = 60_000;

export interface SpmJaegerOptions {
  /** Names the run folder (~/.cache/spanlens/run/<name>) and shows in errors. */
  readonly name: string;
  /** The Prometheus the metrics reader queries, http://host:port. */
  readonly prometheusUrl: string;
  /** Also derive span metrics in this process (spanmetrics connector → Prometheus exporter). */
  readonly withSpanmetricsConnector?: boolean;
  /** Where the Prometheus exporter listens (with the connector); a free one when unset. Choose it first (chooseExporterPort) when a Prometheus must be told to scrape it. */
  readonly metricsExporterPort?: number;
  /** The connector's metrics_flush_interval in seconds (default 1). */
  readonly flushIntervalS?: number;
}

export interface RunningSpmJaeger {
  /** http://127.0.0.1:PORT: the query API (legacy /api, /api/v3, /api/metrics/*) and UI. */
  readonly queryUrl: string;
  /** http://127.0.0.1:PORT: OTLP over HTTP (post to /v1/traces). */
  readonly otlpHttpUrl: string;
  /** 127.0.0.1:PORT of the spanmetrics Prometheus exporter, with the connector. */
  readonly metricsExporterHostPort?: string;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const cacheDir = process.env['SPANLENS_CACHE'] ?? join(homedir(), '.cache', 'spanlens');

/** The overlay on top of jaeger-config.sh's output; JSON is YAML. */
function spmOverlay(options: SpmJaegerOptions, exporterPort: number | undefined): string {
  const reader = {
    extensions: {
      jaeger_query: { enable_tracing: false, storage: { traces: 'memstore', metrics: 'spm_prometheus' } },
      jaeger_storage: {
        metric_backends: { spm_prometheus: { prometheus: { endpoint: options.prometheusUrl, normalize_calls: true, normalize_duration: true } } },
      },
    },
  };
  if (exporterPort === undefined) return JSON.stringify(reader);
  return JSON.stringify({
    ...reader,
    connectors: {
      spanmetrics: { metrics_flush_interval: `${options.flushIntervalS ?? 1}s`, resource_metrics_key_attributes: ['service.name'] },
    },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' }, prometheus: { endpoint: `127.0.0.1:${exporterPort}` } },
    service: {
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter', 'spanmetrics'] },
        'metrics/spanmetrics': { receivers: ['spanmetrics'], exporters: ['prometheus'] },
      },
    },
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const answer = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
    await answer.body.dump();
    return answer.statusCode === 200;
  } catch {
    return false;
  }
}

/** Resolves once the query API answers /api/services (and, with the connector, the exporter answers /metrics). */
/**
 * A port for the spanmetrics exporter, chosen before the Prometheus that scrapes it: from free-ports' range for
 * runs, below the kernel's ephemeral range, because it stays unbound for seconds while Prometheus starts — a
 * single (port-0) port could meanwhile become the source port of some outgoing connection, or one of the
 * Jaeger's own single ports (seen once in CI: "bind: address already in use").
 */
export async function chooseExporterPort(): Promise<number> {
  const [port] = (await choosePorts({ single: 0, runs: [1] })).runs[0] ?? [];
  if (port === undefined) throw new Error('spm-jaeger: no free port for the spanmetrics exporter');
  return port;
}

export async function startSpmJaeger(options: SpmJaegerOptions): Promise<RunningSpmJaeger> {
  const repoRoot = process.cwd();
  const build = spawnSync('bash', [resolve(repoRoot, 'scripts/jaeger-build.sh')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`spm-jaeger: scripts/jaeger-build.sh failed: ${build.stderr}`);
  const binary = join(cacheDir, `jaeger-${process.env['JAEGER_MODULE_VERSION'] ?? 'v1.76.0'}`, 'bin', 'jaeger');

  const connector = options.withSpanmetricsConnector === true;
  const { single } = await choosePorts({ single: connector && options.metricsExporterPort === undefined ? 5 : 4 });
  const [queryPort, grpcPort, otlpHttpPort, otlpGrpcPort, chosenExporterPort] = single;
  if (queryPort === undefined || grpcPort === undefined || otlpHttpPort === undefined || otlpGrpcPort === undefined) {
    throw new Error('spm-jaeger: free-ports returned too few ports');
  }
  const exporterPort = connector ? (options.metricsExporterPort ?? chosenExporterPort) : undefined;

  const runDir = join(cacheDir, 'run', options.name);
  mkdirSync(runDir, { recursive: true });
  const base = spawnSync('bash', [resolve(repoRoot, 'scripts/jaeger-config.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      SPANLENS_JAEGER_QUERY_PORT: String(queryPort),
      SPANLENS_JAEGER_GRPC_PORT: String(grpcPort),
      SPANLENS_OTLP_HTTP_PORT: String(otlpHttpPort),
      SPANLENS_OTLP_GRPC_PORT: String(otlpGrpcPort),
    },
  });
  if (base.status !== 0) throw new Error(`spm-jaeger: scripts/jaeger-config.sh failed: ${base.stderr}`);
  const baseConfig = join(runDir, 'config.yaml');
  const overlayConfig = join(runDir, 'spm.yaml');
  writeFileSync(baseConfig, base.stdout);
  writeFileSync(overlayConfig, spmOverlay(options, exporterPort));

  const server = spawnWatched(binary, ['--config', baseConfig, '--config', overlayConfig]);
  const stop = (): Promise<void> => server.stop();

  const queryUrl = `http://127.0.0.1:${queryPort}`;
  const exporterHostPort = exporterPort === undefined ? undefined : `127.0.0.1:${exporterPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exited() !== null)
      throw new Error(`spm-jaeger: Jaeger "${options.name}" stopped before it was ready (${server.exited()}): ${server.logTail()}`);
    const queryUp = await answers(`${queryUrl}/api/services`);
    if (queryUp && (exporterHostPort === undefined || (await answers(`http://${exporterHostPort}/metrics`)))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`spm-jaeger: Jaeger "${options.name}" not ready after ${READY_TIMEOUT_MS} ms: ${server.logTail()}`);
    }
    await sleep(250);
  }
  return {
    queryUrl,
    otlpHttpUrl: `http://127.0.0.1:${otlpHttpPort}`,
    ...(exporterHostPort === undefined ? {} : { metricsExporterHostPort: exporterHostPort }),
    stop,
  };
}
