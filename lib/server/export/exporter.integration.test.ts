import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWorkload, waitUntilSearchable } from '../../../scripts/seed.ts';
import { hex, postOtlpSpans, waitForTraces } from '../../testing/post-otlp.ts';
import { createJaegerSource } from '../../jaeger/jaeger-source.ts';
import type { TraceSearch, TraceSource } from '../../jaeger/source.ts';
import { DEFAULT_BUCKETS_MS } from '../../metrics/export/metric-sets.ts';
import { parseRulesFile } from '../../metrics/export/rules.ts';
import { queryPrometheus, startPrometheus, type PrometheusSample, type RunningPrometheus } from '../../testing/prometheus-harness.ts';
import { buildSeedWorkload, seedSpans, summarizeSeedWorkload, type SeedSpan } from '../../testing/seed/workload.ts';
import { startSpmJaeger, type RunningSpmJaeger } from '../../testing/spm-jaeger.ts';
import { createExporter, type Exporter } from './exporter.ts';
import type { TailConfig } from './tail.ts';

/**
 * The exporter end to end: the seeded workload (a fresh run, anchored now) sent to a Jaeger of its own,
 * the tail (backfilling the workload's 47 minutes) counting it, served on a node:http /metrics that a real
 * Prometheus scrapes every second; PromQL must then give exactly the counts the workload's own definition
 * has, and a second Jaeger whose SPM metrics backend is that Prometheus must answer the Monitor tab's queries.
 */

const runId = `exporter-it-${Date.now().toString(36)}`;
const workload = buildSeedWorkload({ anchorMs: Date.now(), runId });
const summary = summarizeSeedWorkload(workload);
const spans = seedSpans(workload);
const SERVICES = 'api-gateway|actor-server|llm-gateway';
const S = 1_000_000;

/** The tail as the tests run it: one-second passes and settling; by default a backfill from before the workload's first span (~47 min before now: anchor − spread − tail). */
const tailConfig = (overrides: Partial<TailConfig> = {}): TailConfig => ({
  tailStartUs: summary.firstStartUs - S,
  intervalMs: 1_000,
  settleUs: S,
  lateHorizonUs: S,
  maxSpanUs: 120 * S,
  maxTrackedSpans: 200_000,
  traceLimit: 2_000,
  minSplitUs: S,
  ...overrides,
});

let dataJaeger: RunningSpmJaeger;
let spmJaeger: RunningSpmJaeger;
let prometheus: RunningPrometheus;
let server: Server;
let exporter: Exporter | undefined;
let passMs: number[] = [];

const statusLabel = (span: SeedSpan): string =>
  span.error ? 'STATUS_CODE_ERROR' : span.status.code === 'ok' ? 'STATUS_CODE_OK' : 'STATUS_CODE_UNSET';
const kindLabel = (span: SeedSpan): string => `SPAN_KIND_${span.kind.toUpperCase()}`;

/** Counts per key from the workload's spans. */
function tally(
  items: readonly SeedSpan[],
  key: (span: SeedSpan) => string | null,
  amount: (span: SeedSpan) => number = () => 1,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const span of items) {
    const k = key(span);
    if (k !== null) out[k] = (out[k] ?? 0) + amount(span);
  }
  return out;
}

function bySeries(samples: readonly PrometheusSample[], labels: readonly string[]): Record<string, number> {
  return Object.fromEntries(samples.map((sample) => [labels.map((name) => sample.labels[name] ?? '').join(' | '), sample.value]));
}

const spanmetricsKey = (span: SeedSpan) => [span.service, span.name, kindLabel(span), statusLabel(span)].join(' | ');
const SPANMETRICS_LABELS = ['service_name', 'span_name', 'span_kind', 'status_code'];
const model = (span: SeedSpan) => span.attributes['gen_ai.request.model'];
const llmKey = (span: SeedSpan) => (model(span) === undefined ? null : `${String(span.attributes['gen_ai.provider.name'])} | ${String(model(span))}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The time of the newest scrape that saw the whole run: increase() evaluated there has no extrapolated tail. */
async function lastScrapeSec(): Promise<number> {
  const [newest] = await queryPrometheus(prometheus.url, `max(timestamp(traces_span_metrics_calls_total{service_name=~"${SERVICES}"}))`);
  if (newest === undefined) throw new Error('Prometheus holds no traces_span_metrics_calls_total');
  return newest.value;
}

/** A Jaeger source as the exporter makes its own (no cache, one request per search), recording its searches. */
function tailSource(searched: TraceSearch[] = []): TraceSource {
  const jaeger = createJaegerSource({
    baseUrl: dataJaeger.queryUrl,
    api: 'auto',
    timeoutMs: 15_000,
    maxConcurrency: 4,
    maxResponseBytes: 256 * 1_048_576,
    cacheTtlMs: 0,
    maxRequestsPerSearch: 1,
  });
  return {
    ...jaeger,
    searchTraces: (search, onBatch, options) => {
      searched.push(search);
      return jaeger.searchTraces(search, onBatch, options);
    },
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    // Prometheus starts scraping before the exporter exists (it needs the Jaeger, which needs Prometheus's URL).
    if (exporter === undefined) return void response.writeHead(503).end();
    exporter.scrape().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  prometheus = await startPrometheus({ name: 'exporter-it', scrapeTargets: [`127.0.0.1:${address.port}`], scrapeIntervalS: 1 });
  [dataJaeger, spmJaeger] = await Promise.all([
    startSpmJaeger({ name: 'exporter-it-data', prometheusUrl: prometheus.url }),
    startSpmJaeger({ name: 'exporter-it-spm', prometheusUrl: prometheus.url }),
  ]);
  await sendWorkload(workload, dataJaeger.otlpHttpUrl);
  await waitUntilSearchable(dataJaeger.queryUrl, workload, summary, 60_000);

  const source = tailSource();
  const rules = parseRulesFile(
    JSON.stringify({
      metrics: [
        {
          name: 'actor_execution_count',
          type: 'counter',
          match: { service: 'actor-server', operation: 'actor::execute' },
          labels: { actor_name: 'actor_name', status: '$status' },
        },
      ],
    }),
    'integration rules',
  );
  const running = createExporter(
    source,
    {
      sets: ['spanmetrics', 'llm', 'rules'],
      rules,
      bucketsMs: DEFAULT_BUCKETS_MS,
      maxLabelValues: 500,
    },
    tailConfig(),
  );
  const runPass = running.tail.runPass.bind(running.tail);
  running.tail.runPass = async () => {
    const started = performance.now();
    await runPass();
    passMs.push(performance.now() - started);
  };
  exporter = running;
  running.tail.start();

  // Every span counted, then two more scrapes: one reads the new series at zero, the next their counts.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [counted] = await queryPrometheus(prometheus.url, 'spanlens_export_spans_counted_total');
    const [calls] = await queryPrometheus(prometheus.url, `sum(traces_span_metrics_calls_total{service_name=~"${SERVICES}"})`);
    if (counted?.value === spans.length && calls?.value === spans.length) break;
    if (Date.now() > deadline) throw new Error(`Prometheus saw ${counted?.value} spans counted and ${calls?.value} calls, not ${spans.length}`);
    await sleep(500);
  }
}, 240_000);

afterAll(async () => {
  await exporter?.tail.stop();
  await Promise.all([prometheus?.stop(), dataJaeger?.stop(), spmJaeger?.stop()]);
  await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
  passMs = [];
});

describe('GET /metrics scraped by a real Prometheus', () => {
  it('has every span of the seeded workload in traces_span_metrics_calls_total exactly, per service, span name, kind and status', async () => {
    const raw = await queryPrometheus(prometheus.url, `traces_span_metrics_calls_total{service_name=~"${SERVICES}"}`);
    expect(bySeries(raw, SPANMETRICS_LABELS)).toEqual(tally(spans, spanmetricsKey));
    // The 5xx gateway spans with unset status (shape `shed`) are STATUS_CODE_ERROR here.
    const shed = tally(
      workload.traces.filter((trace) => trace.shape === 'shed').flatMap((trace) => trace.spans),
      spanmetricsKey,
    );
    expect(Object.keys(shed)).toEqual(['api-gateway | POST /v1/actors/:actor/run | SPAN_KIND_SERVER | STATUS_CODE_ERROR']);
  });

  it('gives the same counts through increase() of the calls counters and of the histogram counts, evaluated at the last scrape', async () => {
    const at = await lastScrapeSec();
    const calls = await queryPrometheus(prometheus.url, `increase(traces_span_metrics_calls_total{service_name=~"${SERVICES}"}[15m])`, at);
    const counts = await queryPrometheus(
      prometheus.url,
      `increase(traces_span_metrics_duration_milliseconds_count{service_name=~"${SERVICES}"}[15m])`,
      at,
    );
    const expected = tally(spans, spanmetricsKey);
    expect(bySeries(calls, SPANMETRICS_LABELS)).toEqual(expected);
    expect(bySeries(counts, SPANMETRICS_LABELS)).toEqual(expected);
  });

  it('puts every seeded duration into its histogram bucket exactly (the 1 ms bucket per operation)', async () => {
    const buckets = await queryPrometheus(
      prometheus.url,
      `sum by (service_name, span_name) (traces_span_metrics_duration_milliseconds_bucket{service_name=~"${SERVICES}", le="1"})`,
    );
    const expected = tally(
      spans,
      (span) => `${span.service} | ${span.name}`,
      (span) => (span.durationUs <= 1_000 ? 1 : 0),
    );
    expect(bySeries(buckets, ['service_name', 'span_name'])).toEqual(expected);
  });

  it('has the seeded LLM calls, errors and tokens in the llm_* counters exactly', async () => {
    const llmSpans = spans.filter((span) => model(span) !== undefined);
    const labels = ['provider', 'model'];
    const query = async (name: string) => bySeries(await queryPrometheus(prometheus.url, name), labels);
    const input = (span: SeedSpan) => Number(span.attributes['gen_ai.usage.input_tokens'] ?? 0);
    const output = (span: SeedSpan) => Number(span.attributes['gen_ai.usage.output_tokens'] ?? 0);
    expect(await query('llm_requests_total')).toEqual(tally(llmSpans, llmKey));
    expect(await query('llm_tokens_prompt_total')).toEqual(tally(llmSpans, llmKey, input));
    expect(await query('llm_tokens_completion_total')).toEqual(tally(llmSpans, llmKey, output));
    expect(await query('llm_tokens_total')).toEqual(tally(llmSpans, llmKey, (span) => input(span) + output(span)));
    expect(await query('llm_duration_seconds_count')).toEqual(tally(llmSpans, llmKey));
    const errors = bySeries(await queryPrometheus(prometheus.url, 'llm_errors_total'), [...labels, 'error_type']);
    expect(errors).toEqual(
      tally(
        llmSpans.filter((span) => span.error),
        (span) => `${llmKey(span)} | ${String(span.attributes['error.type'])}`,
      ),
    );
    // And against the workload's own summary (per model, all providers).
    const perModel = bySeries(await queryPrometheus(prometheus.url, 'sum by (model) (llm_tokens_prompt_total)'), ['model']);
    expect(perModel).toEqual(Object.fromEntries(Object.entries(summary.byModel).map(([name, row]) => [name, row.inputTokens])));
  });

  it('counts actor_execution_count{actor_name,status} from the rules file as the workload has them', async () => {
    const samples = bySeries(await queryPrometheus(prometheus.url, 'actor_execution_count'), ['actor_name', 'status']);
    const expected: Record<string, number> = {};
    for (const [actor, row] of Object.entries(summary.byActorName)) {
      if (row.count - row.errorCount > 0) expected[`${actor} | ok`] = row.count - row.errorCount;
      if (row.errorCount > 0) expected[`${actor} | error`] = row.errorCount;
    }
    expect(samples).toEqual(expected);
  });

  it('reports a complete tail: no upstream errors, no incomplete intervals, nothing folded', async () => {
    const values = async (promql: string) => (await queryPrometheus(prometheus.url, promql)).map((sample) => sample.value);
    expect(await values('spanlens_export_upstream_errors_total')).toEqual([0]);
    expect(await values('sum(spanlens_export_intervals_incomplete_total) or vector(0)')).toEqual([0]);
    expect(await values('sum(spanlens_export_folded_total) or vector(0)')).toEqual([0]);
    expect(passMs.length).toBeGreaterThan(1);
  });
});

describe('the tail against the real Jaeger with a trace limit far below the workload', () => {
  it('splits every search Jaeger cuts at its limit and still counts each span exactly once', async () => {
    const searched: TraceSearch[] = [];
    const limited = createExporter(
      tailSource(searched),
      { sets: ['spanmetrics'], rules: [], bucketsMs: DEFAULT_BUCKETS_MS, maxLabelValues: 500 },
      tailConfig({ traceLimit: 40 }),
    );
    await limited.tail.runPass();
    // The first scrape reads every new series at zero, the second their counts.
    await limited.scrape();
    const { body } = await limited.scrape();
    const counted: Record<string, number> = {};
    const line = /^traces_span_metrics_calls_total\{service_name="([^"]*)",span_name="([^"]*)",span_kind="([^"]*)",status_code="([^"]*)"\} (\S+)$/gm;
    for (const [, service, name, kind, status, value] of body.matchAll(line)) counted[[service, name, kind, status].join(' | ')] = Number(value);
    expect(counted).toEqual(tally(spans, spanmetricsKey));
    expect(body).not.toMatch(/^spanlens_export_intervals_incomplete_total\{/m);
    // 300 traces at 40 a search: each service's 47 minutes had to be split several times.
    expect(searched.length).toBeGreaterThan(3 * 4);
  });
});

describe('the tail against the real Jaeger, spans that started long before their pass', () => {
  it("finds a 90 s span through the look-back's minimum-duration search, and leaves out a span that ended before the tail", async () => {
    const nowUs = Date.now() * 1_000;
    const service = `exporter-it-long-${runId}`;
    const tailStartUs = nowUs - 30 * S;
    // Span n of this trace run: trace and span ids end in n.
    const spanOf = (n: number, name: string, kind: 1 | 2, startUs: number, durationUs: number) => ({
      traceId: hex(nowUs, 24) + hex(n, 8),
      spanId: hex(n, 16),
      service,
      name,
      kind,
      startUs,
      durationUs,
    });
    // Ends 5 s ago, after the tail start; started 65 s before it (only a ≥ 40 s search reaches it).
    const long = spanOf(1, 'long job', 1, nowUs - 95 * S, 90 * S);
    const short = spanOf(2, 'short call', 2, nowUs - 10 * S, 10_000);
    // Ended 10 s before the tail start.
    const before = spanOf(3, 'ended before', 1, nowUs - 60 * S, 20 * S);
    await postOtlpSpans(dataJaeger.otlpHttpUrl, [long, short, before]);
    await waitForTraces(dataJaeger.queryUrl, service, nowUs - 100 * S, nowUs, 3);
    const searched: TraceSearch[] = [];
    const jaeger = tailSource(searched);
    const live = createExporter(
      { ...jaeger, listServices: () => Promise.resolve([service]) },
      { sets: ['spanmetrics'], rules: [], bucketsMs: DEFAULT_BUCKETS_MS, maxLabelValues: 500 },
      tailConfig({ tailStartUs, maxTrackedSpans: 1_000 }),
    );
    await live.tail.runPass();
    await live.scrape();
    const { body } = await live.scrape();
    const calls = body.split('\n').filter((line) => line.startsWith('traces_span_metrics_calls_total{'));
    expect(calls.sort()).toEqual([
      `traces_span_metrics_calls_total{service_name="${service}",span_name="long job",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET"} 1`,
      `traces_span_metrics_calls_total{service_name="${service}",span_name="short call",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"} 1`,
    ]);
    // The look-back went to Jaeger as minimum-duration searches (10 s, 40 s), besides the one for any span.
    expect(searched.map((search) => (search.minDurationUs ?? 0) / S)).toEqual([0, 10, 40]);
  });
});

describe('a second Jaeger whose SPM metrics backend is that Prometheus (the Monitor tab)', () => {
  const metricsQuery = (kind: 'calls' | 'latencies', service: string, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams({
      service,
      endTs: String(Date.now()),
      lookback: '600000',
      step: '5000',
      ratePer: '600000',
      spanKind: 'server',
      ...extra,
    });
    return fetch(`${spmJaeger.queryUrl}/api/metrics/${kind}?${params}`).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as SpmAnswer,
    }));
  };

  it.each(['api-gateway', 'actor-server', 'llm-gateway'])(
    'answers /api/metrics/calls and /latencies for %s with its own server operations',
    async (service) => {
      const calls = await metricsQuery('calls', service, { groupByOperation: 'true' });
      const latencies = await metricsQuery('latencies', service, { groupByOperation: 'true', quantile: '0.95' });
      const serverOperations = [
        ...new Set(spans.filter((span) => span.service === service && span.kind === 'server').map((span) => span.name)),
      ].sort();
      for (const answer of [calls, latencies]) {
        expect(answer.status).toBe(200);
        const operations = answer.body.metrics.map((metric) => metric.labels.find((label) => label.name === 'operation')?.value).sort();
        expect(operations).toEqual(serverOperations);
        const services = new Set(
          answer.body.metrics.flatMap((metric) => metric.labels.filter((label) => label.name === 'service_name').map((label) => label.value)),
        );
        expect([...services]).toEqual([service]);
      }
      // The burst is the series' first increase after its zero sample: calls > 0 and a real latency, not NaN.
      const numbers = (answer: { body: SpmAnswer }) =>
        answer.body.metrics
          .flatMap((metric) => metric.metricPoints.map((point) => Number(point.gaugeValue.doubleValue)))
          .filter((value) => Number.isFinite(value));
      expect(Math.max(...numbers(calls))).toBeGreaterThan(0);
      expect(Math.max(...numbers(latencies))).toBeGreaterThan(0);
    },
  );
});

interface SpmAnswer {
  readonly metrics: readonly {
    readonly labels: readonly { readonly name: string; readonly value: string }[];
    readonly metricPoints: readonly { readonly gaugeValue: { readonly doubleValue: number | string }; readonly timestamp: string }[];
  }[];
}
