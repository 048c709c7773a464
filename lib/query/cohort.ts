import { z } from 'zod';
import { formatDuration, formatInstant, parseDuration, parseInstant } from '../units.ts';

/**
 * The BubbleUp cohort grammar (`cohort=`): which of the query's counted spans form the cohort, whose
 * tag values are compared with the rest (the baseline). One or more conditions joined with `;`, all
 * of which must hold:
 *
 *   errors                          error spans by the query's error rule (design §2)
 *   minDuration:500ms               duration ≥ 500 ms          maxDuration:2s    duration ≤ 2 s
 *   slowerThan:p90                  duration > the query's exact p90 (p50, p90, p95 or p99)
 *   duration:100ms..300ms           100 ms ≤ duration < 300 ms (a heatmap brush: rows are half-open)
 *   time:<instant>..<instant>       start ≥ the first instant and < the second (heatmap columns)
 *   tag:KEY=VALUE                   the span tag KEY (or `process.KEY`, a process tag) equals VALUE
 *
 * Durations and instants are lib/units.ts's. In a tag key or value, `\;` stands for `;` and `\\` for `\`.
 */

export const COHORT_PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
export type CohortPercentile = (typeof COHORT_PERCENTILES)[number];

export type CohortCondition =
  | { readonly kind: 'errors' }
  | { readonly kind: 'minDuration'; readonly durationUs: number }
  | { readonly kind: 'maxDuration'; readonly durationUs: number }
  | { readonly kind: 'slowerThan'; readonly percentile: CohortPercentile }
  | { readonly kind: 'duration'; readonly fromUs: number; readonly toUs: number }
  | { readonly kind: 'time'; readonly startUs: number; readonly endUs: number }
  | { readonly kind: 'tag'; readonly key: string; readonly value: string };

export type Cohort = readonly CohortCondition[];

export const MAX_COHORT_CONDITIONS = 10;
/** Two tag names of lib/query's MAX_TEXT and some room: a cohort is never megabytes to match. */
export const MAX_COHORT_TEXT = 21_000;

export const COHORT_EXAMPLE =
  'errors, minDuration:500ms, maxDuration:2s, slowerThan:p90, duration:100ms..300ms, time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z ' +
  'or tag:region=eu-west, several joined with ;';

/** `a;b` split at unescaped `;`, escapes kept (the tag condition undoes them). */
function splitConditions(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      current += char + (text[i + 1] as string);
      i += 1;
    } else if (char === ';') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string): string => text.replace(/\\([\\;])/g, '$1');
const escape = (text: string): string => text.replace(/[\\;]/g, '\\$&');

/** `from..to` with both ends read by `parse`; null when either is missing or unreadable. */
function parseRange(text: string, parse: (text: string) => number | null): { from: number; to: number } | null {
  const at = text.indexOf('..');
  if (at < 0) return null;
  const from = parse(text.slice(0, at));
  const to = parse(text.slice(at + 2));
  return from === null || to === null ? null : { from, to };
}

/** One condition, or the sentence saying what is wrong with it. */
function parseCondition(raw: string, field: string): CohortCondition | string {
  const text = raw.trim();
  const shown = `"${text.slice(0, 80)}"`;
  if (text === 'errors') return { kind: 'errors' };
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? '' : text.slice(colon + 1);
  switch (name) {
    case 'minDuration':
    case 'maxDuration': {
      const durationUs = parseDuration(arg);
      return durationUs === null ? `${field} ${shown} needs a duration such as ${name}:250ms` : { kind: name, durationUs };
    }
    case 'slowerThan': {
      const percentile = COHORT_PERCENTILES.find((p) => p === arg);
      return percentile === undefined
        ? `${field} ${shown} needs one of ${COHORT_PERCENTILES.join(', ')}, such as slowerThan:p90`
        : { kind: 'slowerThan', percentile };
    }
    case 'duration': {
      const range = parseRange(arg, parseDuration);
      if (range === null) return `${field} ${shown} needs two durations such as duration:100ms..300ms`;
      if (range.from >= range.to) return `${field} ${shown}: the first duration must be less than the second`;
      return { kind: 'duration', fromUs: range.from, toUs: range.to };
    }
    case 'time': {
      const range = parseRange(arg, parseInstant);
      if (range === null) return `${field} ${shown} needs two instants such as time:2026-11-23T09:00:00Z..2026-11-23T09:05:00Z`;
      if (range.from >= range.to) return `${field} ${shown}: the first instant must be before the second`;
      return { kind: 'time', startUs: range.from, endUs: range.to };
    }
    case 'tag': {
      const equals = arg.indexOf('=');
      const key = equals > 0 ? unescape(arg.slice(0, equals)) : '';
      const value = equals > 0 ? unescape(arg.slice(equals + 1)) : '';
      return key === '' || value === '' ? `${field} ${shown} needs a key and a value such as tag:region=eu-west` : { kind: 'tag', key, value };
    }
    default:
      return `${field} takes ${COHORT_EXAMPLE}; got ${shown}`;
  }
}

/** The conditions of a cohort spec, or the sentence (naming the param, `field`) saying what is wrong with it. */
export function parseCohort(text: string, field = 'cohort'): Cohort | string {
  if (text.length > MAX_COHORT_TEXT) return `${field} must be at most ${MAX_COHORT_TEXT.toLocaleString('en-US')} characters`;
  const parts = splitConditions(text);
  if (parts.length > MAX_COHORT_CONDITIONS) return `${field} allows at most ${MAX_COHORT_CONDITIONS} conditions joined with ;`;
  const conditions: CohortCondition[] = [];
  for (const part of parts) {
    const condition = parseCondition(part, field);
    if (typeof condition === 'string') return condition;
    conditions.push(condition);
  }
  return conditions;
}

function formatCondition(condition: CohortCondition): string {
  switch (condition.kind) {
    case 'errors':
      return 'errors';
    case 'minDuration':
    case 'maxDuration':
      return `${condition.kind}:${formatDuration(condition.durationUs)}`;
    case 'slowerThan':
      return `slowerThan:${condition.percentile}`;
    case 'duration':
      return `duration:${formatDuration(condition.fromUs)}..${formatDuration(condition.toUs)}`;
    case 'time':
      return `time:${formatInstant(condition.startUs)}..${formatInstant(condition.endUs)}`;
    case 'tag':
      return `tag:${escape(condition.key)}=${escape(condition.value)}`;
  }
}

/** The cohort written back in the grammar, conditions in the order given: parseCohort reads it back. */
export function formatCohort(cohort: Cohort): string {
  return cohort.map(formatCondition).join(';');
}

const first = (value: unknown): unknown => {
  const picked = Array.isArray(value) ? value[0] : value;
  return picked === '' ? undefined : picked;
};

const cohortSpec = (field: string) =>
  z.string({ error: `Choose a cohort: ${field}= takes ${COHORT_EXAMPLE}` }).transform((text, ctx): Cohort => {
    const cohort = parseCohort(text, field);
    if (typeof cohort === 'string') {
      ctx.addIssue({ code: 'custom', message: cohort });
      return z.NEVER;
    }
    return cohort;
  });

/**
 * `cohort=<spec>` (required: BubbleUp compares a cohort with the rest) and `baselineCohort=<spec>`
 * (optional, same grammar): the baseline is then only the other counted spans that meet it.
 */
export const cohortPiece = z
  .object({ cohort: z.preprocess(first, cohortSpec('cohort')), baselineCohort: z.preprocess(first, cohortSpec('baselineCohort').optional()) })
  .transform((raw) => ({ cohort: raw.cohort, ...(raw.baselineCohort !== undefined && { baselineCohort: raw.baselineCohort }) }));

/**
 * A page URL's `cohort=` (the drill-down's BubbleUp panel): optional page state, kept as its canonical
 * spec so links and controls carry it along; an invalid one is the page's visible invalid-query notice.
 */
export const pageCohortPiece = z
  .object({ cohort: z.preprocess(first, cohortSpec('cohort').optional()) })
  .transform((raw) => ({ ...(raw.cohort !== undefined && { cohort: formatCohort(raw.cohort) }) }));
