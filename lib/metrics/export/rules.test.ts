import { describe, expect, it } from 'vitest';
import { parseRulesFile, RulesFileError } from './rules.ts';

const parse = (value: unknown) => parseRulesFile(JSON.stringify(value), 'rules.json');
const problems = (value: unknown): string => {
  try {
    parse(value);
  } catch (error) {
    if (error instanceof RulesFileError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('parseRulesFile', () => {
  it("reads the users' plan: a counter by actor name and status, a histogram in seconds", () => {
    const rules = parse({
      metrics: [
        {
          name: 'actor_execution_count',
          type: 'counter',
          match: { service: 'actor-server', operation: 'actor::execute' },
          labels: { actor_name: 'actor_name', status: '$status' },
        },
        { name: 'narrative_execution_duration', type: 'histogram', unit: 'seconds', match: { operation: 'narrative::execute_impl' } },
      ],
    });
    expect(rules.map((rule) => [rule.name, rule.type, rule.labels])).toEqual([
      ['actor_execution_count', 'counter', { actor_name: 'actor_name', status: '$status' }],
      ['narrative_execution_duration', 'histogram', {}],
    ]);
  });

  it('says the file is not JSON', () => {
    expect(() => parseRulesFile('{metrics: [', 'rules.json')).toThrow(/^rules\.json is not JSON: /);
  });

  it('names every bad field with where it is', () => {
    const message = problems({
      metrics: [
        { name: '9lives', type: 'gauge', match: {}, labels: { 'bad-name': 'x', __x: 'y', le: 'z', ok: '$nope' } },
        { name: 'llm_requests_total', type: 'counter', match: { service: 'a' }, unit: 'seconds' },
        { name: 'dup', type: 'counter', match: { service: 'a' } },
        { name: 'dup', type: 'counter', match: { service: 'b' }, extra: 1 },
      ],
    });
    expect(message.split('\n')).toEqual([
      'rules.json is not a valid rules file:',
      '- metrics.0.name: a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* (letters, digits, _ and :, not starting with a digit)',
      '- metrics.0.type: type must be "counter" or "histogram"',
      '- metrics.0.match: match must name a service, an operation or tags (a rule over every span is what spanmetrics is for)',
      '- metrics.0.labels.ok: a label source starting with $ must be one of $service, $operation, $span_kind, $status, $error_type',
      '- metrics.0.labels.bad-name: a label name must match [a-zA-Z_][a-zA-Z0-9_]*',
      '- metrics.0.labels.__x: label names starting with __ are reserved by Prometheus',
      '- metrics.0.labels.le: le and quantile are reserved label names',
      "- metrics.1.name: a metric name may not start with traces_span_metrics_, llm_, spanlens_export_ (the exporter's own metric sets use them)",
      '- metrics.1.unit: unit applies to histograms only',
      '- metrics.3: Unrecognized key: "extra"',
    ]);
  });

  it('refuses a metric name used twice', () => {
    expect(
      problems({
        metrics: [
          { name: 'a_total', type: 'counter', match: { service: 'x' } },
          { name: 'a_total', type: 'counter', match: { service: 'y' } },
        ],
      }),
    ).toBe('rules.json is not a valid rules file:\n- metrics.1.name: the metric name a_total is used twice');
  });

  it('refuses an empty file', () => {
    expect(problems({ metrics: [] })).toBe('rules.json is not a valid rules file:\n- metrics: metrics must list at least one rule');
  });
});
