/**
 * Every Jaeger trace response (legacy `/api/traces` JSON, `/api/v3` OTLP-JSON) → the one flat
 * `Span`/`Trace` record of lib/jaeger/span.ts (design §2).
 *
 * Why hand-written checks instead of `schema.parse` on the hot path: the aggregation target is
 * bytes→metrics within 1.15× of a bare `JSON.parse` of the same bytes (design §8). Running zod over
 * ~200k spans allocates a fresh object per span, tag and log and costs several times the parse
 * itself. So the loops of normalize-legacy.ts and normalize-otlp.ts test exactly the fields they
 * read with `typeof` and reuse the parsed tag arrays as they are. Only when a check fails do they run
 * the zod schema of lib/jaeger/schemas.ts over the response, which names the exact field
 * (`data[3].spans[0].duration`) for JaegerBadResponseError. The two accept the same inputs;
 * normalize.test.ts fuzzes that agreement.
 */
import { JaegerBadResponseError } from './errors.ts';
import { isObject, ShapeMismatch } from './normalize-common.ts';
import { legacyTracesFast } from './normalize-legacy.ts';
import { v3TracesFast } from './normalize-otlp.ts';
import { formatIssuePath, legacyTracesResponseSchema, v3TracesResponseSchema } from './schemas.ts';
import type { Trace } from './span.ts';

export { normalizeId } from './normalize-common.ts';

function toError(
  cause: ShapeMismatch,
  json: unknown,
  schema: typeof legacyTracesResponseSchema | typeof v3TracesResponseSchema,
): JaegerBadResponseError {
  const result = schema.safeParse(json);
  const issue = result.success ? undefined : result.error.issues[0];
  if (issue === undefined) return new JaegerBadResponseError(cause.message, null, cause);
  return new JaegerBadResponseError(issue.message, formatIssuePath(issue.path) || null, result.error);
}

function run<T>(json: unknown, schema: typeof legacyTracesResponseSchema | typeof v3TracesResponseSchema, body: (json: unknown) => T): T {
  try {
    return body(json);
  } catch (error) {
    if (error instanceof ShapeMismatch) throw toError(error, json, schema);
    throw error;
  }
}

/** `GET /api/traces` (search, multi-get) or `/api/traces/{id}` → traces. Throws JaegerBadResponseError. */
export function normalizeLegacyTraces(json: unknown): Trace[] {
  return run(json, legacyTracesResponseSchema, legacyTracesFast);
}

/** `GET /api/v3/traces` or `/api/v3/traces/{id}` → traces. Throws JaegerBadResponseError. */
export function normalizeV3Traces(json: unknown): Trace[] {
  return run(json, v3TracesResponseSchema, v3TracesFast);
}

/** Either format, told apart by its envelope (`data` vs `result`); for files and uploads. */
export function normalizeTracesResponse(json: unknown): { format: 'legacy' | 'v3'; traces: Trace[] } {
  if (isObject(json) && 'result' in json && !('data' in json)) return { format: 'v3', traces: normalizeV3Traces(json) };
  if (isObject(json) && 'data' in json) return { format: 'legacy', traces: normalizeLegacyTraces(json) };
  throw new JaegerBadResponseError('expected a Jaeger trace response: an object with `data` (legacy) or `result` (api_v3)');
}
