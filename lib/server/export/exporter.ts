import 'server-only';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TraceSource } from '../../jaeger/source.ts';
import { createSpanExporter, type ExportMetricSpec, type SpanExporterConfig } from '../../metrics/export/metric-sets.ts';
import { ExportTail, type TailConfig } from './tail.ts';

/**
 * GET /metrics's side of the exporter: the metric sets' observations (lib/metrics/export/metric-sets.ts)
 * applied to prom-client metrics in a Registry of its own, plus the tail's `spanlens_export_*` metrics.
 *
 * A new series is first exported at zero and gets its counts only after one scrape has read that zero:
 * Prometheus's rate() and increase() count nothing for a series' first sample, so without this the first
 * burst of every new series (a new service, a new operation) would never show there (jaeger-api.md §7b).
 */

type PromMetric = Counter<string> | Histogram<string>;

interface Pending {
  readonly metric: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly created: number;
}

/** Past this many held observations (no one scraping) they are applied at once, zero sample or not. */
const MAX_PENDING = 200_000;

const PASS_DURATION_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface Exporter {
  /** The exposition text and its content type, for one scrape. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
  readonly tail: ExportTail;
}

export function createExporter(source: TraceSource, sets: SpanExporterConfig, tailConfig: TailConfig, clockMs: () => number = Date.now): Exporter {
  const registry = new Registry();
  const spans = createSpanExporter(sets);
  const metrics: PromMetric[] = spans.specs.map((spec) => promMetric(spec, registry));
  const created = spans.specs.map(() => new Map<string, number>());
  let generation = 0;
  let scrapedThrough = -1;
  let pending: Pending[] = [];

  const applyNow = (metric: number, labels: Readonly<Record<string, string>>, value: number): void => {
    const target = metrics[metric] as PromMetric;
    if (target instanceof Counter) target.inc(labels, value);
    else target.observe(labels, value);
  };
  const flush = (through: number): void => {
    const held: Pending[] = [];
    for (const entry of pending) {
      if (entry.created <= through) applyNow(entry.metric, entry.labels, entry.value);
      else held.push(entry);
    }
    pending = held;
  };

  const self = selfMetrics(registry);
  // The guard and the ledger keep running totals; the self counters get the growth since the last pass.
  let lastEvicted = 0;
  let lastFoldedNames = 0;
  const lastFolded = new Map<string, number>();
  const tail = new ExportTail(
    source,
    tailConfig,
    {
      count(span, late) {
        spans.observe(span, (metric, values, value) => {
          const spec = spans.specs[metric] as ExportMetricSpec;
          const labels = Object.fromEntries(spec.labelNames.map((name, index) => [name, values[index] as string]));
          const key = values.join('\u0000');
          let createdAt = created[metric]?.get(key);
          if (createdAt === undefined) {
            createdAt = generation;
            created[metric]?.set(key, createdAt);
            const target = metrics[metric] as PromMetric;
            if (target instanceof Counter) target.inc(labels, 0);
            else target.zero(labels);
          }
          if (createdAt <= scrapedThrough) applyNow(metric, labels, value);
          else pending.push({ metric, labels, value, created: createdAt });
        });
        if (pending.length > MAX_PENDING) flush(Number.POSITIVE_INFINITY);
        self.spansCounted.inc();
        if (late) self.lateSpans.inc();
      },
      upstreamError() {
        self.upstreamErrors.inc();
      },
      incomplete(_service, reason) {
        self.incomplete.inc({ reason });
      },
      passDone(stats) {
        self.passes.inc();
        self.passDuration.observe(stats.durationS);
        self.lag.set(stats.lagS);
        self.trackedSpans.set(stats.trackedSpans);
        self.evicted.inc(Math.max(0, stats.evictedSpans - lastEvicted));
        lastEvicted = stats.evictedSpans;
        for (const [name, count] of spans.guard.folded()) {
          self.folded.inc({ metric: name }, count - (lastFolded.get(name) ?? 0));
          lastFolded.set(name, count);
        }
        for (const [name, count] of spans.guard.labelSets()) self.labelSets.set({ metric: name }, count);
        self.foldedNames.inc(spans.foldedNames() - lastFoldedNames);
        lastFoldedNames = spans.foldedNames();
      },
    },
    clockMs,
  );

  return {
    tail,
    async scrape() {
      const scraping = generation++;
      const body = await registry.metrics();
      scrapedThrough = Math.max(scrapedThrough, scraping);
      flush(scrapedThrough);
      return { contentType: registry.contentType, body };
    },
  };
}

function promMetric(spec: ExportMetricSpec, registry: Registry): PromMetric {
  const common = { name: spec.name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry] };
  return spec.type === 'counter' ? new Counter(common) : new Histogram({ ...common, buckets: [...(spec.buckets ?? [])] });
}

function selfMetrics(registry: Registry) {
  const registers = [registry];
  return {
    spansCounted: new Counter({
      name: 'spanlens_export_spans_counted_total',
      help: 'Spans counted into the exported metrics (each once).',
      registers,
    }),
    lateSpans: new Counter({
      name: 'spanlens_export_late_spans_total',
      help: 'Spans counted in a later pass than their own: they reached Jaeger after the settle delay.',
      registers,
    }),
    passes: new Counter({ name: 'spanlens_export_passes_total', help: 'Tail passes over every service.', registers }),
    passDuration: new Histogram({
      name: 'spanlens_export_pass_duration_seconds',
      help: 'How long a pass took.',
      buckets: PASS_DURATION_BUCKETS_S,
      registers,
    }),
    lag: new Gauge({
      name: 'spanlens_export_lag_seconds',
      help: 'Now minus the end of what the furthest-behind service has counted (settle delay plus pass interval when healthy).',
      registers,
    }),
    upstreamErrors: new Counter({ name: 'spanlens_export_upstream_errors_total', help: 'Jaeger requests of the tail that failed.', registers }),
    incomplete: new Counter({
      name: 'spanlens_export_intervals_incomplete_total',
      help: 'Searches that could not get every span: reason="limit" still cut at the trace limit after splitting (spans missed), reason="error" failed (read again next pass).',
      labelNames: ['reason'],
      registers,
    }),
    trackedSpans: new Gauge({ name: 'spanlens_export_dedupe_spans', help: 'Span IDs remembered to count each span once across passes.', registers }),
    evicted: new Counter({
      name: 'spanlens_export_dedupe_evicted_total',
      help: 'Span IDs forgotten early because of SPANLENS_EXPORT_MAX_TRACKED_SPANS (late spans before them are no longer counted).',
      registers,
    }),
    folded: new Counter({
      name: 'spanlens_export_folded_total',
      help: 'Observations whose labels were folded into "other" by the per-metric label-value cap (SPANLENS_EXPORT_MAX_LABEL_VALUES).',
      labelNames: ['metric'],
      registers,
    }),
    labelSets: new Gauge({
      name: 'spanlens_export_label_sets',
      help: 'Distinct label-value combinations exported, per metric.',
      labelNames: ['metric'],
      registers,
    }),
    foldedNames: new Counter({
      name: 'spanlens_export_span_names_folded_total',
      help: 'Spans whose name had IDs folded out (GET /items/12345 → GET /items/{id}) before it became a label.',
      registers,
    }),
  };
}
