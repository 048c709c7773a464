import { describe, expect, it } from 'vitest';
import { aSpan } from '../../testing/span-builder.ts';
import { createSpanExporter } from './metric-sets.ts';

/** The labels one span gets in traces_span_metrics_calls_total. */
function spanmetricsLabels(build: (b: ReturnType<typeof aSpan>) => ReturnType<typeof aSpan>): readonly string[] {
  const exporter = createSpanExporter({ sets: ['spanmetrics'], rules: [], bucketsMs: [1], maxLabelValues: 10 });
  const seen: (readonly string[])[] = [];
  exporter.observe(build(aSpan().withService('svc').withOperation('op')).build(), (metric, labels) => {
    if (exporter.specs[metric]?.name === 'traces_span_metrics_calls_total') seen.push(labels);
  });
  expect(seen).toHaveLength(1);
  return seen[0] as readonly string[];
}

describe('spanmetrics labels', () => {
  it.each([
    ['no kind, no status', (b: ReturnType<typeof aSpan>) => b, ['svc', 'op', 'SPAN_KIND_UNSPECIFIED', 'STATUS_CODE_UNSET']],
    [
      'client with status OK',
      (b: ReturnType<typeof aSpan>) => b.withKind('client').withTag('otel.status_code', 'OK'),
      ['svc', 'op', 'SPAN_KIND_CLIENT', 'STATUS_CODE_OK'],
    ],
    [
      'consumer flagged as an error',
      (b: ReturnType<typeof aSpan>) => b.withKind('consumer').withError(),
      ['svc', 'op', 'SPAN_KIND_CONSUMER', 'STATUS_CODE_ERROR'],
    ],
    [
      'producer, ID folded out of its name',
      (b: ReturnType<typeof aSpan>) => b.withKind('producer').withOperation('send order 1234567'),
      ['svc', 'send order {id}', 'SPAN_KIND_PRODUCER', 'STATUS_CODE_UNSET'],
    ],
  ])('%s', (_name, build, expected) => {
    expect(spanmetricsLabels(build)).toEqual(expected);
  });

  it('emits one call and one duration in ms per span, nothing for the llm set on a span without a model', () => {
    const exporter = createSpanExporter({ sets: ['spanmetrics', 'llm'], rules: [], bucketsMs: [1], maxLabelValues: 10 });
    const emitted: [string, number][] = [];
    exporter.observe(aSpan().withDuration(2_500).build(), (metric, _labels, value) => emitted.push([exporter.specs[metric]?.name ?? '?', value]));
    expect(emitted).toEqual([
      ['traces_span_metrics_calls_total', 1],
      ['traces_span_metrics_duration_milliseconds', 2.5],
    ]);
  });
});
