/**
 * A seeded, realistic Jaeger search response for the bench: the same traces serialised both as
 * legacy `/api/traces` JSON and as `/api/v3/traces` OTLP-JSON, with the exact values Jaeger's own
 * query service returns (tags sorted by key: real Jaeger v2.13 answers both APIs that way), so
 * both decode to identical spans and the bench can check the two paths agree to the last µs.
 */

import { createPrng } from '../lib/testing/seed/prng.ts';

export const BENCH_WINDOW_START_US = 1_763_900_000_000_000;
export const BENCH_WINDOW_US = 3_600_000_000;

type Attr = readonly [key: string, value: string | number | boolean];

interface ModelSpan {
  spanId: string;
  parentId: string | null;
  service: string;
  operation: string;
  kind: 1 | 2 | 3 | 4 | 5; // OTLP enum: internal, server, client, producer, consumer
  startUs: number;
  durationUs: number;
  error: boolean;
  attrs: Attr[];
  events: { timeUs: number; name: string; attrs: Attr[] }[];
}

interface ModelTrace {
  traceId: string;
  spans: ModelSpan[];
}

const SERVICES: Readonly<Record<string, { ops: readonly string[]; calls: readonly string[]; kind: 1 | 2 | 3 }>> = {
  frontend: { ops: ['GET /', 'GET /dispatch', 'POST /checkout', 'GET /search', 'GET /api/cart', 'POST /api/chat'], calls: ['api-gateway'], kind: 2 },
  'api-gateway': { ops: ['route', 'auth.check', 'ratelimit'], calls: ['orders', 'users', 'search', 'llm-gateway', 'inventory'], kind: 2 },
  orders: { ops: ['CreateOrder', 'GetOrder', 'ListOrders'], calls: ['payments', 'inventory', 'postgres', 'redis'], kind: 2 },
  payments: { ops: ['Charge', 'Refund', 'Authorize'], calls: ['postgres', 'redis'], kind: 2 },
  inventory: { ops: ['Reserve', 'Release', 'Lookup'], calls: ['postgres', 'redis'], kind: 2 },
  users: { ops: ['GetUser', 'GetSession'], calls: ['redis', 'postgres'], kind: 2 },
  search: { ops: ['Query', 'Suggest'], calls: ['redis', 'llm-gateway'], kind: 2 },
  'llm-gateway': { ops: ['chat gpt-4o', 'chat claude-sonnet', 'embeddings'], calls: ['redis'], kind: 3 },
  postgres: { ops: ['SELECT', 'INSERT', 'UPDATE'], calls: [], kind: 3 },
  redis: { ops: ['GET', 'SET', 'MGET'], calls: [], kind: 3 },
};
const PROCESS_TAGS: Readonly<Record<string, Attr[]>> = Object.fromEntries(
  Object.keys(SERVICES).map((service, i) => [
    service,
    [
      ['host.name', `${service}-7d9f${i}c-x${i}q2`],
      ['telemetry.sdk.language', i % 3 === 0 ? 'go' : i % 3 === 1 ? 'java' : 'nodejs'],
      ['telemetry.sdk.version', '1.30.0'],
      ['ip', `10.0.${i}.${17 + i}`],
    ] as Attr[],
  ]),
);
const MODELS = [
  ['gpt-4o', 'gpt-4o-2024-08-06', 'openai'],
  ['claude-sonnet-4', 'claude-sonnet-4', 'anthropic'],
  ['text-embedding-3-small', 'text-embedding-3-small', 'openai'],
] as const;
const ERROR_TYPES = ['TimeoutError', 'ConnectionRefused', 'ValidationError', 'redis: nil', 'context deadline exceeded'];

function generateModel(seed: number, targetSpans: number): ModelTrace[] {
  const random = createPrng(seed).next; // mulberry32, as the seed workload draws
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (chars: number) => {
    let out = '';
    while (out.length < chars)
      out += Math.floor(random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, chars);
  };
  const logNormal = (median: number, sigma: number) =>
    Math.max(1, Math.round(median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))));

  const traces: ModelTrace[] = [];
  let total = 0;
  while (total < targetSpans) {
    const traceId = hex(32);
    const spans: ModelSpan[] = [];
    const startUs = BENCH_WINDOW_START_US + int(0, BENCH_WINDOW_US - 30_000_000);
    const grow = (service: string, parentId: string | null, start: number, budgetUs: number, depth: number): void => {
      const def = SERVICES[service]!;
      const operation = pick(def.ops);
      const span: ModelSpan = {
        spanId: hex(16),
        parentId,
        service,
        operation,
        kind: depth === 0 ? 2 : def.kind,
        startUs: start,
        durationUs: Math.min(budgetUs, logNormal(budgetUs / 3, 0.6)),
        error: random() < 0.03,
        attrs: [],
        events: [],
      };
      spans.push(span);
      const a = span.attrs;
      if (def.kind === 2) {
        a.push(['http.request.method', pick(['GET', 'POST', 'PUT'])], ['http.route', `/${service}/${operation.toLowerCase().replace(/\W+/g, '/')}`]);
        a.push(['http.response.status_code', span.error ? 500 : pick([200, 200, 200, 201, 404])]);
        a.push(['user.id', `u-${int(1, 5000)}`]);
      } else if (service === 'postgres') {
        a.push(
          ['db.system', 'postgresql'],
          [
            'db.statement',
            `${operation} id, name, status, updated_at FROM orders WHERE customer_id = $1 AND status IN ($2, $3) LIMIT ${int(1, 100)}`,
          ],
        );
      } else if (service === 'redis') {
        a.push(['db.system', 'redis'], ['db.operation', operation], ['net.peer.name', 'redis-master']);
      } else if (service === 'llm-gateway') {
        const [requested, responded, provider] = pick(MODELS);
        a.push(['gen_ai.request.model', requested], ['gen_ai.response.model', responded], ['gen_ai.provider.name', provider]);
        a.push(['gen_ai.usage.input_tokens', int(50, 4000)], ['gen_ai.usage.output_tokens', int(1, 800)], ['gen_ai.operation.name', 'chat']);
      }
      a.push(['component', def.kind === 3 ? 'client' : 'http'], ['sampled', true]);
      if (span.error) {
        a.push(['error.type', pick(ERROR_TYPES)]);
        span.events.push({
          timeUs: start + Math.floor(span.durationUs / 2),
          name: 'exception',
          attrs: [
            ['exception.type', pick(ERROR_TYPES)],
            ['exception.message', 'upstream failed after 3 retries'],
          ],
        });
      } else if (random() < 0.1) {
        span.events.push({ timeUs: start + 1, name: 'cache miss', attrs: [['key', `cart:${int(1, 100000)}`]] });
      }
      if (depth >= 7) return;
      let cursor = start + int(10, 200);
      for (const callee of def.calls) {
        if (random() < 0.45) continue;
        const repeats = callee === 'redis' || callee === 'postgres' ? int(1, 3) : 1;
        for (let r = 0; r < repeats; r++) {
          const budget = Math.max(50, Math.floor(span.durationUs / 2));
          grow(callee, span.spanId, cursor, budget, depth + 1);
          cursor += int(0, Math.floor(budget / 2));
        }
      }
    };
    grow('frontend', null, startUs, logNormal(80_000, 0.8), 0);
    traces.push({ traceId, spans });
    total += spans.length;
  }
  return traces;
}

const KINDS = [null, 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const SCOPE: Attr[] = [
  ['otel.scope.name', 'io.opentelemetry.instrumentation'],
  ['otel.scope.version', '2.10.0'],
];

function legacyTag([key, value]: Attr): { key: string; type: string; value: string | number | boolean } {
  return { key, type: typeof value === 'number' ? 'int64' : typeof value === 'boolean' ? 'bool' : 'string', value };
}

/** Jaeger's legacy JSON of the model, tags sorted by key as the real query service sends them. */
function toLegacy(traces: readonly ModelTrace[]): string {
  const parts: string[] = [];
  for (const trace of traces) {
    const processIds = new Map<string, string>();
    for (const span of trace.spans) if (!processIds.has(span.service)) processIds.set(span.service, `p${processIds.size + 1}`);
    const spans = trace.spans.map((span) => {
      const tags = [...SCOPE, ...span.attrs].map(legacyTag);
      tags.push({ key: 'span.kind', type: 'string', value: KINDS[span.kind] as string });
      if (span.error) tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
      tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return {
        traceID: trace.traceId,
        spanID: span.spanId,
        flags: 1,
        operationName: span.operation,
        references: span.parentId ? [{ refType: 'CHILD_OF', traceID: trace.traceId, spanID: span.parentId }] : [],
        startTime: span.startUs,
        duration: span.durationUs,
        tags,
        logs: span.events.map((e) => ({ timestamp: e.timeUs, fields: [legacyTag(['event', e.name]), ...e.attrs.map(legacyTag)] })),
        processID: processIds.get(span.service),
        warnings: null,
      };
    });
    const processes = Object.fromEntries(
      [...processIds].map(([service, id]) => [id, { serviceName: service, tags: (PROCESS_TAGS[service] ?? []).map(legacyTag) }]),
    );
    parts.push(JSON.stringify({ traceID: trace.traceId, spans, processes, warnings: null }));
  }
  return `{"data":[${parts.join(',')}],"total":0,"limit":0,"offset":0,"errors":null}`;
}

function otlpValue(value: string | number | boolean): Record<string, string | boolean> {
  if (typeof value === 'number') return { intValue: String(value) };
  if (typeof value === 'boolean') return { boolValue: value };
  return { stringValue: value };
}
const otlpAttrs = (attrs: readonly Attr[]) => attrs.map(([key, value]) => ({ key, value: otlpValue(value) }));

/** The same traces as Jaeger's `/api/v3/traces` answer: one resourceSpans per trace and service. */
function toV3(traces: readonly ModelTrace[]): string {
  const parts: string[] = [];
  for (const trace of traces) {
    const byService = new Map<string, ModelSpan[]>();
    for (const span of trace.spans) {
      const list = byService.get(span.service);
      if (list) list.push(span);
      else byService.set(span.service, [span]);
    }
    for (const [service, spans] of byService) {
      parts.push(
        JSON.stringify({
          resource: { attributes: otlpAttrs([['service.name', service], ...(PROCESS_TAGS[service] ?? [])]) },
          scopeSpans: [
            {
              scope: { name: 'io.opentelemetry.instrumentation', version: '2.10.0' },
              spans: spans.map((span) => ({
                traceId: trace.traceId,
                spanId: span.spanId,
                ...(span.parentId ? { parentSpanId: span.parentId } : {}),
                flags: 1,
                name: span.operation,
                kind: span.kind,
                startTimeUnixNano: `${span.startUs}000`,
                endTimeUnixNano: `${span.startUs + span.durationUs}000`,
                attributes: otlpAttrs(span.attrs),
                ...(span.events.length > 0
                  ? { events: span.events.map((e) => ({ timeUnixNano: `${e.timeUs}000`, name: e.name, attributes: otlpAttrs(e.attrs) })) }
                  : {}),
                status: span.error ? { code: 2 } : {},
              })),
            },
          ],
        }),
      );
    }
  }
  return `{"result":{"resourceSpans":[${parts.join(',')}]}}`;
}

export interface BenchData {
  readonly legacy: Buffer;
  readonly v3: Buffer;
  readonly spans: number;
  readonly traces: number;
  /** Every span's duration per `service::operation`, to check exactness against a plain sort. */
  readonly durationsByOperation: ReadonlyMap<string, number[]>;
}

export function generateBenchData(seed: number, targetSpans: number): BenchData {
  const model = generateModel(seed, targetSpans);
  const durationsByOperation = new Map<string, number[]>();
  let spans = 0;
  for (const trace of model) {
    for (const span of trace.spans) {
      spans++;
      const key = `${span.service}::${span.operation}`;
      const list = durationsByOperation.get(key);
      if (list) list.push(span.durationUs);
      else durationsByOperation.set(key, [span.durationUs]);
    }
  }
  return {
    legacy: Buffer.from(toLegacy(model)),
    v3: Buffer.from(toV3(model)),
    spans,
    traces: model.length,
    durationsByOperation,
  };
}
