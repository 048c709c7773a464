/**
 * The bench's live-Jaeger workload: a seeded, deterministic set of traces (20,000 × 20 spans by
 * default) over a one-hour window, as OTLP/HTTP JSON request bodies (the shape of
 * lib/testing/post-otlp.ts), one body per batch of traces so the load goes in a few large posts.
 * Every trace starts at the root service, so a search for it returns whole traces.
 */
import { createPrng } from '../lib/testing/seed/prng.ts';

export const WORKLOAD_ROOT_SERVICE = 'shop-frontend';

/** service → its operations; a trace's spans walk this call tree. */
const SERVICES: readonly (readonly [string, readonly string[], kind: 2 | 3])[] = [
  [WORKLOAD_ROOT_SERVICE, ['GET /', 'GET /product', 'POST /cart', 'POST /checkout'], 2],
  ['shop-gateway', ['route', 'auth.check'], 2],
  ['shop-orders', ['CreateOrder', 'GetOrder', 'ListOrders'], 2],
  ['shop-payments', ['Charge', 'Authorize'], 2],
  ['shop-db', ['SELECT', 'INSERT', 'UPDATE'], 3],
  ['shop-cache', ['GET', 'SET'], 3],
];

export interface OtlpWorkload {
  readonly startUs: number;
  readonly endUs: number;
  readonly traces: number;
  readonly spans: number;
  /** Start time of every trace's root span, sorted: to count the traces a sub-window holds. */
  readonly rootStartsUs: readonly number[];
  /** The first and last trace ID of each body: cheap to look up while Jaeger is still storing. */
  readonly probeTraceIds: readonly string[];
  /** OTLP/HTTP JSON bodies for POST /v1/traces. */
  readonly bodies: readonly string[];
}

const nanos = (us: number): string => `${us}000`;

export function buildOtlpWorkload(seed: number, startUs: number, traces = 20_000, spansPerTrace = 20, tracesPerBody = 1_000): OtlpWorkload {
  const random = createPrng(seed).next;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const windowUs = 3_600_000_000;
  const bodies: string[] = [];
  const rootStartsUs: number[] = [];
  const probeTraceIds: string[] = [];
  let spanCounter = 0;
  for (let first = 0; first < traces; first += tracesPerBody) {
    const byService = new Map<string, object[]>();
    for (let t = first; t < Math.min(traces, first + tracesPerBody); t++) {
      // IDs come from counters (unique, readable), the rest from the seeded generator.
      const traceId = `be${t.toString(16).padStart(14, '0')}${Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0')}${'0'.repeat(8)}`;
      // Roots end before the window does, so every span of a trace falls inside it.
      const rootStart = startUs + int(0, windowUs - 10_000_000);
      rootStartsUs.push(rootStart);
      if (t === first || t === Math.min(traces, first + tracesPerBody) - 1) probeTraceIds.push(traceId);
      const ids: string[] = [];
      for (let s = 0; s < spansPerTrace; s++) {
        const spanId = (++spanCounter).toString(16).padStart(16, '0');
        const [service, ops, kind] = s === 0 ? SERVICES[0]! : SERVICES[1 + ((s - 1) % (SERVICES.length - 1))]!;
        const parent = s === 0 ? null : ids[Math.floor((s - 1) / 3)]!;
        ids.push(spanId);
        const spanStart = rootStart + (s === 0 ? 0 : int(100, 2_000) * s);
        const duration = s === 0 ? int(50_000, 2_000_000) : int(200, 40_000);
        const error = random() < 0.02;
        const list = byService.get(service) ?? [];
        byService.set(service, list);
        list.push({
          traceId,
          spanId,
          ...(parent === null ? {} : { parentSpanId: parent }),
          name: ops[Math.floor(random() * ops.length)],
          kind: s === 0 ? 2 : kind,
          startTimeUnixNano: nanos(spanStart),
          endTimeUnixNano: nanos(spanStart + duration),
          attributes: [
            { key: 'http.response.status_code', value: { intValue: String(error ? 500 : 200) } },
            { key: 'user.id', value: { stringValue: `u-${int(1, 5_000)}` } },
          ],
          status: error ? { code: 2, message: 'seeded failure' } : {},
        });
      }
    }
    bodies.push(
      JSON.stringify({
        resourceSpans: [...byService].map(([service, spans]) => ({
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [{ scope: { name: 'spanlens-bench' }, spans }],
        })),
      }),
    );
  }
  rootStartsUs.sort((a, b) => a - b);
  return { startUs, endUs: startUs + windowUs, traces, spans: traces * spansPerTrace, rootStartsUs, probeTraceIds, bodies };
}
