/**
 * The CLI's help texts, in a module of their own that imports nothing: `spanlens --help` prints
 * them without loading the query grammar (zod) or the metrics.
 */
export const TOP_USAGE = `Usage: spanlens report [options]   (spanlens report --help for the options)`;

export const REPORT_USAGE = `Usage: spanlens report (--file F | --jaeger URL [--api auto|legacy|v3]) [--service S]
         [--operation O] [--tag key=value ...] [--lookback 1h | --start T --end T]
         [--min-duration D] [--max-duration D] [--client-errors] [--limit N]
         [--group-by operation|service|tag:KEY[,tag:KEY2]] [--format json|table|csv]

Per-group call counts, error rates and exact p50/p90/p95/p99/max latencies for the spans of one
service, or of every service, read from a Jaeger export (.json or .json.gz, legacy /api/traces or /api/v3 format) or
from a live Jaeger query API. Every query option takes exactly what the dashboard URL's param of the
same name takes, and the numbers are the ones /api/metrics gives for that URL.

  --file F          a trace file; without a window option the whole file is read
  --jaeger URL      a Jaeger query service, e.g. http://localhost:16686 (JAEGER_TOKEN is sent as bearer)
  --api             which Jaeger API to use (default auto: legacy when present, else v3)
  --service S       count the spans of this service (default: every service, each counted as if
                    asked alone; the coverage then sums over the services)
  --operation O     only this operation
  --tag key=value   only spans with this tag value (string compare); repeatable
  --lookback D      the window ending now: 15m, 1h, 1h30m, 2d … up to 30d (default 1h with --jaeger)
  --start, --end    an absolute window: ISO 8601 with a zone (2026-11-23T09:00:00Z) or a date (2026-11-23)
  --min-duration D  only spans at least this long: 250ms, 1.5s, 500us …
  --max-duration D  only spans at most this long
  --client-errors   client spans with HTTP status 400 or more count as errors too
  --limit N         fetch at most N traces, 1–100000 (default JAEGER_MAX_TRACES, 2000, with --jaeger; all with --file)
  --group-by K      service, operation and up to two tag:KEY, comma-separated (default service,operation)
  --format          json (durations in integer µs; with selfTime and criticalPath per operation), table (default;
                    top 5 of each), or csv (groups only)

Exit status: 0 on success, 1 when Jaeger or the file fails, 2 for bad arguments.`;
