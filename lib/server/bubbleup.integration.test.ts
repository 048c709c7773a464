import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BubbleUpResponse } from '@/lib/http/bubbleup-types';
import { bubbleUpWorkloads, BUBBLEUP_TRACES, SLOW_REGION, type BubbleUpWorkload } from '@/lib/testing/bubbleup-workload';
import { postOtlpSpans, requireTestEnv, waitForTraces } from '@/lib/testing/post-otlp';
import { formatDuration } from '@/lib/units';

/**
 * GET /api/bubbleup against the harness's real Jaeger, on the two workloads of
 * lib/testing/bubbleup-workload.ts posted over OTLP. Every expected count comes from the workload's
 * own spans (their durations and attributes as sent), never from the app.
 */

const jaegerUrl = requireTestEnv('SPANLENS_TEST_JAEGER_URL');
const otlpUrl = requireTestEnv('SPANLENS_TEST_OTLP_URL');
const { planted, calm } = bubbleUpWorkloads(Date.now());

async function bubbleUp(workload: BubbleUpWorkload, cohort: string): Promise<BubbleUpResponse> {
  vi.resetModules();
  delete (globalThis as { __spanlensServer?: unknown }).__spanlensServer;
  process.env.JAEGER_URL = jaegerUrl;
  delete process.env.JAEGER_UI_URL;
  delete process.env.JAEGER_API;
  const route = await import('@/app/api/bubbleup/route');
  const search = `service=${workload.service}&${workload.windowParams}&cohort=${encodeURIComponent(cohort)}`;
  const response = await route.GET(new Request(`http://localhost/api/bubbleup?${search}`));
  expect(response.status).toBe(200);
  return (await response.json()) as BubbleUpResponse;
}

/** The workload's exact nearest-rank p90, from the durations it sent. */
const p90Of = (workload: BubbleUpWorkload): number =>
  workload.spans.map((s) => s.durationUs).sort((a, b) => a - b)[Math.ceil(0.9 * workload.spans.length) - 1] as number;

beforeAll(async () => {
  await postOtlpSpans(otlpUrl, [...planted.spans, ...calm.spans]);
  await Promise.all([planted, calm].map((w) => waitForTraces(jaegerUrl, w.service, w.windowStartUs, w.windowEndUs, BUBBLEUP_TRACES)));
}, 60_000);

describe('GET /api/bubbleup on the real Jaeger', () => {
  it('ranks the planted slow region first among the spans slower than p90, marks it significant, and no key but region', async () => {
    const answer = await bubbleUp(planted, 'slowerThan:p90');
    const p90 = p90Of(planted);
    const slower = planted.spans.filter((s) => s.durationUs > p90);
    expect(answer.cohort.resolved).toBe(`minDuration:${formatDuration(p90 + 1)}`);
    expect(answer).toMatchObject({ cohortTotal: slower.length, baselineTotal: BUBBLEUP_TRACES - slower.length });
    expect(answer.coverage.complete).toBe(true);
    const [top] = answer.attributes;
    expect(top).toMatchObject({
      key: 'region',
      value: SLOW_REGION,
      cohortCount: slower.filter((s) => s.attributes?.region === SLOW_REGION).length,
      baselineCount: BUBBLEUP_TRACES / 4 - slower.filter((s) => s.attributes?.region === SLOW_REGION).length,
      significant: true,
    });
    expect(new Set(answer.attributes.filter((a) => a.significant).map((a) => a.key))).toEqual(new Set(['region']));
    // The four keys the workload sent, and the two Jaeger adds to every OTLP span.
    expect(new Set(answer.attributes.map((a) => a.key))).toEqual(new Set(['region', 'plan', 'host', 'tier', 'span.kind', 'otel.scope.name']));
  }, 60_000);

  it('marks nothing significant where no tag matters', async () => {
    const answer = await bubbleUp(calm, 'slowerThan:p90');
    expect(answer.cohortTotal).toBe(calm.spans.filter((s) => s.durationUs > p90Of(calm)).length);
    expect(answer.attributes.length).toBeGreaterThan(10);
    expect(answer.attributes.filter((a) => a.significant)).toEqual([]);
  }, 60_000);

  it('takes a heatmap brush: a duration range and a time range, both half-open', async () => {
    const fromUs = 30_000;
    const toUs = 60_000;
    const startUs = planted.windowStartUs + 60_000_000;
    const endUs = startUs + 600_000_000;
    const iso = (us: number) => new Date(us / 1_000).toISOString();
    const answer = await bubbleUp(planted, `duration:30ms..60ms;time:${iso(startUs)}..${iso(endUs)}`);
    const inside = planted.spans.filter((s) => s.durationUs >= fromUs && s.durationUs < toUs && s.startUs >= startUs && s.startUs < endUs);
    expect(inside.length).toBeGreaterThan(0);
    expect(answer).toMatchObject({ cohortTotal: inside.length, baselineTotal: BUBBLEUP_TRACES - inside.length });
  }, 60_000);
});
