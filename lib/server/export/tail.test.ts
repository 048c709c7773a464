import { describe, expect, it } from 'vitest';
import type { Span } from '../../jaeger/span.ts';
import { aSpan, hexId } from '../../testing/span-builder.ts';
import { FakeTraceSource } from '../testing/fake-trace-source.ts';
import { ExportTail, type IncompleteReason, type PassStats, type TailConfig } from './tail.ts';

const T0_MS = 1_800_000_000_000;
const S = 1_000_000;

function setup(overrides: Partial<TailConfig> = {}) {
  let nowMs = T0_MS;
  const source = new FakeTraceSource(() => nowMs);
  const counted: { span: Span; late: boolean }[] = [];
  const incomplete: IncompleteReason[] = [];
  const errors: string[] = [];
  const passes: PassStats[] = [];
  const config: TailConfig = {
    tailStartUs: T0_MS * 1_000,
    intervalMs: 15_000,
    settleUs: 30 * S,
    lateHorizonUs: 30 * S,
    maxSpanUs: 120 * S,
    maxTrackedSpans: 10_000,
    traceLimit: 100,
    minSplitUs: S,
    ...overrides,
  };
  const tail = new ExportTail(
    source,
    config,
    {
      count: (span, late) => counted.push({ span, late }),
      upstreamError: (_service, message) => errors.push(message),
      incomplete: (_service, reason) => incomplete.push(reason),
      passDone: (stats) => passes.push(stats),
    },
    () => nowMs,
  );
  const passesUntil = async (untilMs: number): Promise<void> => {
    while (nowMs < untilMs) {
      nowMs += 15_000;
      await tail.runPass();
    }
  };
  return { source, tail, counted, incomplete, errors, passes, passesUntil, now: () => nowMs, setNow: (ms: number) => (nowMs = ms) };
}

let ids = 0;
/** A span of `service` ending at `endUs`, in a trace of its own unless `traceId` is given. */
function spanEnding(endUs: number, durationUs = 2_000, service = 'api', traceId?: string): Span {
  ids += 1;
  return aSpan()
    .withTraceId(traceId ?? hexId(ids, 32))
    .withSpanId(hexId(ids))
    .withService(service)
    .withStart(endUs - durationUs)
    .withDuration(durationUs)
    .build();
}

const idsOf = (counted: readonly { span: Span }[]) => counted.map(({ span }) => `${span.traceId}:${span.spanId}`);

describe('ExportTail', () => {
  it('counts every span that ends after start-up exactly once over many overlapping passes, none from before', async () => {
    const t = setup();
    const before = [spanEnding(T0_MS * 1_000 - 1), spanEnding(T0_MS * 1_000 - 5 * S)];
    // One span ending every 700 ms for five minutes, each arriving 1 s after it ends.
    const after: Span[] = [];
    for (let endUs = T0_MS * 1_000; endUs < (T0_MS + 300_000) * 1_000; endUs += 700_000) after.push(spanEnding(endUs));
    t.source.add(before, T0_MS - 1_000);
    for (const span of after) t.source.add([span], (span.startUs + span.durationUs) / 1_000 + 1_000);
    await t.passesUntil(T0_MS + 300_000 + 45_000);
    expect(idsOf(t.counted).sort()).toEqual(idsOf(after.map((span) => ({ span }))).sort());
    expect(t.counted.filter((entry) => entry.late)).toEqual([]);
    expect(t.incomplete).toEqual([]);
  });

  it('leaves a span that ended less than the settle delay ago for a later pass', async () => {
    const t = setup();
    await t.passesUntil(T0_MS + 60_000);
    const span = spanEnding((t.now() - 10_000) * 1_000);
    t.source.add([span]);
    await t.tail.runPass();
    expect(t.counted).toEqual([]);
    await t.passesUntil(t.now() + 30_000);
    expect(idsOf(t.counted)).toEqual(idsOf([{ span }]));
  });

  it('counts a span that reached Jaeger after its own pass in the next one (late), and only once', async () => {
    const t = setup();
    const endUs = (T0_MS + 61_000) * 1_000;
    const late = spanEnding(endUs);
    const onTime = spanEnding(endUs + 1);
    t.source.add([onTime], T0_MS + 62_000);
    // Arrives 64 s after it ended: the pass covering its end (at +105 s, settle 30 s) and the next one had run.
    t.source.add([late], T0_MS + 125_000);
    await t.passesUntil(T0_MS + 300_000);
    expect(t.counted.map(({ span, late: wasLate }) => [span.spanId, wasLate])).toEqual([
      [onTime.spanId, false],
      [late.spanId, true],
    ]);
  });

  it('counts each span under its own service when one trace holds spans of two services', async () => {
    const t = setup();
    const endUs = (T0_MS + 20_000) * 1_000;
    const traceId = hexId(999_999, 32);
    const spans = [spanEnding(endUs, 5_000, 'api', traceId), spanEnding(endUs, 2_000, 'db', traceId), spanEnding(endUs, 1_000, 'db', traceId)];
    t.source.add(spans);
    await t.passesUntil(T0_MS + 120_000);
    expect(idsOf(t.counted).sort()).toEqual(idsOf(spans.map((span) => ({ span }))).sort());
  });

  it('finds a span that started up to SPANLENS_EXPORT_MAX_SPAN_S before its pass, not one longer', async () => {
    const t = setup({ maxSpanUs: 60 * S });
    const endUs = (T0_MS + 100_000) * 1_000;
    const long = spanEnding(endUs, 50 * S);
    const tooLong = spanEnding(endUs, 200 * S);
    t.source.add([long, tooLong]);
    await t.passesUntil(T0_MS + 200_000);
    expect(idsOf(t.counted)).toEqual(idsOf([{ span: long }]));
  });

  it('splits a search Jaeger cut at its limit until every part fits, and counts all spans exactly once', async () => {
    const t = setup({ traceLimit: 40 });
    // 250 spans over 50 s, all visible at the first pass: 40 a search needs pieces of under 8 s.
    const spans = Array.from({ length: 250 }, (_, i) => spanEnding((T0_MS + 100 + i * 200) * 1_000));
    t.source.add(spans);
    t.setNow(T0_MS + 80_000);
    await t.passesUntil(T0_MS + 120_000);
    expect(idsOf(t.counted).sort()).toEqual(idsOf(spans.map((span) => ({ span }))).sort());
    expect(t.source.searches.length).toBeGreaterThan(7);
    expect(t.incomplete).toEqual([]);
  });

  it('reports a start range still cut at the limit at the shortest split (spans missed), and counts what came', async () => {
    const t = setup({ traceLimit: 10 });
    // 30 traces whose spans all start within the same 100 µs: no split can separate them.
    const spans = Array.from({ length: 30 }, (_, i) => spanEnding((T0_MS + 5_000) * 1_000 + i, 1_000 + i));
    t.source.add(spans);
    await t.passesUntil(T0_MS + 60_000);
    expect(t.incomplete).toContain('limit');
    expect(t.counted.length).toBe(10);
  });

  it('reads an interval again after a failed search, without counting twice what the earlier try counted', async () => {
    const t = setup();
    const first = spanEnding((T0_MS + 5_000) * 1_000);
    t.source.add([first]);
    await t.passesUntil(T0_MS + 45_000);
    expect(idsOf(t.counted)).toEqual(idsOf([{ span: first }]));
    const second = spanEnding((T0_MS + 20_000) * 1_000);
    t.source.add([second]);
    t.source.failNext = 1;
    await t.passesUntil(t.now() + 15_000);
    expect(t.errors).toEqual(['Jaeger at http://fake answered 503']);
    expect(t.incomplete).toEqual(['error']);
    await t.passesUntil(t.now() + 30_000);
    expect(idsOf(t.counted)).toEqual(idsOf([{ span: first }, { span: second }]));
  });

  it('remembers only the spans that ended within the late horizon before the cursor', async () => {
    const t = setup();
    // 10 spans a second for 3 minutes; after each pass the ledger holds the 30 s before its cursor: 300 spans.
    for (let i = 0; i < 1_800; i += 1) t.source.add([spanEnding((T0_MS + 100 * i) * 1_000 + 1)], T0_MS + 100 * i);
    await t.passesUntil(T0_MS + 180_000);
    expect(t.passes.slice(4).map((stats) => stats.trackedSpans)).toEqual(t.passes.slice(4).map(() => 300));
  });

  it('remembers only the spans of the late horizon, and past SPANLENS_EXPORT_MAX_TRACKED_SPANS forgets the earliest-ending', async () => {
    const t = setup({ maxTrackedSpans: 50 });
    // 10 spans a second for 3 minutes: 300 in every 30 s horizon, six times the cap.
    const spans: Span[] = [];
    for (let i = 0; i < 1_800; i += 1) spans.push(spanEnding((T0_MS + 100 * i) * 1_000 + 1));
    for (const span of spans) t.source.add([span], (span.startUs + span.durationUs) / 1_000);
    await t.passesUntil(T0_MS + 240_000);
    expect(Math.max(...t.passes.map((stats) => stats.trackedSpans))).toBeLessThanOrEqual(50);
    expect(t.passes.at(-1)?.evictedSpans).toBeGreaterThan(0);
    // Each span at most once; the ones that ended below a raised floor in a re-read horizon are the only ones left out.
    expect(new Set(idsOf(t.counted)).size).toBe(t.counted.length);
    expect(t.counted.length).toBe(1_800);
  });
});
