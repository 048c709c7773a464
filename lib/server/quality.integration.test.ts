import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { QualityResponse } from '@/lib/http/api-types';
import { readSeedManifest } from '@/lib/testing/jaeger-harness';
import { requireTestEnv } from '@/lib/testing/post-otlp';
import { SEED_SERVICES, buildSeedWorkload, type SeedWorkload } from '@/lib/testing/seed/workload';

/**
 * GET /api/quality against the harness's real Jaeger over the seeded run's window. Every expected number
 * is counted here from the seed workload's own definition (its traces and droppedSpanIds), not by the app:
 * the `orphan` shape's first llm-gateway span names a parent that was never exported (actor-server's spans
 * are in the trace), the `no_root` shape lost its api-gateway root (so actor-server's span is an orphan).
 */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
let workload: SeedWorkload;
let answer: QualityResponse;

/** What the workload says, per service: orphans (a parent among the dropped IDs) and traces with no root. */
function expected(seed: SeedWorkload) {
  const orphans = new Map<string, number>();
  const rootless = new Map<string, number>();
  let linkedActorToLlm = 0;
  let lostActorToLlm = 0;
  const orphanTraceIds: string[] = [];
  for (const trace of seed.traces) {
    const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
    const hasRoot = trace.spans.some((span) => span.parentSpanId === null);
    for (const service of new Set(trace.spans.map((span) => span.service))) if (!hasRoot) rootless.set(service, (rootless.get(service) ?? 0) + 1);
    for (const span of trace.spans) {
      const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
      if (span.service === 'llm-gateway' && parent?.service === 'actor-server') linkedActorToLlm++;
      if (span.parentSpanId === null || !trace.droppedSpanIds.includes(span.parentSpanId)) continue;
      orphans.set(span.service, (orphans.get(span.service) ?? 0) + 1);
      if (span.service === 'llm-gateway' && trace.spans.some((other) => other.service === 'actor-server')) {
        lostActorToLlm++;
        orphanTraceIds.push(trace.traceId);
      }
    }
  }
  return { orphans, rootless, linkedActorToLlm, lostActorToLlm, orphanTraceIds };
}

/** The route on a fresh module graph (lib/env reads process.env once) against `url`, over the seeded run's window. */
async function askQuality(url: string): Promise<QualityResponse> {
  const manifest = readSeedManifest();
  vi.resetModules();
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  process.env.JAEGER_URL = url;
  process.env.JAEGER_UI_URL = 'http://jaeger.example/ui';
  delete process.env.JAEGER_API;
  const route = await import('@/app/api/quality/route');
  const window = `start=${new Date(manifest.startUs / 1000).toISOString()}&end=${new Date(manifest.endUs / 1000).toISOString()}`;
  const response = await route.GET(new Request(`http://localhost/api/quality?${window}`));
  expect(response.status).toBe(200);
  return (await response.json()) as QualityResponse;
}

beforeAll(async () => {
  const manifest = readSeedManifest();
  workload = buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId });
  answer = await askQuality(jaegerUrl);
}, 120_000);

describe('GET /api/quality on the seeded real Jaeger', () => {
  it('gives each seeded service exactly the workload’s orphans and rootless traces', () => {
    const want = expected(workload);
    expect(want.orphans.get('llm-gateway')).toBe(workload.traces.filter((t) => t.shape === 'orphan').length);
    for (const service of SEED_SERVICES) {
      const row = answer.byService.find((r) => r.service === service);
      expect(row, service).toMatchObject({
        orphanSpans: want.orphans.get(service) ?? 0,
        rootlessTraces: want.rootless.get(service) ?? 0,
        traces: workload.traces.filter((t) => t.spans.some((s) => s.service === service)).length,
        spans: workload.traces.reduce((n, t) => n + t.spans.filter((s) => s.service === service).length, 0),
      });
    }
  });

  it('locates the broken propagation: actor-server → llm-gateway loses context in the orphan traces, each example opening in Jaeger', () => {
    const want = expected(workload);
    const broken = answer.propagation.breaks.find((row) => row.caller === 'actor-server' && row.callee === 'llm-gateway');
    expect(broken).toMatchObject({
      linked: want.linkedActorToLlm,
      orphanedCalls: want.lostActorToLlm,
      unansweredCalls: 0,
      lost: want.lostActorToLlm,
      calls: want.linkedActorToLlm + want.lostActorToLlm,
      calleeOperations: ['POST /v1/generate'],
    });
    expect(broken?.examples.length).toBe(5);
    for (const example of broken?.examples ?? []) {
      expect(want.orphanTraceIds).toContain(example.traceId);
      expect(example.jaegerUrl).toBe(`http://jaeger.example/ui/trace/${example.traceId}?uiFind=${example.spanId}`);
    }
    // No other break touches a seeded service: api-gateway → actor-server arrives whenever the gateway's span does.
    expect(answer.propagation.breaks.filter((row) => SEED_SERVICES.some((s) => s === row.caller || s === row.callee))).toHaveLength(1);
  });

  it('says the no_root traces lost a caller that is not in them (api-gateway), instead of blaming anyone', () => {
    const noRoot = workload.traces.filter((t) => t.shape === 'no_root').length;
    const lost = answer.propagation.unlocated.filter((row) => SEED_SERVICES.some((s) => s === row.service));
    expect(lost).toMatchObject([
      { service: 'actor-server', operation: 'actor::execute', reason: 'caller_absent', spans: noRoot, expectedCallers: ['api-gateway'] },
    ]);
  });

  it('gives the same seeded findings through /api/v3 only (Jaeger main after jaeger#9260)', async () => {
    const v3 = await askQuality(requireTestEnv('SPANLENS_TEST_V3_ONLY_URL'));
    const seeded = (response: QualityResponse) => ({
      rows: response.byService.filter((row) => SEED_SERVICES.some((s) => s === row.service)),
      breaks: response.propagation.breaks.filter((row) => SEED_SERVICES.some((s) => s === row.caller || s === row.callee)),
      unlocated: response.propagation.unlocated.filter((row) => SEED_SERVICES.some((s) => s === row.service)),
    });
    expect(v3.coverage.api).toBe('v3');
    expect(seeded(v3)).toEqual(seeded(answer));
  }, 120_000);
});
