/**
 * A real Prometheus for tests (Debian's package: /usr/bin/prometheus, installed by .ci/run): one
 * process per call on a free loopback port with its own temporary config and TSDB folder, ready when
 * /-/ready answers 200, killed and its folder removed on stop(). Scrapes the given host:port targets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { z } from 'zod';
import { choosePorts } from './free-ports.ts';
import { spawnWatched } from './watched-process.ts';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
const READY_TIMEOUT_MS = 30_000;

export interface PrometheusOptions {
  /** Shows in the temp folder's name and in errors, so a failing test says which instance. */
  readonly name: string;
  /** host:port of each scrape target. */
  readonly scrapeTargets: readonly string[];
  readonly scrapeIntervalS?: number;
  readonly metricsPath?: string;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** prometheus.yml as JSON (YAML is a superset of JSON, so Prometheus reads it as is). */
function prometheusConfig(options: PrometheusOptions): string {
  const interval = `${options.scrapeIntervalS ?? 1}s`;
  return JSON.stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      {
        job_name: 'spanlens',
        metrics_path: options.metricsPath ?? '/metrics',
        scrape_interval: interval,
        scrape_timeout: interval,
        static_configs: [{ targets: options.scrapeTargets }],
      },
    ],
  });
}

const targetsAnswerSchema = z.object({ data: z.object({ activeTargets: z.array(z.unknown()) }) });

/** Prometheus picks up new targets on a ~5 s tick after start: until then /-/ready is 200 but nothing is scraped. */
async function activeTargetCount(url: string): Promise<number> {
  const answer = await request(`${url}/api/v1/targets`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
  const parsed = targetsAnswerSchema.safeParse(await answer.body.json());
  return parsed.success ? parsed.data.data.activeTargets.length : 0;
}

/** Resolves once Prometheus is ready and every target is in its active set (its first scrape follows within one interval). */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), `spanlens-prometheus-${options.name}-`));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options));
  const [port] = (await choosePorts({ single: 1 })).single;
  if (port === undefined) throw new Error('prometheus-harness: free-ports returned no port');
  const server = spawnWatched(PROMETHEUS_BINARY, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exited() !== null) {
      await stop();
      throw new Error(`prometheus-harness: Prometheus "${options.name}" stopped before it was ready (${server.exited()}): ${server.logTail()}`);
    }
    try {
      const answer = await request(`${url}/-/ready`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      await answer.body.dump();
      if (answer.statusCode === 200 && (await activeTargetCount(url)) === options.scrapeTargets.length) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus-harness: Prometheus "${options.name}" not ready after ${READY_TIMEOUT_MS} ms: ${server.logTail()}`);
    }
    await sleep(200);
  }
}

const sampleSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]),
});
const queryAnswerSchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('vector'), result: z.array(sampleSchema) }),
});

export interface PrometheusSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** An instant query (GET /api/v1/query); only vector answers, each sample's value as a number. */
export async function queryPrometheus(url: string, promql: string, timeSec?: number): Promise<PrometheusSample[]> {
  const params = new URLSearchParams({ query: promql });
  if (timeSec !== undefined) params.set('time', String(timeSec));
  const answer = await request(`${url}/api/v1/query?${params.toString()}`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
  const text = await answer.body.text();
  if (answer.statusCode !== 200) throw new Error(`Prometheus answered ${answer.statusCode} to ${promql}: ${text}`);
  const parsed = queryAnswerSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Prometheus's answer to ${promql} is not a vector: ${text.slice(0, 500)}`);
  return parsed.data.data.result.map((sample) => ({ labels: sample.metric, value: Number(sample.value[1]) }));
}
