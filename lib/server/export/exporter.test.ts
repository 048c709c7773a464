import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Span } from '../../jaeger/span.ts';
import type { SpanExporterConfig } from '../../metrics/export/metric-sets.ts';
import { parseRulesFile } from '../../metrics/export/rules.ts';
import { aSpan, hexId } from '../../testing/span-builder.ts';
import { FakeTraceSource } from '../testing/fake-trace-source.ts';
import { createExporter } from './exporter.ts';

const T0_MS = 1_800_000_000_000;
const S = 1_000_000;
const PROMTOOL = '/usr/bin/promtool';

let ids = 0;
const nextIds = () => {
  ids += 1;
  return { traceId: hexId(ids, 32), spanId: hexId(ids) };
};

function span(build: (b: ReturnType<typeof aSpan>) => ReturnType<typeof aSpan>, endMs: number, durationUs: number): Span {
  const { traceId, spanId } = nextIds();
  return build(aSpan().withTraceId(traceId).withSpanId(spanId))
    .withStart(endMs * 1_000 - durationUs)
    .withDuration(durationUs)
    .build();
}

const RULES = parseRulesFile(
  JSON.stringify({
    metrics: [
      {
        name: 'actor_execution_count',
        type: 'counter',
        match: { service: 'actor-server', operation: 'actor::execute' },
        labels: { actor_name: 'actor_name', status: '$status' },
      },
      {
        name: 'narrative_execution_duration_seconds',
        type: 'histogram',
        match: { operation: 'narrative::execute_impl' },
        labels: { narrative: 'narrative_name' },
      },
    ],
  }),
  'test rules',
);

function setup(sets: Partial<SpanExporterConfig> = {}) {
  let nowMs = T0_MS;
  const source = new FakeTraceSource(() => nowMs);
  const exporter = createExporter(
    source,
    { sets: ['spanmetrics', 'llm', 'rules'], rules: RULES, bucketsMs: [0.5, 1, 10, 1_000], maxLabelValues: 3, ...sets },
    {
      tailStartUs: T0_MS * 1_000,
      intervalMs: 15_000,
      settleUs: 30 * S,
      lateHorizonUs: 30 * S,
      maxSpanUs: 120 * S,
      maxTrackedSpans: 1_000,
      traceLimit: 100,
      minSplitUs: S,
    },
    () => nowMs,
  );
  return { source, exporter, advance: (ms: number) => (nowMs += ms) };
}

/** The value of one exposition line, by its exact series text (`name{labels}`). */
function valueOf(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const SERVER_GET =
  'traces_span_metrics_calls_total{service_name="api",span_name="GET /items/{id}",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"}';
const SERVER_5XX =
  'traces_span_metrics_calls_total{service_name="api",span_name="GET /items/{id}",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"}';

describe('createExporter', () => {
  it('exports a new series at zero first, and its counts from the scrape after that', async () => {
    const t = setup();
    t.source.add([
      span(
        (b) => b.withService('api').withKind('server').withOperation('GET /items/12345').withTag('http.response.status_code', 200),
        T0_MS + 1_000,
        300,
      ),
      span(
        (b) => b.withService('api').withKind('server').withOperation('GET /items/777').withTag('http.response.status_code', 200),
        T0_MS + 2_000,
        700,
      ),
      // HTTP 503 with no status: an error by Spanlens's rule, so STATUS_CODE_ERROR here.
      span(
        (b) => b.withService('api').withKind('server').withOperation('GET /items/9').withTag('http.response.status_code', 503).withError(),
        T0_MS + 3_000,
        5_000,
      ),
    ]);
    t.advance(45_000);
    await t.exporter.tail.runPass();
    const first = (await t.exporter.scrape()).body;
    expect([valueOf(first, SERVER_GET), valueOf(first, SERVER_5XX)]).toEqual([0, 0]);
    const second = (await t.exporter.scrape()).body;
    expect([valueOf(second, SERVER_GET), valueOf(second, SERVER_5XX)]).toEqual([2, 1]);
    const bucket = (le: string) =>
      valueOf(
        second,
        `traces_span_metrics_duration_milliseconds_bucket{le="${le}",service_name="api",span_name="GET /items/{id}",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"}`,
      );
    // 0.3 ms and 0.7 ms: one in the 0.5 ms bucket, both in 1 ms — not 1.9 ms in a 2 ms first bucket.
    expect([bucket('0.5'), bucket('1'), bucket('+Inf')]).toEqual([1, 2, 2]);
    expect(valueOf(second, 'spanlens_export_span_names_folded_total')).toBe(3);
    expect(valueOf(second, 'spanlens_export_spans_counted_total')).toBe(3);
  });

  it('writes the llm set from gen_ai attributes and the rules set from its selectors', async () => {
    const t = setup();
    const llm = (model: string, input: number, output: number, error = false) =>
      span(
        (b) => {
          const built = b
            .withService('llm-gateway')
            .withKind('client')
            .withOperation('llm.provider.call')
            .withTag('gen_ai.provider.name', 'openai')
            .withTag('gen_ai.request.model', model);
          return error
            ? built.withError().withTag('error.type', 'rate_limit')
            : built.withTag('gen_ai.usage.input_tokens', input).withTag('gen_ai.usage.output_tokens', output);
        },
        T0_MS + 1_000,
        1_500_000,
      );
    t.source.add([llm('gpt-4o-mini', 100, 20), llm('gpt-4o-mini', 300, 40), llm('gpt-4o-mini', 0, 0, true)]);
    t.source.add([
      span((b) => b.withService('actor-server').withOperation('actor::execute').withTag('actor_name', 'planner'), T0_MS + 2_000, 10_000),
      span((b) => b.withService('actor-server').withOperation('actor::execute').withTag('actor_name', 'planner').withError(), T0_MS + 2_000, 10_000),
      span(
        (b) => b.withService('actor-server').withOperation('narrative::execute_impl').withTag('narrative_name', 'onboarding'),
        T0_MS + 2_000,
        2_000_000,
      ),
    ]);
    t.advance(45_000);
    await t.exporter.tail.runPass();
    await t.exporter.scrape();
    const body = (await t.exporter.scrape()).body;
    const model = 'provider="openai",model="gpt-4o-mini"';
    expect({
      requests: valueOf(body, `llm_requests_total{${model}}`),
      errors: valueOf(body, `llm_errors_total{${model},error_type="rate_limit"}`),
      tokens: valueOf(body, `llm_tokens_total{${model}}`),
      prompt: valueOf(body, `llm_tokens_prompt_total{${model}}`),
      completion: valueOf(body, `llm_tokens_completion_total{${model}}`),
      durationCount: valueOf(body, `llm_duration_seconds_count{${model}}`),
      durationSum: valueOf(body, `llm_duration_seconds_sum{${model}}`),
      actorOk: valueOf(body, 'actor_execution_count{actor_name="planner",status="ok"}'),
      actorError: valueOf(body, 'actor_execution_count{actor_name="planner",status="error"}'),
      narrative: valueOf(body, 'narrative_execution_duration_seconds_sum{narrative="onboarding"}'),
    }).toEqual({
      requests: 3,
      errors: 1,
      tokens: 460,
      prompt: 400,
      completion: 60,
      durationCount: 3,
      durationSum: 4.5,
      actorOk: 1,
      actorError: 1,
      narrative: 2,
    });
  });

  it('folds label values past the cap into "other" and counts them in spanlens_export_folded_total', async () => {
    const t = setup();
    // Cap 3: five operations of one service and kind → three of their own, two folded into span_name="other".
    t.source.add(
      ['a', 'b', 'c', 'd', 'e'].map((op, i) => span((b) => b.withService('api').withKind('server').withOperation(op), T0_MS + 1_000 + i, 100)),
    );
    t.advance(45_000);
    await t.exporter.tail.runPass();
    await t.exporter.scrape();
    const body = (await t.exporter.scrape()).body;
    expect(
      valueOf(
        body,
        'traces_span_metrics_calls_total{service_name="api",span_name="other",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"}',
      ),
    ).toBe(2);
    expect(valueOf(body, 'spanlens_export_folded_total{metric="traces_span_metrics_calls_total"}')).toBe(2);
    expect(valueOf(body, 'spanlens_export_label_sets{metric="traces_span_metrics_calls_total"}')).toBe(4);
  });

  it('writes exposition text promtool check metrics accepts: llm, rules and self metrics without a finding', async () => {
    const t = setup({
      sets: ['llm', 'rules'],
      rules: parseRulesFile(
        JSON.stringify({
          metrics: [
            { name: 'actor_executions_total', type: 'counter', match: { operation: 'actor::execute' }, labels: { actor_name: 'actor_name' } },
            { name: 'narrative_execution_duration_seconds', type: 'histogram', match: { operation: 'narrative::execute_impl' } },
          ],
        }),
        'lint-clean rules',
      ),
    });
    t.source.add(exampleSpans());
    const { body, contentType } = await scrapeAfterOnePass(t);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(promtool(body)).toEqual({ status: 0, output: '' });
  });

  it("writes spanmetrics promtool parses, whose one lint finding is the unit in the name Jaeger's reader queries", async () => {
    const t = setup({ sets: ['spanmetrics'] });
    t.source.add(exampleSpans());
    const { body } = await scrapeAfterOnePass(t);
    // Exit 3 is "lint problems" (1 would be a parse error); the name is fixed by Jaeger (jaeger-api.md §7b).
    expect(promtool(body)).toEqual({
      status: 3,
      output: 'traces_span_metrics_duration_milliseconds use base unit "seconds" instead of "milliseconds"\n',
    });
  });
});

function exampleSpans(): Span[] {
  return [
    span((b) => b.withService('api').withKind('server').withOperation('GET /items/12345'), T0_MS + 1_000, 300),
    span(
      (b) =>
        b
          .withService('llm-gateway')
          .withOperation('call')
          .withTag('gen_ai.request.model', 'm "quoted"\\x')
          .withTag('gen_ai.usage.input_tokens', 5)
          .withError(),
      T0_MS + 1_000,
      300,
    ),
    span((b) => b.withService('actor-server').withOperation('actor::execute').withTag('actor_name', 'writer'), T0_MS + 2_000, 10_000),
    span((b) => b.withService('actor-server').withOperation('narrative::execute_impl'), T0_MS + 2_000, 10_000),
  ];
}

async function scrapeAfterOnePass(t: ReturnType<typeof setup>) {
  t.advance(45_000);
  await t.exporter.tail.runPass();
  await t.exporter.scrape();
  return t.exporter.scrape();
}

function promtool(body: string): { status: number | null; output: string } {
  const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
  return { status: check.status, output: `${check.stdout}${check.stderr}` };
}
