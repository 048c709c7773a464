/**
 * A planted regression for the window comparison (lib/metrics/compare.ts): one service of its own
 * (`compare-shop-<run>`, so the seeded counts other tests assert never change), three operations with
 * SPANS_PER_WINDOW single-span traces in each of two adjacent 10-minute windows two hours ago. The
 * durations of every operation are seeded log-normal draws with the same median in both windows,
 * except SLOW_OPERATION, whose median is SLOWDOWN times higher in the later window.
 */
import { hex, postOtlpSpans, waitForTraces, type OtlpTestSpan } from './post-otlp.ts';
import { createPrng, hashString } from './seed/prng.ts';

export const COMPARE_OPERATIONS = ['GET /cart', 'GET /search', 'POST /checkout'] as const;
export const SLOW_OPERATION = 'POST /checkout';
export const SLOWDOWN = 2;
export const SPANS_PER_WINDOW = 200;
const WINDOW_MS = 10 * 60_000;
const MEDIAN_US = { 'GET /cart': 12_000, 'GET /search': 30_000, 'POST /checkout': 45_000 } as const;

export interface PlantedComparison {
  readonly service: string;
  /** The earlier window (the baseline) and the later one (the view), adjacent, each WINDOW_MS long, in µs. */
  readonly baseline: { readonly startUs: number; readonly endUs: number };
  readonly current: { readonly startUs: number; readonly endUs: number };
  readonly spans: readonly OtlpTestSpan[];
}

/** The spans of one run: deterministic for a run id, anchored on a whole minute two hours before `nowMs`. */
export function buildComparison(runId: string, nowMs: number): PlantedComparison {
  const service = `compare-shop-${runId}`;
  const baselineStartMs = Math.floor((nowMs - 2 * 3_600_000) / 60_000) * 60_000;
  const windows = [
    { startUs: baselineStartMs * 1_000, endUs: (baselineStartMs + WINDOW_MS) * 1_000 },
    { startUs: (baselineStartMs + WINDOW_MS) * 1_000, endUs: (baselineStartMs + 2 * WINDOW_MS) * 1_000 },
  ] as const;
  const traceBase = hashString(service);
  const spans: OtlpTestSpan[] = [];
  windows.forEach((window, w) => {
    COMPARE_OPERATIONS.forEach((operation, o) => {
      const prng = createPrng(hashString(`${service}/${operation}/${w}`));
      const median = MEDIAN_US[operation] * (w === 1 && operation === SLOW_OPERATION ? SLOWDOWN : 1);
      for (let i = 0; i < SPANS_PER_WINDOW; i++) {
        const n = (w * COMPARE_OPERATIONS.length + o) * SPANS_PER_WINDOW + i;
        const durationUs = prng.logNormal(median, 0.4, 100);
        // Spread over the window, ending at least a second before it does.
        const startUs = window.startUs + Math.floor((i * (WINDOW_MS - 2_000) * 1_000) / SPANS_PER_WINDOW);
        spans.push({ traceId: hex(traceBase, 16) + hex(n + 1, 16), spanId: hex(n + 1, 16), service, name: operation, kind: 2, startUs, durationUs });
      }
    });
  });
  return { service, baseline: windows[0], current: windows[1], spans };
}

/** Posts the run's spans to Jaeger's OTLP receiver and waits until its search holds them all. */
export async function plantComparison(otlpUrl: string, jaegerUrl: string, planted: PlantedComparison): Promise<void> {
  await postOtlpSpans(otlpUrl, planted.spans);
  await waitForTraces(jaegerUrl, planted.service, planted.baseline.startUs, planted.current.endUs, planted.spans.length, 30_000);
}
