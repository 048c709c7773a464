import type { Span, Trace } from '../jaeger/span.ts';
import { compareCodeUnits, spanTagValue } from '../jaeger/span-rules.ts';
import type { CohortCondition } from '../query/cohort.ts';
import { fisherExactTwoSided, holmAdjust } from './fisher.ts';
import { MISSING_TAG_VALUE } from './groups.ts';
import { createSpanMatcher, isErrorSpan } from './span-match.ts';
import type { AggregationOptions } from './types.ts';

/**
 * BubbleUp (issue 13): what the cohort's spans have in common. Among the spans a query counts, the
 * cohort is those meeting every cohort condition and the baseline is the rest. For every tag key on
 * the cohort's spans (span tags as is, process tags as `process.KEY`, as groupBy=tag: reads them) and
 * each of its values, the 2×2 table (cohort / baseline × has the value / not) gets a two-sided
 * Fisher exact test; Holm's correction over every test made decides what is marked significant.
 * Memory is bounded by the caps below, not by the window: counts per (key, value), never spans.
 */

/** A cohort condition with `slowerThan:pN` already replaced by the duration it meant (lib/server/bubbleup-service.ts). */
export type ResolvedCohortCondition = Exclude<CohortCondition, { readonly kind: 'slowerThan' }>;

export interface BubbleUpOptions extends Pick<
  AggregationOptions,
  'service' | 'operation' | 'foldNames' | 'tags' | 'minDurationUs' | 'maxDurationUs' | 'windowStartUs' | 'windowEndUs'
> {
  readonly clientErrorsFrom4xx: boolean;
  readonly cohort: readonly ResolvedCohortCondition[];
  /** When given, the baseline is only the other counted spans that meet these conditions too; the rest count in neither. */
  readonly baselineCohort?: readonly ResolvedCohortCondition[] | undefined;
}

/** Family-wise error rate of Holm's correction: the chance that anything marked is a fluke is at most this. */
export const SIGNIFICANCE_LEVEL = 0.05;
/** Values shown (and tested) per key: the ones with the largest share in the cohort or the baseline. */
export const VALUES_PER_KEY = 20;
/** A key with more distinct values than this (ids, timestamps, URLs) is skipped, and said so. */
export const MAX_DISTINCT_VALUES = 200;
/** A key with a longer value (statements, stack traces) is skipped: it is an id, not a category. */
export const MAX_VALUE_LENGTH = 500;
/** Keys tallied at most; `keysOverLimit` says when a span had more. */
export const MAX_KEYS = 300;

export const BUBBLEUP_DEFINITIONS = {
  cohort:
    'The cohort is the counted spans that meet every cohort condition; the baseline is the rest of the counted spans of the same window ' +
    '(with baselineCohort, only those of the rest that meet its conditions).',
  test:
    'For each tag value, the two-sided Fisher exact test on the 2×2 table (cohort spans with the value, cohort spans without it, ' +
    'baseline spans with it, baseline spans without it), as R’s fisher.test: the probability, with the same margins, of a table no more likely than this one.',
  correction:
    `Holm–Bonferroni over every value tested (comparisons): a value is significant when its adjusted p-value is at most ${SIGNIFICANCE_LEVEL}, ` +
    `so the chance that any marked value is a fluke is at most ${SIGNIFICANCE_LEVEL * 100}%. Spans are treated as independent: ` +
    'spans of one trace that share a value and a duration make it look stronger than it is.',
  caps:
    `The ${VALUES_PER_KEY} values of a key with the largest share in the cohort or the baseline are tested and shown; the rest are folded (cappedKeys). ` +
    `Keys with more than ${MAX_DISTINCT_VALUES} distinct values or a value longer than ${MAX_VALUE_LENGTH} characters are skipped (skippedKeys); ` +
    `at most ${MAX_KEYS} keys, each at most ${MAX_VALUE_LENGTH} characters long, are tallied (keysOverLimit). A span without the key counts as the value ${MISSING_TAG_VALUE}.`,
} as const;

export interface BubbleUpAttribute {
  readonly key: string;
  readonly value: string;
  readonly cohortCount: number;
  readonly cohortTotal: number;
  readonly baselineCount: number;
  readonly baselineTotal: number;
  /** cohortCount / cohortTotal (0 for an empty side). */
  readonly cohortShare: number;
  readonly baselineShare: number;
  readonly pValue: number;
  /** Holm-adjusted over `comparisons` tests. */
  readonly adjustedP: number;
  readonly significant: boolean;
}

export interface BubbleUpResult {
  readonly cohortTotal: number;
  readonly baselineTotal: number;
  /** Most significant first: smallest p, then the largest difference in share. */
  readonly attributes: readonly BubbleUpAttribute[];
  /** Tests made, the m of Holm's correction. */
  readonly comparisons: number;
  readonly cappedKeys: readonly { readonly key: string; readonly distinctValues: number; readonly valuesShown: number }[];
  readonly skippedKeys: readonly { readonly key: string; readonly reason: string }[];
  /** Some keys were not tallied: more than MAX_KEYS of them, or keys longer than MAX_VALUE_LENGTH characters. */
  readonly keysOverLimit: boolean;
}

interface KeyTally {
  /** value → [cohort spans, baseline spans]. */
  values: Map<string, [number, number]> | null;
  cohortSpans: number;
  baselineSpans: number;
  skipped: string | null;
  /** The last span (by its serial number) that carried the key: a repeated tag on one span is not a second span. */
  lastSpan: number;
}

/** One predicate for the cohort's conditions, all of which must hold. */
function cohortMatcher(cohort: readonly ResolvedCohortCondition[], clientErrorsFrom4xx: boolean): (span: Span) => boolean {
  const tests = cohort.map((condition): ((span: Span) => boolean) => {
    switch (condition.kind) {
      case 'errors':
        return (span) => isErrorSpan(span, clientErrorsFrom4xx);
      case 'minDuration':
        return (span) => span.durationUs >= condition.durationUs;
      case 'maxDuration':
        return (span) => span.durationUs <= condition.durationUs;
      case 'duration':
        return (span) => span.durationUs >= condition.fromUs && span.durationUs < condition.toUs;
      case 'time':
        return (span) => span.startUs >= condition.startUs && span.startUs < condition.endUs;
      case 'tag':
        return (span) => {
          const value = spanTagValue(span, condition.key);
          return value !== undefined && String(value) === condition.value;
        };
    }
  });
  return (span) => tests.every((test) => test(span));
}

export interface BubbleUp {
  addTrace(trace: Trace): void;
  finish(): BubbleUpResult;
}

export function createBubbleUp(options: BubbleUpOptions): BubbleUp {
  const counted = createSpanMatcher(options);
  const inCohort = cohortMatcher(options.cohort, options.clientErrorsFrom4xx);
  const inBaseline = cohortMatcher(options.baselineCohort ?? [], options.clientErrorsFrom4xx);
  // A Map: a tag key such as __proto__ is a key like any other.
  const keys = new Map<string, KeyTally>();
  let spanSerial = 0;
  let cohortTotal = 0;
  let baselineTotal = 0;
  let keysOverLimit = false;

  const note = (key: string, rawValue: unknown, cohort: boolean) => {
    let tally = keys.get(key);
    if (tally === undefined) {
      if (keys.size >= MAX_KEYS || key.length > MAX_VALUE_LENGTH) {
        keysOverLimit = true;
        return;
      }
      tally = { values: new Map(), cohortSpans: 0, baselineSpans: 0, skipped: null, lastSpan: -1 };
      keys.set(key, tally);
    }
    // The first tag with a key is the span's value (spanTagValue); a repeat is not a second span.
    if (tally.lastSpan === spanSerial) return;
    tally.lastSpan = spanSerial;
    if (cohort) tally.cohortSpans += 1;
    else tally.baselineSpans += 1;
    if (tally.values === null) return;
    const value = String(rawValue);
    let counts = tally.values.get(value);
    if (counts === undefined) {
      if (value.length > MAX_VALUE_LENGTH) return skip(tally, `a value is longer than ${MAX_VALUE_LENGTH} characters`);
      if (tally.values.size >= MAX_DISTINCT_VALUES) return skip(tally, `more than ${MAX_DISTINCT_VALUES} distinct values`);
      tally.values.set(value, (counts = [0, 0]));
    }
    counts[cohort ? 0 : 1] += 1;
  };

  return {
    addTrace(trace) {
      for (const span of trace.spans) {
        if (!counted(span)) continue;
        const cohort = inCohort(span);
        if (!cohort && !inBaseline(span)) continue;
        if (cohort) cohortTotal += 1;
        else baselineTotal += 1;
        spanSerial += 1;
        for (const tag of span.tags) note(tag.key, tag.value, cohort);
        for (const tag of span.processTags) note(`process.${tag.key}`, tag.value, cohort);
      }
    },
    finish: () => finishBubbleUp(keys, cohortTotal, baselineTotal, keysOverLimit),
  };
}

/** Drops a key's values (their memory too) and says why. */
function skip(tally: KeyTally, reason: string): void {
  tally.values = null;
  tally.skipped = reason;
}

const share = (count: number, total: number): number => (total === 0 ? 0 : count / total);

type Row = Omit<BubbleUpAttribute, 'adjustedP' | 'significant'>;

function finishBubbleUp(keys: ReadonlyMap<string, KeyTally>, cohortTotal: number, baselineTotal: number, keysOverLimit: boolean): BubbleUpResult {
  const rows: Row[] = [];
  const cappedKeys: BubbleUpResult['cappedKeys'][number][] = [];
  const skippedKeys: BubbleUpResult['skippedKeys'][number][] = [];
  for (const [key, tally] of keys) {
    // Keys on the cohort's spans only: a key the cohort never carries says nothing about what it has in common.
    if (tally.cohortSpans === 0) continue;
    if (tally.values === null) {
      skippedKeys.push({ key, reason: tally.skipped ?? '' });
      continue;
    }
    const values = [...tally.values].map(([value, [cohortCount, baselineCount]]) => ({ value, cohortCount, baselineCount }));
    const missing = { value: MISSING_TAG_VALUE, cohortCount: cohortTotal - tally.cohortSpans, baselineCount: baselineTotal - tally.baselineSpans };
    if (missing.cohortCount + missing.baselineCount > 0 && !tally.values.has(MISSING_TAG_VALUE)) values.push(missing);
    const prominence = (v: (typeof values)[number]) => Math.max(share(v.cohortCount, cohortTotal), share(v.baselineCount, baselineTotal));
    values.sort((x, y) => prominence(y) - prominence(x) || compareCodeUnits(x.value, y.value));
    if (values.length > VALUES_PER_KEY) cappedKeys.push({ key, distinctValues: values.length, valuesShown: VALUES_PER_KEY });
    for (const { value, cohortCount, baselineCount } of values.slice(0, VALUES_PER_KEY)) {
      rows.push({
        key,
        value,
        cohortCount,
        cohortTotal,
        baselineCount,
        baselineTotal,
        cohortShare: share(cohortCount, cohortTotal),
        baselineShare: share(baselineCount, baselineTotal),
        pValue: fisherExactTwoSided(cohortCount, cohortTotal - cohortCount, baselineCount, baselineTotal - baselineCount),
      });
    }
  }
  const adjusted = holmAdjust(rows.map((row) => row.pValue));
  const attributes = rows.map((row, i) => {
    const adjustedP = adjusted[i] as number;
    return { ...row, adjustedP, significant: adjustedP <= SIGNIFICANCE_LEVEL };
  });
  const difference = (row: BubbleUpAttribute) => Math.abs(row.cohortShare - row.baselineShare);
  // On a tie a value a span carries goes before "lacks the key" (the same table mirrored when a key has one value).
  const missing = (row: BubbleUpAttribute) => (row.value === MISSING_TAG_VALUE ? 1 : 0);
  attributes.sort(
    (x, y) =>
      x.pValue - y.pValue ||
      difference(y) - difference(x) ||
      compareCodeUnits(x.key, y.key) ||
      missing(x) - missing(y) ||
      compareCodeUnits(x.value, y.value),
  );
  cappedKeys.sort((x, y) => compareCodeUnits(x.key, y.key));
  skippedKeys.sort((x, y) => compareCodeUnits(x.key, y.key));
  return { cohortTotal, baselineTotal, attributes, comparisons: rows.length, cappedKeys, skippedKeys, keysOverLimit };
}
