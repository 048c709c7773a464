/**
 * The seeded workload: traces shaped like our users' systems (an API gateway in front of an actor
 * server that runs narratives of LLM calls through an LLM gateway, with DB and cache calls), including
 * deliberately broken propagation. PURE and deterministic: the shape, durations and error flags come
 * from a fixed PRNG seed; only the IDs depend on `runId` and only the absolute times on `anchorMs`.
 * Tests import `buildSeedWorkload` + `summarizeSeedWorkload` to know exact counts, error counts and
 * durations of what `scripts/seed.ts` sent.
 */
import { createPrng, hashString, type Prng } from './prng.ts';

export type SeedSpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer';
export type SeedAttributeValue = string | number | boolean;
export type SeedAttributes = Readonly<Record<string, SeedAttributeValue>>;

export interface SeedSpanStatus {
  readonly code: 'unset' | 'ok' | 'error';
  readonly message?: string;
}

export interface SeedSpanEvent {
  readonly name: string;
  readonly timeUs: number;
  readonly attributes: SeedAttributes;
}

export interface SeedSpan {
  /** 32 lowercase hex characters (upper half zero for the 64-bit-ID traces). */
  readonly traceId: string;
  readonly spanId: string;
  /** May name a span that is never sent (an orphan): see `SeedTrace.droppedSpanIds`. */
  readonly parentSpanId: string | null;
  readonly service: SeedServiceName;
  readonly name: string;
  readonly kind: SeedSpanKind;
  /** Whole microseconds, so both Jaeger APIs give back exactly these numbers. */
  readonly startUs: number;
  readonly durationUs: number;
  readonly status: SeedSpanStatus;
  /** Error by design §2: status ERROR, or a server span answering HTTP ≥ 500. */
  readonly error: boolean;
  readonly attributes: SeedAttributes;
  readonly events: readonly SeedSpanEvent[];
}

export type SeedTraceShape =
  /** gateway → actor → narrative → LLM calls, all spans present */
  | 'run'
  /** gateway answers 404 (unknown actor) on its own: a one-span trace, not an error */
  | 'not_found'
  /** gateway sheds load with 503 and leaves the span status UNSET: an error only by the HTTP rule */
  | 'shed'
  /** scheduled job: the actor span is the root; 64-bit trace ID like Jaeger-client-era services */
  | 'batch'
  /** a run whose first LLM-gateway span names a parent that was never exported */
  | 'orphan'
  /** a run whose gateway root span was never exported: no root, the actor span is an orphan */
  | 'no_root';

export interface SeedTrace {
  readonly traceId: string;
  readonly shape: SeedTraceShape;
  /** Only the spans that are sent. */
  readonly spans: readonly SeedSpan[];
  /** IDs that sent spans point at but that are deliberately not sent. */
  readonly droppedSpanIds: readonly string[];
}

export const SEED_SERVICES = ['api-gateway', 'actor-server', 'llm-gateway'] as const;
export type SeedServiceName = (typeof SEED_SERVICES)[number];

/** Resource attribute on every seeded span; legacy `tags` and v3 `query.attributes` match it. */
export const SEED_RUN_ATTRIBUTE = 'spanlens.seed.run_id';

export interface SeedWorkload {
  readonly runId: string;
  readonly anchorMs: number;
  readonly resources: Readonly<Record<SeedServiceName, SeedAttributes>>;
  readonly traces: readonly SeedTrace[];
}

export interface SeedWorkloadOptions {
  /** The moment the workload ends at (ms since epoch); every span ends before it. */
  readonly anchorMs: number;
  /** Distinguishes runs: goes into the IDs and the resource attribute `spanlens.seed.run_id`. */
  readonly runId: string;
}

/** Fixed seed: the workload's shape never depends on the run. */
const SHAPE_SEED = 20261123;
/** Traces start between SPREAD_MS + TAIL_MS and TAIL_MS before the anchor. */
export const SEED_SPREAD_MS = 45 * 60_000;
const TAIL_MS = 90_000;

const SHAPE_COUNTS: readonly (readonly [SeedTraceShape, number])[] = [
  ['run', 226],
  ['not_found', 10],
  ['shed', 6],
  ['batch', 30],
  ['orphan', 14],
  ['no_root', 14],
];

const ACTORS: readonly (readonly [{ name: string; skills: readonly string[] }, number])[] = [
  [{ name: 'planner', skills: ['plan'] }, 40],
  [{ name: 'researcher', skills: ['search', 'summarize'] }, 30],
  [{ name: 'writer', skills: ['draft'] }, 20],
  [{ name: 'critic', skills: ['review'] }, 10],
];
const NARRATIVES = ['onboarding', 'weekly_digest', 'incident_report'] as const;

interface ModelProfile {
  readonly model: string;
  readonly provider: string;
  readonly operation: 'gemini::generate_content' | 'llm.provider.call';
  readonly host: string;
  readonly medianUs: number;
  readonly rateLimitChance: number;
  /** Response model for some calls (a fallback or a dated snapshot). */
  readonly responseModel: (prng: Prng) => string;
}

const MODELS: readonly (readonly [ModelProfile, number])[] = [
  [
    {
      model: 'gemini-2.5-flash',
      provider: 'gcp.gemini',
      operation: 'gemini::generate_content',
      host: 'generativelanguage.googleapis.com',
      medianUs: 850_000,
      rateLimitChance: 0.04,
      responseModel: () => 'gemini-2.5-flash',
    },
    50,
  ],
  [
    {
      model: 'gemini-2.5-pro',
      provider: 'gcp.gemini',
      operation: 'gemini::generate_content',
      host: 'generativelanguage.googleapis.com',
      medianUs: 3_200_000,
      rateLimitChance: 0.15,
      // The gateway falls back to flash when pro is out of capacity: request ≠ response model.
      responseModel: (prng) => (prng.chance(0.2) ? 'gemini-2.5-flash' : 'gemini-2.5-pro'),
    },
    20,
  ],
  [
    {
      model: 'gpt-4o-mini',
      provider: 'openai',
      operation: 'llm.provider.call',
      host: 'api.openai.com',
      medianUs: 1_300_000,
      rateLimitChance: 0.03,
      responseModel: () => 'gpt-4o-mini-2024-07-18',
    },
    20,
  ],
  [
    {
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      operation: 'llm.provider.call',
      host: 'api.anthropic.com',
      medianUs: 2_100_000,
      rateLimitChance: 0.05,
      responseModel: () => 'claude-sonnet-4-5',
    },
    10,
  ],
];

const TIMEOUT_US = 30_000_000;
const TIMEOUT_CHANCE = 0.02;
const PARSE_FAIL_CHANCE = 0.08;
const RATE_LIMIT_AGAIN_CHANCE = 0.3;
/** The anthropic key is revoked for this part of the window (fractions of the trace sequence). */
const AUTH_OUTAGE = { from: 0.4, to: 0.55 } as const;

type LlmErrorType = 'rate_limit' | 'timeout' | 'auth';

const LLM_ERRORS: Readonly<Record<LlmErrorType, { message: string; httpStatus: number; exception: string }>> = {
  rate_limit: { message: '429 Too Many Requests: quota exceeded for model', httpStatus: 429, exception: 'RateLimitError' },
  timeout: { message: 'deadline exceeded after 30s waiting for the provider', httpStatus: 504, exception: 'TimeoutError' },
  auth: { message: '401 Unauthorized: invalid API key', httpStatus: 502, exception: 'AuthenticationError' },
};

/** Mutable span under construction; frozen into SeedSpan at the end. */
interface Draft {
  spanId: string;
  parentSpanId: string | null;
  service: SeedServiceName;
  name: string;
  kind: SeedSpanKind;
  startUs: number;
  endUs: number;
  status: SeedSpanStatus;
  attributes: Record<string, SeedAttributeValue>;
  events: SeedSpanEvent[];
}

class TraceBuilder {
  readonly drafts: Draft[] = [];
  private readonly ids: Prng;
  constructor(ids: Prng) {
    this.ids = ids;
  }

  newSpanId(): string {
    // A span ID of all zeros is invalid in OTLP; 8 random bytes are never all zero in practice,
    // but the first byte is forced non-zero to make sure.
    return this.ids.int(1, 255).toString(16).padStart(2, '0') + this.ids.hex(7);
  }

  open(
    parent: Draft | string | null,
    service: SeedServiceName,
    name: string,
    kind: SeedSpanKind,
    startUs: number,
    attributes: Record<string, SeedAttributeValue> = {},
  ): Draft {
    const draft: Draft = {
      spanId: this.newSpanId(),
      parentSpanId: typeof parent === 'string' ? parent : (parent?.spanId ?? null),
      service,
      name,
      kind,
      startUs,
      endUs: startUs,
      status: { code: 'unset' },
      attributes,
      events: [],
    };
    this.drafts.push(draft);
    return draft;
  }
}

function fail(draft: Draft, errorType: string, message: string): void {
  draft.status = { code: 'error', message };
  draft.attributes['error.type'] = errorType;
}

interface RunContext {
  readonly prng: Prng;
  readonly builder: TraceBuilder;
  /** Position of the trace in the sequence, 0..1 (drives the auth outage). */
  readonly position: number;
  /** Orphan shape: the first LLM-gateway span points at this never-sent parent. */
  readonly orphanParentId: string | null;
}

interface Outcome {
  readonly endUs: number;
  readonly failure: { readonly type: string; readonly message: string } | null;
}

/** One LLM call through the gateway: server span + one provider span (two on a rate-limit retry). */
function llmCall(ctx: RunContext, parent: Draft | string, startUs: number, act: number): Outcome {
  const { prng, builder } = ctx;
  const profile = prng.weighted(MODELS);
  const temperature = prng.pick([0.2, 0.7]);
  const server = builder.open(parent, 'llm-gateway', 'POST /v1/generate', 'server', startUs, {
    'http.request.method': 'POST',
    'http.route': '/v1/generate',
    'url.path': '/v1/generate',
  });
  let cursor = startUs + prng.int(200, 1_500);
  let failure: { type: LlmErrorType; message: string } | null = null;

  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const call = builder.open(server, 'llm-gateway', profile.operation, 'client', cursor, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': profile.provider,
      'gen_ai.request.model': profile.model,
      'gen_ai.request.temperature': temperature,
      'server.address': profile.host,
      'llm.attempt': attempt,
      act,
    });
    let errorType: LlmErrorType | null = null;
    if (profile.provider === 'anthropic' && ctx.position >= AUTH_OUTAGE.from && ctx.position < AUTH_OUTAGE.to) {
      errorType = 'auth';
    } else if (prng.chance(attempt === 1 ? profile.rateLimitChance : RATE_LIMIT_AGAIN_CHANCE)) {
      errorType = 'rate_limit';
    } else if (attempt === 1 && prng.chance(TIMEOUT_CHANCE)) {
      errorType = 'timeout';
    }
    const durationUs =
      errorType === 'timeout'
        ? TIMEOUT_US
        : errorType === 'rate_limit'
          ? prng.int(40_000, 160_000)
          : errorType === 'auth'
            ? prng.int(20_000, 80_000)
            : prng.logNormal(profile.medianUs, 0.45, 120_000);
    call.endUs = call.startUs + durationUs;
    if (errorType === null) {
      const inputTokens = prng.int(300, 6_000);
      call.attributes['gen_ai.response.model'] = profile.responseModel(prng);
      call.attributes['gen_ai.usage.input_tokens'] = inputTokens;
      call.attributes['gen_ai.usage.output_tokens'] = prng.int(40, Math.min(2_000, inputTokens));
      call.attributes['gen_ai.response.finish_reasons'] = 'stop';
      call.status = { code: 'ok' };
      failure = null;
    } else {
      const spec = LLM_ERRORS[errorType];
      fail(call, errorType, spec.message);
      call.events.push({
        name: 'exception',
        timeUs: call.endUs,
        attributes: { 'exception.type': spec.exception, 'exception.message': spec.message },
      });
      failure = { type: errorType, message: spec.message };
    }
    cursor = call.endUs;
    // Only a rate limit is retried, once, after a back-off.
    if (errorType !== 'rate_limit' || attempt === 2) break;
    cursor += prng.int(400_000, 800_000);
  }

  server.endUs = cursor + prng.int(150, 900);
  if (failure === null) {
    server.attributes['http.response.status_code'] = 200;
  } else {
    server.attributes['http.response.status_code'] = LLM_ERRORS[failure.type].httpStatus;
    fail(server, failure.type, failure.message);
  }
  return { endUs: server.endUs, failure };
}

/** The actor span and everything under it; returns when and how it ended. */
function actorRun(ctx: RunContext, parent: Draft | string | null, startUs: number, trigger: 'http' | 'schedule'): Outcome {
  const { prng, builder } = ctx;
  const actor = prng.weighted(ACTORS);
  const actorSpan = builder.open(parent, 'actor-server', 'actor::execute', trigger === 'http' ? 'server' : 'internal', startUs, {
    actor_name: actor.name,
    skill: prng.pick(actor.skills),
    trigger,
  });
  let cursor = startUs + prng.int(50, 400);

  // Actor config: cache first, database on a miss.
  const cacheGet = builder.open(actorSpan, 'actor-server', 'get', 'client', cursor, {
    'db.system': 'redis',
    'db.system.name': 'redis',
    'db.operation.name': 'GET',
    'db.query.text': `GET actor:${actor.name}:config`,
    'server.address': 'redis.internal',
    'server.port': 6379,
  });
  const hit = prng.chance(0.7);
  cacheGet.attributes['cache.hit'] = hit;
  cacheGet.endUs = cacheGet.startUs + prng.logNormal(400, 0.5, 60);
  cursor = cacheGet.endUs + prng.int(20, 200);
  if (!hit) {
    const select = builder.open(actorSpan, 'actor-server', 'SELECT actors.actors', 'client', cursor, {
      'db.system': 'postgresql',
      'db.system.name': 'postgresql',
      'db.namespace': 'actors',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'actors',
      'db.query.text': 'SELECT config FROM actors WHERE name = $1',
      'server.address': 'postgres.internal',
      'server.port': 5432,
    });
    select.endUs = select.startUs + prng.logNormal(2_500, 0.6, 300);
    const set = builder.open(actorSpan, 'actor-server', 'set', 'client', select.endUs + prng.int(20, 200), {
      'db.system': 'redis',
      'db.system.name': 'redis',
      'db.operation.name': 'SET',
      'db.query.text': `SET actor:${actor.name}:config ?`,
      'server.address': 'redis.internal',
      'server.port': 6379,
    });
    set.endUs = set.startUs + prng.logNormal(350, 0.5, 60);
    cursor = set.endUs + prng.int(20, 200);
  }

  const actCount = prng.int(1, 3);
  const narrative = builder.open(actorSpan, 'actor-server', 'narrative::execute_impl', 'internal', cursor, {
    narrative_name: prng.pick(NARRATIVES),
    act_count: actCount,
  });
  cursor += prng.int(30, 300);
  const load = builder.open(narrative, 'actor-server', 'SELECT actors.narratives', 'client', cursor, {
    'db.system': 'postgresql',
    'db.system.name': 'postgresql',
    'db.namespace': 'actors',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'narratives',
    'db.query.text': 'SELECT acts FROM narratives WHERE name = $1',
    'server.address': 'postgres.internal',
    'server.port': 5432,
  });
  load.endUs = load.startUs + prng.logNormal(3_000, 0.6, 300);
  cursor = load.endUs + prng.int(50, 500);

  let failure: Outcome['failure'] = null;
  for (let act = 1; act <= actCount && failure === null; act += 1) {
    const llmParent = act === 1 && ctx.orphanParentId !== null ? ctx.orphanParentId : narrative;
    const call = llmCall(ctx, llmParent, cursor, act);
    cursor = call.endUs + prng.int(100, 800);
    if (call.failure !== null) {
      failure = { type: call.failure.type, message: `act ${act} failed: ${call.failure.message}` };
      break;
    }
    const bytes = prng.int(400, 9_000);
    const parse = builder.open(narrative, 'actor-server', 'parse_json', 'internal', cursor, { 'json.bytes': bytes, act });
    parse.endUs = parse.startUs + prng.logNormal(Math.round(bytes / 12), 0.3, 30);
    // A malformed model answer is logged and the act is kept as plain text: the error stays on this span.
    if (prng.chance(PARSE_FAIL_CHANCE)) {
      fail(parse, 'json_parse', `Unexpected token } in JSON at position ${prng.int(10, bytes - 1)}`);
    }
    cursor = parse.endUs + prng.int(50, 400);
  }
  narrative.endUs = cursor;
  if (failure !== null) fail(narrative, failure.type, failure.message);
  cursor += prng.int(50, 300);

  const insert = builder.open(actorSpan, 'actor-server', 'INSERT actors.runs', 'client', cursor, {
    'db.system': 'postgresql',
    'db.system.name': 'postgresql',
    'db.namespace': 'actors',
    'db.operation.name': 'INSERT',
    'db.collection.name': 'runs',
    'db.query.text': 'INSERT INTO runs (actor, outcome) VALUES ($1, $2)',
    'server.address': 'postgres.internal',
    'server.port': 5432,
  });
  insert.endUs = insert.startUs + prng.logNormal(4_000, 0.5, 400);
  actorSpan.endUs = insert.endUs + prng.int(50, 400);
  if (failure !== null) fail(actorSpan, failure.type, failure.message);
  return { endUs: actorSpan.endUs, failure };
}

function gatewayRoot(builder: TraceBuilder, prng: Prng, startUs: number, actorPath: string): Draft {
  return builder.open(null, 'api-gateway', 'POST /v1/actors/:actor/run', 'server', startUs, {
    'http.request.method': 'POST',
    'http.route': '/v1/actors/:actor/run',
    'url.path': `/v1/actors/${actorPath}/run`,
    'client.address': `10.0.${prng.int(0, 3)}.${prng.int(2, 250)}`,
  });
}

function buildTrace(shape: SeedTraceShape, prng: Prng, builder: TraceBuilder, startUs: number, position: number): string[] {
  const dropped: string[] = [];
  if (shape === 'not_found' || shape === 'shed') {
    const root = gatewayRoot(builder, prng, startUs, shape === 'not_found' ? `unknown-${prng.hex(3)}` : 'planner');
    root.endUs = startUs + prng.int(400, 3_000);
    root.attributes['http.response.status_code'] = shape === 'not_found' ? 404 : 503;
    return dropped;
  }
  if (shape === 'batch') {
    actorRun({ prng, builder, position, orphanParentId: null }, null, startUs, 'schedule');
    return dropped;
  }
  const orphanParentId = shape === 'orphan' ? builder.newSpanId() : null;
  if (orphanParentId !== null) dropped.push(orphanParentId);
  const root = gatewayRoot(builder, prng, startUs, '{actor}');
  const run = actorRun({ prng, builder, position, orphanParentId }, root, startUs + prng.int(300, 2_000), 'http');
  const actorName = builder.drafts.find((d) => d.name === 'actor::execute')?.attributes['actor_name'];
  root.attributes['url.path'] = `/v1/actors/${String(actorName)}/run`;
  root.endUs = run.endUs + prng.int(200, 1_500);
  if (run.failure === null) {
    root.attributes['http.response.status_code'] = 200;
  } else {
    root.attributes['http.response.status_code'] = 502;
    fail(root, run.failure.type, run.failure.message);
  }
  if (shape === 'no_root') {
    // The edge's exporter dropped the root span: everything else arrives and points at it.
    dropped.push(root.spanId);
    builder.drafts.splice(builder.drafts.indexOf(root), 1);
  }
  return dropped;
}

function isError(draft: Draft): boolean {
  if (draft.status.code === 'error') return true;
  const status = draft.attributes['http.response.status_code'];
  return draft.kind === 'server' && typeof status === 'number' && status >= 500;
}

function freeze(traceId: string, draft: Draft): SeedSpan {
  return {
    traceId,
    spanId: draft.spanId,
    parentSpanId: draft.parentSpanId,
    service: draft.service,
    name: draft.name,
    kind: draft.kind,
    startUs: draft.startUs,
    durationUs: draft.endUs - draft.startUs,
    status: draft.status,
    error: isError(draft),
    attributes: { ...draft.attributes },
    events: draft.events,
  };
}

export function buildSeedWorkload({ anchorMs, runId }: SeedWorkloadOptions): SeedWorkload {
  if (!Number.isInteger(anchorMs)) throw new Error(`anchorMs must be an integer, got ${anchorMs}`);
  const prng = createPrng(SHAPE_SEED);
  const ids = createPrng(hashString(runId));
  const runTag = `${hashString(runId).toString(16).padStart(8, '0')}${hashString(`${runId}/ids`).toString(16).padStart(8, '0')}`;
  const shapes = prng.shuffle(SHAPE_COUNTS.flatMap(([shape, count]) => Array.from({ length: count }, () => shape)));
  const firstStartUs = (anchorMs - SEED_SPREAD_MS - TAIL_MS) * 1_000;
  const spacingUs = Math.floor((SEED_SPREAD_MS * 1_000) / shapes.length);

  const traces = shapes.map((shape, index): SeedTrace => {
    // 64-bit trace IDs for the scheduled jobs: legacy JSON then shows them as 16 hex characters.
    const traceId = shape === 'batch' ? `${'0'.repeat(16)}${runTag.slice(0, 8)}${ids.hex(4)}` : `${runTag}${ids.hex(8)}`;
    const builder = new TraceBuilder(ids);
    const startUs = firstStartUs + index * spacingUs + prng.int(0, Math.floor(spacingUs / 2));
    const droppedSpanIds = buildTrace(shape, prng, builder, startUs, index / shapes.length);
    return { traceId, shape, spans: builder.drafts.map((draft) => freeze(traceId, draft)), droppedSpanIds };
  });

  const common = { 'deployment.environment.name': 'seed', [SEED_RUN_ATTRIBUTE]: runId };
  return {
    runId,
    anchorMs,
    resources: {
      'api-gateway': { 'service.name': 'api-gateway', 'service.version': '2.4.1', 'host.name': 'edge-1', ...common },
      'actor-server': { 'service.name': 'actor-server', 'service.version': '0.19.0', 'host.name': 'actors-7f9c', ...common },
      'llm-gateway': { 'service.name': 'llm-gateway', 'service.version': '1.3.2', 'host.name': 'llm-gw-2', ...common },
    },
    traces,
  };
}

export function seedSpans(workload: SeedWorkload): SeedSpan[] {
  return workload.traces.flatMap((trace) => trace.spans);
}

export interface SeedOperationSummary {
  readonly service: SeedServiceName;
  readonly operation: string;
  readonly count: number;
  readonly errorCount: number;
  /** Ascending. */
  readonly durationsUs: readonly number[];
  /** Nearest-rank (the ceil(q·n)-th smallest), as design §4 defines them. */
  readonly p50Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  /**
   * Spans per duration decade, [10^k, 10^(k+1)) µs (a 0 µs span in [0, 1)), ascending, empty decades
   * left out. Counted from the digits of each duration, independently of the app's heatmap rows.
   */
  readonly durationDecades: readonly SeedDurationDecade[];
}

export interface SeedDurationDecade {
  readonly fromUs: number;
  readonly toUs: number;
  readonly count: number;
}

export interface SeedModelSummary {
  readonly calls: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Calls whose gen_ai.response.model differs from gen_ai.request.model. */
  readonly responseModelMismatches: number;
}

export interface SeedSummary {
  readonly runId: string;
  readonly anchorMs: number;
  readonly traceCount: number;
  readonly spanCount: number;
  readonly errorSpanCount: number;
  /** Earliest span start and latest span end, µs. */
  readonly firstStartUs: number;
  readonly lastEndUs: number;
  readonly shapes: Readonly<Record<SeedTraceShape, number>>;
  readonly perService: Readonly<Record<SeedServiceName, { readonly spans: number; readonly traces: number; readonly errors: number }>>;
  /** Sorted by service, then operation. */
  readonly operations: readonly SeedOperationSummary[];
  /** `actor::execute` spans per `actor_name`. */
  readonly byActorName: Readonly<Record<string, { readonly count: number; readonly errorCount: number }>>;
  /** Spans carrying `gen_ai.request.model` (only the provider calls do), per that model. */
  readonly byModel: Readonly<Record<string, SeedModelSummary>>;
  /** Spans per `error.type` (a failed LLM call marks its caller chain with the same type). */
  readonly byErrorType: Readonly<Record<string, number>>;
  /** Spans whose parent is set but not in the trace. */
  readonly orphanSpanIds: readonly string[];
  /** Traces in which every span has a parent. */
  readonly noRootTraceIds: readonly string[];
  /** Max parent→child depth over traces (root = 1). */
  readonly maxDepth: number;
}

export function nearestRank(sortedAscending: readonly number[], quantile: number): number {
  const rank = Math.max(1, Math.ceil(quantile * sortedAscending.length));
  const value = sortedAscending[rank - 1];
  if (value === undefined) throw new Error('nearestRank of an empty list');
  return value;
}

/** Decades by digit count (a 7-digit duration lies in [10^6, 10^7)): no floating-point log10 to round wrong. */
export function durationDecades(durationsUs: readonly number[]): SeedDurationDecade[] {
  const counts = new Map<number, number>();
  for (const durationUs of durationsUs) {
    const fromUs = durationUs === 0 ? 0 : 10 ** (String(durationUs).length - 1);
    counts.set(fromUs, (counts.get(fromUs) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([fromUs, count]) => ({ fromUs, toUs: fromUs === 0 ? 1 : fromUs * 10, count }));
}

function depthOf(span: SeedSpan, byId: ReadonlyMap<string, SeedSpan>): number {
  let depth = 1;
  let parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
  while (parent !== undefined) {
    depth += 1;
    parent = parent.parentSpanId === null ? undefined : byId.get(parent.parentSpanId);
  }
  return depth;
}

export function summarizeSeedWorkload(workload: SeedWorkload): SeedSummary {
  const operations = new Map<string, { service: SeedServiceName; operation: string; durations: number[]; errors: number }>();
  const perService = Object.fromEntries(SEED_SERVICES.map((s) => [s, { spans: 0, traces: 0, errors: 0 }])) as Record<
    SeedServiceName,
    { spans: number; traces: number; errors: number }
  >;
  const byActorName: Record<string, { count: number; errorCount: number }> = {};
  const byModel: Record<string, { calls: number; errors: number; inputTokens: number; outputTokens: number; responseModelMismatches: number }> = {};
  const byErrorType: Record<string, number> = {};
  const shapes = { run: 0, not_found: 0, shed: 0, batch: 0, orphan: 0, no_root: 0 };
  const orphanSpanIds: string[] = [];
  const noRootTraceIds: string[] = [];
  let spanCount = 0;
  let errorSpanCount = 0;
  let firstStartUs = Number.POSITIVE_INFINITY;
  let lastEndUs = Number.NEGATIVE_INFINITY;
  let maxDepth = 0;

  for (const trace of workload.traces) {
    shapes[trace.shape] += 1;
    const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
    if (trace.spans.every((span) => span.parentSpanId !== null)) noRootTraceIds.push(trace.traceId);
    for (const service of new Set(trace.spans.map((span) => span.service))) perService[service].traces += 1;
    for (const span of trace.spans) {
      spanCount += 1;
      firstStartUs = Math.min(firstStartUs, span.startUs);
      lastEndUs = Math.max(lastEndUs, span.startUs + span.durationUs);
      maxDepth = Math.max(maxDepth, depthOf(span, byId));
      if (span.parentSpanId !== null && !byId.has(span.parentSpanId)) orphanSpanIds.push(span.spanId);
      perService[span.service].spans += 1;
      if (span.error) {
        errorSpanCount += 1;
        perService[span.service].errors += 1;
      }
      const key = `${span.service}\u0000${span.name}`;
      const op = operations.get(key) ?? { service: span.service, operation: span.name, durations: [], errors: 0 };
      op.durations.push(span.durationUs);
      if (span.error) op.errors += 1;
      operations.set(key, op);

      const errorType = span.attributes['error.type'];
      if (typeof errorType === 'string') byErrorType[errorType] = (byErrorType[errorType] ?? 0) + 1;
      const actorName = span.attributes['actor_name'];
      if (span.name === 'actor::execute' && typeof actorName === 'string') {
        const entry = (byActorName[actorName] ??= { count: 0, errorCount: 0 });
        entry.count += 1;
        if (span.error) entry.errorCount += 1;
      }
      const model = span.attributes['gen_ai.request.model'];
      if (typeof model === 'string') {
        const entry = (byModel[model] ??= { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, responseModelMismatches: 0 });
        entry.calls += 1;
        if (span.error) entry.errors += 1;
        const input = span.attributes['gen_ai.usage.input_tokens'];
        const output = span.attributes['gen_ai.usage.output_tokens'];
        if (typeof input === 'number') entry.inputTokens += input;
        if (typeof output === 'number') entry.outputTokens += output;
        const responseModel = span.attributes['gen_ai.response.model'];
        if (typeof responseModel === 'string' && responseModel !== model) entry.responseModelMismatches += 1;
      }
    }
  }

  const operationSummaries = [...operations.values()]
    .sort((a, b) => (a.service === b.service ? (a.operation < b.operation ? -1 : 1) : a.service < b.service ? -1 : 1))
    .map((op): SeedOperationSummary => {
      const durationsUs = [...op.durations].sort((a, b) => a - b);
      return {
        service: op.service,
        operation: op.operation,
        count: durationsUs.length,
        errorCount: op.errors,
        durationsUs,
        p50Us: nearestRank(durationsUs, 0.5),
        p95Us: nearestRank(durationsUs, 0.95),
        p99Us: nearestRank(durationsUs, 0.99),
        maxUs: durationsUs[durationsUs.length - 1] ?? 0,
        durationDecades: durationDecades(durationsUs),
      };
    });

  return {
    runId: workload.runId,
    anchorMs: workload.anchorMs,
    traceCount: workload.traces.length,
    spanCount,
    errorSpanCount,
    firstStartUs,
    lastEndUs,
    shapes,
    perService,
    operations: operationSummaries,
    byActorName,
    byModel,
    byErrorType,
    orphanSpanIds,
    noRootTraceIds,
    maxDepth,
  };
}
