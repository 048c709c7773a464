/**
 * The rules file of the `rules` metric set (SPANLENS_EXPORT_RULES): user-defined counters and
 * histograms over the spans a selector picks, labelled from tags. JSON, one zod schema, every problem
 * reported as a sentence naming the rule. Pure: the text in, rules or sentences out.
 */
import { z } from 'zod';

/** Prometheus's metric and label name grammar (https://prometheus.io/docs/concepts/data_model/). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label sources that are not tags: `$status` is `error` or `ok` by Spanlens's error rule (design §2). */
export const RULE_LABEL_SOURCES = ['$service', '$operation', '$span_kind', '$status', '$error_type'] as const;

/** Names the exporter itself writes: a rule may not reuse them. */
const RESERVED_PREFIXES = ['traces_span_metrics_', 'llm_', 'spanlens_export_'] as const;

const labelSource = z
  .string()
  .min(1, 'a label source must name a tag (e.g. "actor_name", "process.host.name") or one of ' + RULE_LABEL_SOURCES.join(', '))
  .refine((source) => !source.startsWith('$') || (RULE_LABEL_SOURCES as readonly string[]).includes(source), {
    message: `a label source starting with $ must be one of ${RULE_LABEL_SOURCES.join(', ')}`,
  });

const ruleSchema = z
  .object({
    name: z
      .string()
      .regex(METRIC_NAME, 'a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* (letters, digits, _ and :, not starting with a digit)')
      .refine((name) => !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)), {
        message: `a metric name may not start with ${RESERVED_PREFIXES.join(', ')} (the exporter's own metric sets use them)`,
      }),
    type: z.enum(['counter', 'histogram'], { error: 'type must be "counter" or "histogram"' }),
    help: z.string().max(300, 'help must be at most 300 characters').optional(),
    /** Histograms only: the unit of the observed span duration. */
    unit: z.enum(['seconds', 'milliseconds'], { error: 'unit must be "seconds" or "milliseconds"' }).optional(),
    match: z
      .strictObject({
        service: z.string().min(1, 'match.service must not be empty').optional(),
        operation: z.string().min(1, 'match.operation must not be empty').optional(),
        /** Compared as strings, like a Jaeger tag filter (span tags, process tags, log fields). */
        tags: z.record(z.string(), z.string()).optional(),
      })
      .refine((match) => match.service !== undefined || match.operation !== undefined || Object.keys(match.tags ?? {}).length > 0, {
        message: 'match must name a service, an operation or tags (a rule over every span is what spanmetrics is for)',
      }),
    labels: z
      .record(z.string(), labelSource)
      .superRefine((labels, ctx) => {
        // Checked here rather than as the record's key schema: zod reports a bad key only as "Invalid key in record".
        for (const name of Object.keys(labels)) {
          const problem = !LABEL_NAME.test(name)
            ? 'a label name must match [a-zA-Z_][a-zA-Z0-9_]*'
            : name.startsWith('__')
              ? 'label names starting with __ are reserved by Prometheus'
              : name === 'le' || name === 'quantile'
                ? 'le and quantile are reserved label names'
                : null;
          if (problem !== null) ctx.addIssue({ code: 'custom', path: [name], message: problem });
        }
      })
      .default({}),
  })
  .strict()
  .refine((rule) => rule.type === 'histogram' || rule.unit === undefined, { message: 'unit applies to histograms only', path: ['unit'] });

export type ExportRule = z.infer<typeof ruleSchema>;

const MAX_RULES = 100;

const rulesFileSchema = z
  .strictObject({ metrics: z.array(ruleSchema).min(1, 'metrics must list at least one rule').max(MAX_RULES, `at most ${MAX_RULES} rules`) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [index, rule] of file.metrics.entries()) {
      if (seen.has(rule.name))
        ctx.addIssue({ code: 'custom', path: ['metrics', index, 'name'], message: `the metric name ${rule.name} is used twice` });
      seen.add(rule.name);
    }
  });

export class RulesFileError extends Error {
  override readonly name = 'RulesFileError';
}

/** Parses the rules file's text; a RulesFileError lists every problem, one sentence each, with where it is. */
export function parseRulesFile(text: string, source: string): readonly ExportRule[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesFileError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = rulesFileSchema.safeParse(json);
  if (result.success) return result.data.metrics;
  const lines = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`);
  throw new RulesFileError(`${source} is not a valid rules file:\n- ${lines.join('\n- ')}`);
}
