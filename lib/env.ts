import { z } from 'zod';
import { parseHostAndPort, parseHostName, type HostAndPort } from './http/host-names.ts';
import { EXPORT_SETS, type ExportSet } from './metrics/export/sets.ts';

/**
 * The only reader of process.env. Empty strings count as unset, and a bad value stops start-up
 * with one sentence per variable (imported by next.config.ts so `dev`/`build`/`start` fail early).
 */

const emptyAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const httpUrl = (name: string) =>
  z
    .string()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, `${name} must be an http(s) URL such as http://localhost:16686`)
    .transform((value) => value.replace(/\/+$/, ''));

const positiveInt = (name: string, fallback: number, max: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `${name} must be a whole number` })
      .int(`${name} must be a whole number`)
      .min(1, `${name} must be at least 1`)
      .max(max, `${name} must be at most ${max}`)
      .default(fallback),
  );

const extraHeaders = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .transform((raw, ctx) => {
      // "Name: value; Other: value" — kept simple so it fits in one env var.
      const headers: Record<string, string> = {};
      for (const [index, pair] of raw.split(';').entries()) {
        if (pair.trim() === '') continue;
        const colon = pair.indexOf(':');
        const name = colon > 0 ? pair.slice(0, colon).trim() : '';
        if (!/^[A-Za-z0-9-]+$/.test(name)) {
          // Never the part itself: a value is often a secret (an API key), and this message is logged.
          ctx.addIssue({
            code: 'custom',
            message: `JAEGER_HEADERS must look like "Name: value; Other: value" (part ${index + 1} has no header name before a colon)`,
          });
          return z.NEVER;
        }
        headers[name] = pair.slice(colon + 1).trim();
      }
      return headers;
    })
    .optional(),
);

/** The address `npm start`/`npm run dev` listen on (scripts/start.mjs): loopback unless told otherwise. */
const listenHost = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .transform((value, ctx) => {
      const host = parseHostName(value.trim());
      if (host === null) {
        ctx.addIssue({ code: 'custom', message: 'HOST must be a host name or IP address such as 127.0.0.1, 0.0.0.0 or ::1' });
        return z.NEVER;
      }
      return host;
    })
    .default('127.0.0.1'),
);

/**
 * SPANLENS_ALLOWED_HOSTS: `name[:port]` entries, comma-separated, that the Host header may carry besides
 * the loopback names and HOST (lib/http/request-guard.ts).
 */
const allowedHosts = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .transform((raw, ctx) => {
      const hosts: HostAndPort[] = [];
      for (const [index, part] of raw.split(',').entries()) {
        if (part.trim() === '') continue;
        const host = parseHostAndPort(part);
        if (host === null) {
          ctx.addIssue({
            code: 'custom',
            message: `SPANLENS_ALLOWED_HOSTS must be host names with an optional port, comma-separated, such as spanlens.example.com,10.0.0.5:3000 (entry ${index + 1} is not one)`,
          });
          return z.NEVER;
        }
        hosts.push(host);
      }
      return hosts;
    })
    .default([]),
);

/** SPANLENS_EXPORT: the metric sets GET /metrics exports (lib/server/export/); unset = no exporter. */
const exportSets = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .transform((raw, ctx) => {
      const sets = [
        ...new Set(
          raw
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== ''),
        ),
      ];
      const unknown = sets.filter((set) => !(EXPORT_SETS as readonly string[]).includes(set));
      if (unknown.length > 0 || sets.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `SPANLENS_EXPORT must be a comma list of ${EXPORT_SETS.join(', ')} (not ${unknown.join(', ') || 'empty'})`,
        });
        return z.NEVER;
      }
      return sets as ExportSet[];
    })
    .optional(),
);

/** SPANLENS_EXPORT_BUCKETS_MS: histogram upper bounds in ms, increasing. */
const exportBucketsMs = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .transform((raw, ctx) => {
      const bounds = raw.split(',').map((part) => Number(part.trim()));
      const increasing = bounds.every(
        (bound, index) => Number.isFinite(bound) && bound > 0 && (index === 0 || bound > (bounds[index - 1] as number)),
      );
      if (!increasing || bounds.length > 100) {
        ctx.addIssue({
          code: 'custom',
          message:
            'SPANLENS_EXPORT_BUCKETS_MS must be up to 100 increasing positive numbers of milliseconds, comma-separated, such as 0.5,1,5,10,100',
        });
        return z.NEVER;
      }
      return bounds;
    })
    .optional(),
);

const nonNegativeInt = (name: string, fallback: number, max: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `${name} must be a whole number` })
      .int(`${name} must be a whole number`)
      .min(0, `${name} must be 0 or more`)
      .max(max, `${name} must be at most ${max}`)
      .default(fallback),
  );

export const envSchema = z.object({
  JAEGER_URL: z.preprocess(emptyAsUnset, httpUrl('JAEGER_URL').optional()),
  JAEGER_UI_URL: z.preprocess(emptyAsUnset, httpUrl('JAEGER_UI_URL').optional()),
  JAEGER_API: z.preprocess(emptyAsUnset, z.enum(['auto', 'legacy', 'v3'], { error: 'JAEGER_API must be one of auto, legacy, v3' }).default('auto')),
  JAEGER_TOKEN: z.preprocess(emptyAsUnset, z.string().optional()),
  JAEGER_HEADERS: extraHeaders,
  JAEGER_TIMEOUT_MS: positiveInt('JAEGER_TIMEOUT_MS', 15_000, 600_000),
  JAEGER_MAX_TRACES: positiveInt('JAEGER_MAX_TRACES', 2_000, 100_000),
  JAEGER_MAX_CONCURRENCY: positiveInt('JAEGER_MAX_CONCURRENCY', 4, 64),
  JAEGER_MAX_RESPONSE_MB: positiveInt('JAEGER_MAX_RESPONSE_MB', 256, 4_096),
  /** Across every Jaeger response streaming at once (lib/jaeger/inflight-budget.ts). */
  JAEGER_MAX_INFLIGHT_MB: positiveInt('JAEGER_MAX_INFLIGHT_MB', 512, 16_384),
  /** One search's whole budget of time, every sub-window included; unset: 2 × JAEGER_TIMEOUT_MS (jaegerQueryDeadlineMs). */
  JAEGER_QUERY_DEADLINE_MS: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'JAEGER_QUERY_DEADLINE_MS must be a whole number' })
      .int('JAEGER_QUERY_DEADLINE_MS must be a whole number')
      .min(1, 'JAEGER_QUERY_DEADLINE_MS must be at least 1')
      .max(3_600_000, 'JAEGER_QUERY_DEADLINE_MS must be at most 3600000')
      .optional(),
  ),
  JAEGER_CACHE_TTL_MS: z.preprocess(
    emptyAsUnset,
    z.coerce.number().int().min(0, 'JAEGER_CACHE_TTL_MS must be 0 or more').max(600_000).default(10_000),
  ),
  SPANLENS_DATA_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
  /** A JSON price table (`{"models":{…}}`) on top of the bundled LLM prices; read and checked by lib/server/price-file.ts. */
  SPANLENS_PRICES: z.preprocess(emptyAsUnset, z.string().optional()),
  SPANLENS_DB_PATH: z.preprocess(emptyAsUnset, z.string().default('.spanlens/views.sqlite')),
  HOST: listenHost,
  PORT: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'PORT must be a whole number from 1 to 65535' })
      .int('PORT must be a whole number from 1 to 65535')
      .min(1, 'PORT must be a whole number from 1 to 65535')
      .max(65_535, 'PORT must be a whole number from 1 to 65535')
      .default(3000),
  ),
  SPANLENS_ALLOWED_HOSTS: allowedHosts,
  SPANLENS_EXPORT: exportSets,
  /** The `rules` metric set's JSON file (lib/metrics/export/rules.ts). */
  SPANLENS_EXPORT_RULES: z.preprocess(emptyAsUnset, z.string().optional()),
  SPANLENS_EXPORT_INTERVAL_S: positiveInt('SPANLENS_EXPORT_INTERVAL_S', 15, 3_600),
  SPANLENS_EXPORT_SETTLE_S: positiveInt('SPANLENS_EXPORT_SETTLE_S', 30, 3_600),
  SPANLENS_EXPORT_BACKFILL_S: nonNegativeInt('SPANLENS_EXPORT_BACKFILL_S', 0, 7 * 86_400),
  /** Longest span the tail still finds: Jaeger searches by start, so each pass reaches back this far. */
  SPANLENS_EXPORT_MAX_SPAN_S: positiveInt('SPANLENS_EXPORT_MAX_SPAN_S', 120, 3_600),
  SPANLENS_EXPORT_BUCKETS_MS: exportBucketsMs,
  SPANLENS_EXPORT_MAX_LABEL_VALUES: positiveInt('SPANLENS_EXPORT_MAX_LABEL_VALUES', 500, 100_000),
  /** Span IDs remembered per service for deduplication across passes. */
  SPANLENS_EXPORT_MAX_TRACKED_SPANS: positiveInt('SPANLENS_EXPORT_MAX_TRACKED_SPANS', 200_000, 10_000_000),
});

export type Env = z.infer<typeof envSchema>;

/**
 * The deadline of one search against Jaeger: JAEGER_QUERY_DEADLINE_MS, else twice JAEGER_TIMEOUT_MS
 * (30 s at the default), room for the first request and one round of follow-ups at the per-request timeout.
 */
export function jaegerQueryDeadlineMs(env: Pick<Env, 'JAEGER_QUERY_DEADLINE_MS' | 'JAEGER_TIMEOUT_MS'>): number {
  return env.JAEGER_QUERY_DEADLINE_MS ?? 2 * env.JAEGER_TIMEOUT_MS;
}

export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    return issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
  });
  throw new InvalidEnvironmentError(`Invalid Spanlens configuration:\n- ${lines.join('\n- ')}`);
}

let cached: Env | undefined;

/** Parsed once per process. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
