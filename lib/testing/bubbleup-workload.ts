/**
 * Two BubbleUp workloads for the real Jaeger (integration test and e2e), one server span per trace,
 * over an absolute past window of the run's own services, so nothing the seeded counts assert changes.
 *
 *   planted  `bubble-shop-<run>`: region (4 values, in turn), plan (3), host (6) and tier (2) drawn
 *            from a seeded generator; every span's duration drawn from the same distribution, and
 *            region=ap-south's multiplied by 4. "Slower than p90" must rank region=ap-south first.
 *   calm     `bubble-calm-<run>`: the same keys and durations, no multiplier: no tag matters, so
 *            nothing may be marked significant.
 */
import { hex, type OtlpTestSpan } from './post-otlp.ts';
import { createPrng } from './seed/prng.ts';

export const BUBBLEUP_TRACES = 400;
export const SLOW_REGION = 'ap-south';
const REGIONS = ['eu-west', 'us-east', 'us-west', SLOW_REGION] as const;
const PLANS = ['free', 'pro', 'team'] as const;

export interface BubbleUpWorkload {
  readonly service: string;
  readonly spans: readonly OtlpTestSpan[];
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  /** `start=…&end=…` of the window, as the dashboard URL takes it. */
  readonly windowParams: string;
}

function workload(runStartedMs: number, name: 'shop' | 'calm', hoursBack: number): BubbleUpWorkload {
  const run = runStartedMs.toString(36);
  const service = `bubble-${name}-${run}`;
  // Minute-aligned and hours back: away from "now", the seeded workload and the other integration tests.
  const windowStartUs = (Math.floor(runStartedMs / 60_000) * 60_000 - hoursBack * 3_600_000) * 1_000;
  const windowEndUs = windowStartUs + 30 * 60_000_000;
  // Deterministic (the seed workload's generator): the same workload on every run.
  const random = createPrng(name === 'shop' ? 13 : 31).next;
  const spans = Array.from({ length: BUBBLEUP_TRACES }, (_, i): OtlpTestSpan => {
    const region = REGIONS[i % REGIONS.length] as string;
    // Log-normal-ish: 20 ms × e^(N(0, 0.5)) from two uniforms (Box–Muller).
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const baseUs = Math.round(20_000 * Math.exp(0.5 * normal));
    return {
      traceId: `${hex(runStartedMs, 12)}${name === 'shop' ? 'bb0a' : 'bb0b'}${hex(i + 1, 16)}`,
      spanId: hex(i + 1, 16),
      service,
      name: 'POST /checkout',
      kind: 2,
      startUs: windowStartUs + 60_000_000 + i * 3_000_000,
      durationUs: name === 'shop' && region === SLOW_REGION ? 4 * baseUs : baseUs,
      attributes: {
        region,
        plan: PLANS[Math.floor(random() * PLANS.length)] as string,
        host: `host-${Math.floor(random() * 6)}`,
        tier: random() < 0.5 ? 'gold' : 'standard',
      },
    };
  });
  const iso = (us: number) => new Date(us / 1_000).toISOString();
  return { service, spans, windowStartUs, windowEndUs, windowParams: `start=${iso(windowStartUs)}&end=${iso(windowEndUs)}` };
}

export function bubbleUpWorkloads(runStartedMs: number): { readonly planted: BubbleUpWorkload; readonly calm: BubbleUpWorkload } {
  return { planted: workload(runStartedMs, 'shop', 7), calm: workload(runStartedMs, 'calm', 7) };
}
