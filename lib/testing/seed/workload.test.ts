import { describe, expect, it } from 'vitest';
import { SEED_SPREAD_MS, buildSeedWorkload, durationDecades, nearestRank, seedSpans, summarizeSeedWorkload } from './workload.ts';

const anchorMs = Date.UTC(2026, 10, 23, 10, 0, 0);

describe('buildSeedWorkload', () => {
  it('is deterministic: the same options give the same spans', () => {
    expect(buildSeedWorkload({ anchorMs, runId: 'a' })).toEqual(buildSeedWorkload({ anchorMs, runId: 'a' }));
  });

  it('changes only IDs with the run and only times with the anchor', () => {
    const a = summarizeSeedWorkload(buildSeedWorkload({ anchorMs, runId: 'a' }));
    const b = summarizeSeedWorkload(buildSeedWorkload({ anchorMs: anchorMs + 60_000, runId: 'b' }));
    expect(b.operations).toEqual(a.operations);
    expect(b.byModel).toEqual(a.byModel);
    expect(b.firstStartUs - a.firstStartUs).toBe(60_000_000);
    const idsA = new Set(buildSeedWorkload({ anchorMs, runId: 'a' }).traces.map((t) => t.traceId));
    const idsB = buildSeedWorkload({ anchorMs, runId: 'b' }).traces.map((t) => t.traceId);
    expect(idsB.filter((id) => idsA.has(id))).toEqual([]);
  });

  it('keeps every span inside the spread before the anchor, in whole microseconds', () => {
    const spans = seedSpans(buildSeedWorkload({ anchorMs, runId: 'r' }));
    for (const span of spans) {
      expect(Number.isInteger(span.startUs) && Number.isInteger(span.durationUs)).toBe(true);
      expect(span.durationUs).toBeGreaterThan(0);
      expect(span.startUs).toBeGreaterThanOrEqual((anchorMs - SEED_SPREAD_MS - 120_000) * 1_000);
      expect(span.startUs + span.durationUs).toBeLessThan(anchorMs * 1_000);
    }
  });

  it('uses unique, valid IDs; 64-bit trace IDs only for the scheduled jobs', () => {
    const workload = buildSeedWorkload({ anchorMs, runId: 'r' });
    const spans = seedSpans(workload);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    expect(new Set(workload.traces.map((t) => t.traceId)).size).toBe(workload.traces.length);
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.spanId).not.toBe('0000000000000000');
    }
    const shortIds = workload.traces.filter((t) => t.traceId.startsWith('0'.repeat(16)));
    expect(shortIds.every((t) => t.shape === 'batch')).toBe(true);
    expect(shortIds).toHaveLength(30);
  });

  it('nests children inside their parents', () => {
    for (const trace of buildSeedWorkload({ anchorMs, runId: 'r' }).traces) {
      const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
      for (const span of trace.spans) {
        const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
        if (parent === undefined) continue;
        expect(span.startUs).toBeGreaterThanOrEqual(parent.startUs);
        expect(span.startUs + span.durationUs).toBeLessThanOrEqual(parent.startUs + parent.durationUs);
      }
    }
  });
});

describe('summarizeSeedWorkload', () => {
  const workload = buildSeedWorkload({ anchorMs, runId: 'r' });
  const summary = summarizeSeedWorkload(workload);

  it('counts the fixed shape of the workload', () => {
    expect(summary.traceCount).toBe(300);
    expect(summary.spanCount).toBe(3437);
    expect(summary.shapes).toEqual({ run: 226, not_found: 10, shed: 6, batch: 30, orphan: 14, no_root: 14 });
    expect(summary.maxDepth).toBe(5);
    expect(Object.keys(summary.perService).sort()).toEqual(['actor-server', 'api-gateway', 'llm-gateway']);
  });

  it('finds exactly the deliberately broken propagation', () => {
    // One orphan per orphan trace (its first LLM-gateway span) and per no-root trace (its actor span).
    expect(summary.orphanSpanIds).toHaveLength(28);
    expect(summary.noRootTraceIds).toHaveLength(14);
    const noRoot = new Set(summary.noRootTraceIds);
    expect(workload.traces.filter((t) => noRoot.has(t.traceId)).every((t) => t.shape === 'no_root')).toBe(true);
    const orphans = new Set(summary.orphanSpanIds);
    const orphanSpans = seedSpans(workload).filter((s) => orphans.has(s.spanId));
    expect(new Set(orphanSpans.map((s) => s.name))).toEqual(new Set(['POST /v1/generate', 'actor::execute']));
  });

  it('flags 503 shed requests as errors by the HTTP rule though their status is unset', () => {
    const shed = workload.traces.filter((t) => t.shape === 'shed').flatMap((t) => t.spans);
    expect(shed).toHaveLength(6);
    expect(shed.every((s) => s.error && s.status.code === 'unset')).toBe(true);
    const notFound = workload.traces.filter((t) => t.shape === 'not_found').flatMap((t) => t.spans);
    expect(notFound.every((s) => !s.error)).toBe(true);
  });

  it('types every LLM error and keeps tokens only on successful calls', () => {
    const llm = seedSpans(workload).filter((s) => typeof s.attributes['gen_ai.request.model'] === 'string');
    expect(llm.length).toBe(Object.values(summary.byModel).reduce((n, m) => n + m.calls, 0));
    for (const span of llm) {
      if (span.error) {
        expect(['rate_limit', 'timeout', 'auth']).toContain(span.attributes['error.type']);
        expect(span.status.message).toBeTruthy();
        expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
      } else {
        expect(span.attributes['gen_ai.usage.input_tokens']).toBeTypeOf('number');
      }
    }
    expect(Object.keys(summary.byErrorType).sort()).toEqual(['auth', 'json_parse', 'rate_limit', 'timeout']);
    expect(summary.byModel['gemini-2.5-pro']?.responseModelMismatches).toBeGreaterThan(0);
    expect(summary.byModel['gemini-2.5-flash']?.responseModelMismatches).toBe(0);
  });

  it('gives sorted durations and nearest-rank percentiles per operation', () => {
    for (const op of summary.operations) {
      expect(op.durationsUs).toHaveLength(op.count);
      expect([...op.durationsUs].sort((a, b) => a - b)).toEqual(op.durationsUs);
      expect(op.p95Us).toBe(op.durationsUs[Math.ceil(0.95 * op.count) - 1]);
    }
  });
});

describe('durationDecades', () => {
  it('counts durations per [10^k, 10^(k+1)) µs, edges in the upper decade, empty decades left out', () => {
    expect(durationDecades([0, 5, 9, 10, 99, 100, 999_999, 1_000_000, 30_000_000])).toEqual([
      { fromUs: 0, toUs: 1, count: 1 },
      { fromUs: 1, toUs: 10, count: 2 },
      { fromUs: 10, toUs: 100, count: 2 },
      { fromUs: 100, toUs: 1_000, count: 1 },
      { fromUs: 100_000, toUs: 1_000_000, count: 1 },
      { fromUs: 1_000_000, toUs: 10_000_000, count: 1 },
      { fromUs: 10_000_000, toUs: 100_000_000, count: 1 },
    ]);
  });

  it('accounts for every span of every seeded operation', () => {
    const summary = summarizeSeedWorkload(buildSeedWorkload({ anchorMs, runId: 'r' }));
    for (const op of summary.operations) {
      expect(op.durationDecades.reduce((n, d) => n + d.count, 0)).toBe(op.count);
      for (const d of op.durationDecades) {
        expect(op.durationsUs.filter((us) => us >= d.fromUs && us < d.toUs)).toHaveLength(d.count);
      }
    }
  });
});

describe('nearestRank', () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4], 0.51, 3],
    [[7], 0.99, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95, 10],
  ])('picks the ceil(q·n)-th smallest of %j at %d', (values, q, expected) => {
    expect(nearestRank(values, q)).toBe(expected);
  });
});
