import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { choosePorts } from '../../lib/testing/free-ports.ts';
import { hex, postOtlpSpans, type OtlpTestSpan } from '../../lib/testing/post-otlp.ts';
import { queryPrometheus, startPrometheus, type RunningPrometheus } from '../../lib/testing/prometheus-harness.ts';
import { chooseExporterPort, startSpmJaeger, type RunningSpmJaeger } from '../../lib/testing/spm-jaeger.ts';
import { loopbackUrl } from './ports.ts';

/**
 * The SPM story's own stack: a real Prometheus scraping a Jaeger v2.13 with SPM (spanmetrics connector),
 * a service of spans sent to it in two batches, and a `next start` of the built app pointed at that
 * Jaeger on a free port. Everything here is this story's own: the shared seeded Jaeger is untouched.
 */

export interface SpmStack {
  readonly appUrl: string;
  readonly service: string;
  /** Spans per operation as sent (both batches). */
  readonly sent: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/** `GET /items/{n}` for three item IDs (folds into one name) and `checkout`, 40 ms each, the checkouts 1 in 5 failed. */
function spans(service: string, round: number): OtlpTestSpan[] {
  const startUs = Date.now() * 1_000 - 1_000_000;
  const list: OtlpTestSpan[] = [];
  const add = (name: string, durationUs: number, error: boolean) => {
    const n = round * 1_000 + list.length + 1;
    list.push({ traceId: hex(n, 32), spanId: hex(n, 16), service, name, kind: 2, startUs, durationUs, error });
  };
  for (const item of [101, 202, 303]) for (let i = 0; i < 4; i += 1) add(`GET /items/${item}`, 40_000, false);
  for (let i = 0; i < 10; i += 1) add('checkout', 40_000 + i * 1_000, i % 5 === 0);
  return list;
}

async function waitForCalls(prometheus: RunningPrometheus, service: string, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [sample] = await queryPrometheus(prometheus.url, `sum(traces_span_metrics_calls_total{service_name=${JSON.stringify(service)}})`);
    if ((sample?.value ?? 0) >= expected) return;
    if (Date.now() > deadline) throw new Error(`spm-stack: Prometheus never saw ${expected} calls of ${service}`);
    await sleep(500);
  }
}

async function startApp(jaegerUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const [port] = (await choosePorts({ single: 1 })).single;
  if (port === undefined) throw new Error('spm-stack: no free port for the app');
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', JAEGER_URL: jaegerUrl, JAEGER_UI_URL: '', JAEGER_CACHE_TTL_MS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = loopbackUrl(port);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).status < 500) return { url, child };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`spm-stack: next start on ${port} did not come up`);
    await sleep(250);
  }
}

export async function startSpmStack(): Promise<SpmStack> {
  const runId = Date.now().toString(36);
  const service = `spm-e2e-${runId}`;
  const exporterPort = await chooseExporterPort();
  let prometheus: RunningPrometheus | undefined;
  let jaeger: RunningSpmJaeger | undefined;
  let app: ChildProcess | undefined;
  const stop = async () => {
    app?.kill('SIGTERM');
    await jaeger?.stop();
    await prometheus?.stop();
  };
  try {
    prometheus = await startPrometheus({ name: service, scrapeTargets: [`127.0.0.1:${exporterPort}`], scrapeIntervalS: 1 });
    jaeger = await startSpmJaeger({
      name: service,
      prometheusUrl: prometheus.url,
      withSpanmetricsConnector: true,
      metricsExporterPort: exporterPort,
    });
    const first = spans(service, 1);
    await postOtlpSpans(jaeger.otlpHttpUrl, first);
    await waitForCalls(prometheus, service, first.length);
    await sleep(2_000);
    const second = spans(service, 2);
    await postOtlpSpans(jaeger.otlpHttpUrl, second);
    await waitForCalls(prometheus, service, first.length + second.length);
    await sleep(2_000);
    const sent: Record<string, number> = {};
    for (const span of [...first, ...second]) sent[span.name] = (sent[span.name] ?? 0) + 1;
    const started = await startApp(jaeger.queryUrl);
    app = started.child;
    return { appUrl: started.url, service, sent, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
