/**
 * Jaeger's SPM endpoints (`/api/metrics/calls|errors|latencies`, shared/docs/jaeger-api.md §7b): the
 * parameters they need and their answers read into one row per service (or operation). Pure; the
 * requests themselves are in spm-client.ts.
 */
import { z } from 'zod';
import type { SpmRow } from '../metrics/spm-comparison.ts';
import { JaegerBadResponseError } from './errors.ts';
import { formatIssuePath } from './schemas.ts';

const MS_PER_SECOND = 1_000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

/** A trailing rate() window Jaeger can pass to Prometheus as it is. */
export interface SpmRatePer {
  readonly ms: number;
  /** As PromQL writes it: `30s`, `10m`, `1h`, `24h`. */
  readonly label: string;
}

/**
 * The longest `ratePer` no longer than the window that Jaeger passes on intact. Jaeger prints ratePer
 * as a Go duration and cuts it after its first unit (reader.go promqlDurationString): 90000 ms is
 * "1m30s" → `1m`, 1500 ms is "1.5s" → `1.5s` (a PromQL error). So: whole seconds below a minute,
 * whole minutes below an hour, whole hours above; at least 1 s.
 */
export function spmRatePerFor(windowUs: number): SpmRatePer {
  const windowMs = Math.floor(windowUs / 1_000);
  if (windowMs >= MS_PER_HOUR) {
    const hours = Math.floor(windowMs / MS_PER_HOUR);
    return { ms: hours * MS_PER_HOUR, label: `${hours}h` };
  }
  if (windowMs >= MS_PER_MINUTE) {
    const minutes = Math.floor(windowMs / MS_PER_MINUTE);
    return { ms: minutes * MS_PER_MINUTE, label: `${minutes}m` };
  }
  const seconds = Math.max(1, Math.floor(windowMs / MS_PER_SECOND));
  return { ms: seconds * MS_PER_SECOND, label: `${seconds}s` };
}

/** Jaeger puts `service` into `service_name =~ "…"` (RE2), joining several with `|`: every metacharacter is escaped. */
export const escapeServiceRegex = (service: string): string => service.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** Every kind Jaeger's spanKind param takes (query_parser.go); its default is server only. */
export const SPM_SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

// Non-finite values arrive as JSON strings (Go's protojson): "NaN" where rate() saw no increase.
const gaugeValueSchema = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', 'Inf', '+Inf', '-Inf'])]);

const metricFamilySchema = z.object({
  name: z.string(),
  // protojson leaves out empty lists.
  metrics: z
    .array(
      z.object({
        labels: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
        metricPoints: z.array(z.object({ gaugeValue: z.object({ doubleValue: gaugeValueSchema }), timestamp: z.string() })).default([]),
      }),
    )
    .default([]),
});

/** The newest point of each series, keyed by service and operation; null where it is not a finite number. */
export type SpmSeries = ReadonlyMap<string, { readonly service: string; readonly operation: string | null; readonly value: number | null }>;

const seriesKey = (service: string, operation: string | null): string => JSON.stringify([service, operation]);

/** @throws JaegerBadResponseError when `json` is not a metrics answer (an auth proxy's JSON, another service). */
export function readSpmSeries(json: unknown, what: string): SpmSeries {
  const parsed = metricFamilySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JaegerBadResponseError(
      `${what} is not a Jaeger metrics answer${issue ? `: ${issue.message}` : ''}`,
      issue && issue.path.length > 0 ? formatIssuePath(issue.path) : null,
      parsed.error,
    );
  }
  const series = new Map<string, { service: string; operation: string | null; value: number | null }>();
  for (const metric of parsed.data.metrics) {
    // Label order inside a metric is random (§7b).
    const service = metric.labels.find((label) => label.name === 'service_name')?.value;
    if (service === undefined) throw new JaegerBadResponseError(`${what} has a series without a service_name label`);
    const operation = metric.labels.find((label) => label.name === 'operation')?.value ?? null;
    const newest = metric.metricPoints.reduce<(typeof metric.metricPoints)[number] | undefined>(
      (latest, point) => (latest === undefined || Date.parse(point.timestamp) >= Date.parse(latest.timestamp) ? point : latest),
      undefined,
    );
    const raw = newest?.gaugeValue.doubleValue;
    series.set(seriesKey(service, operation), { service, operation, value: typeof raw === 'number' && Number.isFinite(raw) ? raw : null });
  }
  return series;
}

export interface SpmAnswers {
  readonly calls: SpmSeries;
  readonly errors: SpmSeries;
  readonly p50: SpmSeries;
  readonly p95: SpmSeries;
}

/**
 * One row per series any answer has. Latencies arrive in ms. A call rate of 0 means no new spans in the
 * trailing window, so there is no error rate then; Jaeger leaves out the error series of an operation
 * without errors (§7b), so where calls exist and no error series does, the error rate is 0.
 */
export function mergeSpmAnswers(answers: SpmAnswers): SpmRow[] {
  const keys = new Map<string, { service: string; operation: string | null }>();
  for (const series of [answers.calls, answers.errors, answers.p50, answers.p95]) {
    for (const [key, entry] of series) if (!keys.has(key)) keys.set(key, { service: entry.service, operation: entry.operation });
  }
  const msToUs = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : Math.round(value * 1_000));
  return [...keys].map(([key, { service, operation }]) => {
    const ratePerSecond = answers.calls.get(key)?.value ?? null;
    const hasCalls = ratePerSecond !== null && ratePerSecond > 0;
    const errorSeries = answers.errors.get(key);
    const errorRate = !hasCalls ? null : errorSeries === undefined ? 0 : errorSeries.value;
    return { service, operation, ratePerSecond, errorRate, p50Us: msToUs(answers.p50.get(key)?.value), p95Us: msToUs(answers.p95.get(key)?.value) };
  });
}
