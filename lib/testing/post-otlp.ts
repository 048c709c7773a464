/**
 * Posts spans to a real Jaeger's OTLP/HTTP JSON receiver (POST /v1/traces) with exact, known times,
 * and waits until Jaeger's legacy search sees them: integration tests then check counts and
 * durations against what they sent. IDs are derived from counters, never random.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface OtlpTestSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly service: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client (OTLP SpanKind). */
  readonly kind: 1 | 2 | 3;
  readonly startUs: number;
  readonly durationUs: number;
  readonly error?: boolean | undefined;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

export const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

const nanos = (us: number): string => (BigInt(us) * 1000n).toString();

export async function postOtlpSpans(otlpUrl: string, spans: readonly OtlpTestSpan[]): Promise<void> {
  const byService = new Map<string, OtlpTestSpan[]>();
  for (const span of spans) byService.set(span.service, [...(byService.get(span.service) ?? []), span]);
  const body = {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: 'spanlens-integration-test' },
          spans: list.map((span) => ({
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind,
            startTimeUnixNano: nanos(span.startUs),
            endTimeUnixNano: nanos(span.startUs + span.durationUs),
            attributes: Object.entries(span.attributes ?? {}).map(([key, value]) => ({ key, value: { stringValue: value } })),
            status: span.error ? { code: 2, message: 'seeded failure' } : {},
          })),
        },
      ],
    })),
  };
  const response = await fetch(`${otlpUrl.replace(/\/+$/, '')}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`OTLP post to ${otlpUrl} failed: ${response.status} ${await response.text()}`);
}

/** Polls legacy search until `expectedTraces` traces of `service` in the window are stored. */
export async function waitForTraces(
  jaegerUrl: string,
  service: string,
  startUs: number,
  endUs: number,
  expectedTraces: number,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    const url = `${jaegerUrl}/api/traces?service=${encodeURIComponent(service)}&start=${startUs}&end=${endUs}&limit=100000`;
    const response = await fetch(url);
    if (response.ok) {
      const json = (await response.json()) as { data: unknown[] | null };
      seen = json.data?.length ?? 0;
      if (seen >= expectedTraces) return;
    }
    await sleep(250);
  }
  throw new Error(`Jaeger at ${jaegerUrl} stored ${seen} of ${expectedTraces} traces of ${service} within ${timeoutMs} ms`);
}

export function requireTestEnv(name: 'SPANLENS_TEST_JAEGER_URL' | 'SPANLENS_TEST_V3_ONLY_URL' | 'SPANLENS_TEST_OTLP_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run integration tests through vitest --project integration (its global setup starts Jaeger)`);
  return value.replace(/\/+$/, '');
}
