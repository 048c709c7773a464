import { describe, expect, it } from 'vitest';
import type { Span } from '../jaeger/span.ts';
import { createPrng } from '../testing/seed/prng.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { createBubbleUp, MAX_DISTINCT_VALUES, MAX_KEYS, VALUES_PER_KEY, type BubbleUpOptions, type ResolvedCohortCondition } from './bubbleup.ts';

const WINDOW = { windowStartUs: 0, windowEndUs: 10_000_000_000 };

function run(spans: readonly Span[], cohort: readonly ResolvedCohortCondition[], options: Partial<BubbleUpOptions> = {}) {
  const bubbleUp = createBubbleUp({ service: 'svc', tags: {}, clientErrorsFrom4xx: false, ...WINDOW, ...options, cohort });
  spans.forEach((span, i) => bubbleUp.addTrace(aTrace([span], hexId(i + 1, 32))));
  return bubbleUp.finish();
}

const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'] as const;
const PLANS = ['free', 'pro', 'team'] as const;

describe('createBubbleUp', () => {
  it('counts the 2×2 table of each value and tests it: 3 of 4 errors on plan=pro against 1 of 4 others is the tea-tasting table', () => {
    const plans = ['pro', 'pro', 'pro', 'free', 'pro', 'free', 'free', 'free'];
    const spans = plans.map((plan, i) =>
      aSpan()
        .withStart(1_000 + i)
        .withError(i < 4)
        .withTag('plan', plan)
        .build(),
    );
    const result = run(spans, [{ kind: 'errors' }]);
    expect(result.cohortTotal).toBe(4);
    expect(result.baselineTotal).toBe(4);
    expect(result.comparisons).toBe(2);
    const pro = result.attributes.find((a) => a.value === 'pro');
    expect(pro).toMatchObject({
      key: 'plan',
      cohortCount: 3,
      cohortTotal: 4,
      baselineCount: 1,
      baselineTotal: 4,
      cohortShare: 0.75,
      baselineShare: 0.25,
    });
    expect(pro?.pValue).toBeCloseTo(34 / 70, 12);
    // Holm over m = 2 tests (pro and free) with equal p: 2 × 34/70.
    expect(pro?.adjustedP).toBeCloseTo(68 / 70, 12);
    expect(pro?.significant).toBe(false);
  });

  it('ranks a planted slow region first and marks it significant, and marks no other key', () => {
    const random = createPrng(7).next; // a seeded workload, never Math.random
    const spans = Array.from({ length: 800 }, (_, i) => {
      const region = REGIONS[i % 4] as string;
      const durationUs = Math.round((region === 'ap-south' ? 400_000 : 100_000) * (0.8 + 0.4 * random()));
      return aSpan()
        .withStart(1_000 + i)
        .withDuration(durationUs)
        .withTag('region', region)
        .withTag('plan', PLANS[Math.floor(random() * 3)] as string)
        .withProcessTag('host', `host-${Math.floor(random() * 5)}`)
        .build();
    });
    // Every ap-south span is ≥ 320 ms and every other ≤ 120 ms: the cohort is exactly the 200 ap-south spans.
    const result = run(spans, [{ kind: 'minDuration', durationUs: 300_000 }]);
    expect(result.cohortTotal).toBe(200);
    expect(result.attributes[0]).toMatchObject({ key: 'region', value: 'ap-south', cohortCount: 200, baselineCount: 0, significant: true });
    const marked = result.attributes.filter((a) => a.significant);
    expect(new Set(marked.map((a) => a.key))).toEqual(new Set(['region']));
    // Process tags are compared under their group-by name.
    expect(result.attributes.some((a) => a.key === 'process.host')).toBe(true);
  });

  it('marks nothing in at least 95% of seeded workloads where no tag matters (Holm’s family-wise 5%)', () => {
    const WORKLOADS = 200;
    let withAnyMark = 0;
    let tests = 0;
    let rawBelowFivePercent = 0;
    for (let seed = 1; seed <= WORKLOADS; seed++) {
      const random = createPrng(seed).next;
      const spans = Array.from({ length: 300 }, (_, i) =>
        aSpan()
          .withStart(1_000 + i)
          .withDuration(Math.round(50_000 * -Math.log(1 - random())) + 1)
          .withError(random() < 0.1)
          .withTag('region', REGIONS[Math.floor(random() * 4)] as string)
          .withTag('plan', PLANS[Math.floor(random() * 3)] as string)
          .withTag('host', `host-${Math.floor(random() * 12)}`)
          .build(),
      );
      // The slowest tenth by the workload's own durations, as "slower than p90" would pick them.
      const p90 = spans.map((s) => s.durationUs).sort((a, b) => a - b)[Math.ceil(0.9 * spans.length) - 1] as number;
      const cohort: ResolvedCohortCondition[] = seed % 2 === 0 ? [{ kind: 'minDuration', durationUs: p90 + 1 }] : [{ kind: 'errors' }];
      const result = run(spans, cohort);
      if (result.attributes.some((a) => a.significant)) withAnyMark += 1;
      tests += result.comparisons;
      rawBelowFivePercent += result.attributes.filter((a) => a.pValue <= 0.05).length;
    }
    expect(withAnyMark).toBeLessThanOrEqual(WORKLOADS * 0.05);
    // Fisher's test is exact and conservative: uncorrected, at most 5% of null tests fall at p ≤ 0.05.
    expect(rawBelowFivePercent / tests).toBeLessThanOrEqual(0.05);
  });

  it('counts only the spans the query counts, prefixes process tags and gives spans without a key the value (none)', () => {
    const spans = [
      aSpan().withDuration(900).withTag('route', '/a').withProcessTag('zone', 'z1').build(),
      aSpan().withDuration(900).withProcessTag('zone', 'z1').build(),
      aSpan().withDuration(10).withTag('route', '/a').withTag('only.baseline', 'x').withProcessTag('zone', 'z2').build(),
      aSpan().withService('other').withDuration(900).withTag('route', '/other').build(),
    ];
    const result = run(spans, [{ kind: 'minDuration', durationUs: 500 }]);
    expect(result.cohortTotal).toBe(2);
    expect(result.baselineTotal).toBe(1);
    const table = result.attributes.map((a) => [a.key, a.value, a.cohortCount, a.baselineCount]);
    expect(table).toEqual(
      expect.arrayContaining([
        ['route', '/a', 1, 1],
        ['route', '(none)', 1, 0],
        ['process.zone', 'z1', 2, 0],
        ['process.zone', 'z2', 0, 1],
      ]),
    );
    expect(table).toHaveLength(4);
  });

  it('counts a key repeated on one span once, with its first value, as spanTagValue reads it', () => {
    // The builder replaces a key; a span from the wire can carry one twice.
    const repeated: Span = {
      ...aSpan().withDuration(900).build(),
      tags: [
        { key: 'k', value: 'first' },
        { key: 'k', value: 'second' },
      ],
    };
    const spans = [repeated, aSpan().withDuration(10).withTag('k', 'first').build()];
    const result = run(spans, [{ kind: 'minDuration', durationUs: 500 }]);
    expect(result.attributes.map((a) => [a.value, a.cohortCount, a.baselineCount])).toEqual([['first', 1, 1]]);
  });

  it.each<[string, ResolvedCohortCondition[], number[]]>([
    ['duration ranges are half-open', [{ kind: 'duration', fromUs: 200, toUs: 400 }], [1, 2]],
    ['time ranges are half-open', [{ kind: 'time', startUs: 1_001, endUs: 1_003 }], [1, 2]],
    ['maxDuration is inclusive', [{ kind: 'maxDuration', durationUs: 200 }], [0, 1]],
    ['a tag, process tags by their prefix', [{ kind: 'tag', key: 'process.pod', value: 'b' }], [2, 3]],
    [
      'conditions all hold',
      [
        { kind: 'minDuration', durationUs: 200 },
        { kind: 'tag', key: 'process.pod', value: 'b' },
      ],
      [2, 3],
    ],
  ])('picks the cohort by its conditions: %s', (_name, cohort, expected) => {
    const spans = [100, 200, 300, 400].map((durationUs, i) =>
      aSpan()
        .withStart(1_000 + i)
        .withDuration(durationUs)
        .withTag('n', String(i))
        .withProcessTag('pod', i < 2 ? 'a' : 'b')
        .build(),
    );
    const result = run(spans, cohort);
    const inCohort = result.attributes.filter((a) => a.key === 'n' && a.cohortCount === 1).map((a) => Number(a.value));
    expect(inCohort.sort()).toEqual(expected);
  });

  it('compares with only the spans of the rest that meet baselineCohort, when given', () => {
    const spans = [100, 200, 300, 400].map((durationUs, i) =>
      aSpan()
        .withStart(1_000 + i)
        .withDuration(durationUs)
        .withTag('pod', i < 2 ? 'a' : 'b')
        .build(),
    );
    const result = run(spans, [{ kind: 'minDuration', durationUs: 400 }], { baselineCohort: [{ kind: 'maxDuration', durationUs: 200 }] });
    expect(result).toMatchObject({ cohortTotal: 1, baselineTotal: 2 });
    // The same table mirrored: equal p and difference, so by value.
    expect(result.attributes.map((a) => [a.value, a.cohortCount, a.baselineCount])).toEqual([
      ['a', 0, 2],
      ['b', 1, 0],
    ]);
  });

  it('tests the 20 most prominent values of a key and folds the rest; skips keys with too many or too long values', () => {
    const spans = Array.from({ length: 600 }, (_, i) =>
      aSpan()
        .withStart(1_000 + i)
        .withDuration(i % 2 === 0 ? 1_000 : 10)
        .withTag('shard', `s${i % 30}`)
        .withTag('request.id', `r${i}`)
        .withTag('statement', i === 5 ? 'x'.repeat(501) : 'select 1')
        .build(),
    );
    const result = run(spans, [{ kind: 'minDuration', durationUs: 1_000 }]);
    expect(result.cappedKeys).toEqual([{ key: 'shard', distinctValues: 30, valuesShown: VALUES_PER_KEY }]);
    expect(result.attributes.filter((a) => a.key === 'shard')).toHaveLength(VALUES_PER_KEY);
    expect(result.skippedKeys).toEqual([
      { key: 'request.id', reason: `more than ${MAX_DISTINCT_VALUES} distinct values` },
      { key: 'statement', reason: 'a value is longer than 500 characters' },
    ]);
    expect(result.comparisons).toBe(VALUES_PER_KEY);
    expect(result.keysOverLimit).toBe(false);
  });

  it(`tallies at most ${MAX_KEYS} keys and says when there were more`, () => {
    const builder = aSpan().withDuration(1_000);
    for (let k = 0; k < MAX_KEYS + 5; k++) builder.withTag(`k${k}`, 'v');
    const result = run([builder.build()], [{ kind: 'errors' }, { kind: 'minDuration', durationUs: 0 }]);
    expect(result.keysOverLimit).toBe(true);
    expect(result.cohortTotal).toBe(0);
    expect(result.attributes).toEqual([]);
  });
});
