import 'server-only';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getEnv, type Env } from '../../env.ts';
import { createJaegerSource } from '../../jaeger/jaeger-source.ts';
import { DEFAULT_BUCKETS_MS } from '../../metrics/export/metric-sets.ts';
import { parseRulesFile, RulesFileError, type ExportRule } from '../../metrics/export/rules.ts';
import { jaegerConfigFor } from '../sources.ts';
import { createExporter, type Exporter } from './exporter.ts';
import type { TailConfig } from './tail.ts';

/**
 * The exporter the server runs, from the environment: started once per process (instrumentation.ts at
 * start-up; GET /metrics asks too), or the sentence that says why there is none.
 */
export type ExporterStatus =
  | { readonly state: 'off'; readonly message: string }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'running'; readonly exporter: Exporter };

/** A start range still cut at Jaeger's limit is not split below this: span starts cluster within a second. */
const MIN_SPLIT_US = 1_000_000;

// On globalThis: `next dev` re-evaluates modules on change, and a second tail would count everything twice.
const state = globalThis as { __spanlensExporter?: Promise<ExporterStatus> };

export function configuredExporter(env: Env = getEnv()): Promise<ExporterStatus> {
  state.__spanlensExporter ??= startFromEnv(env);
  return state.__spanlensExporter;
}

export function tailConfigFor(env: Env, nowMs: number): TailConfig {
  const settleUs = env.SPANLENS_EXPORT_SETTLE_S * 1_000_000;
  return {
    tailStartUs: (nowMs - env.SPANLENS_EXPORT_BACKFILL_S * 1_000) * 1_000,
    intervalMs: env.SPANLENS_EXPORT_INTERVAL_S * 1_000,
    settleUs,
    // Spans reaching Jaeger up to twice the settle delay after they end are still counted.
    lateHorizonUs: settleUs,
    maxSpanUs: env.SPANLENS_EXPORT_MAX_SPAN_S * 1_000_000,
    maxTrackedSpans: env.SPANLENS_EXPORT_MAX_TRACKED_SPANS,
    traceLimit: env.JAEGER_MAX_TRACES,
    minSplitUs: MIN_SPLIT_US,
  };
}

async function loadRules(env: Env): Promise<readonly ExportRule[]> {
  if (!env.SPANLENS_EXPORT?.includes('rules')) return [];
  if (env.SPANLENS_EXPORT_RULES === undefined) {
    throw new RulesFileError('SPANLENS_EXPORT includes rules, so SPANLENS_EXPORT_RULES must name the rules file (JSON, see the README).');
  }
  const path = resolve(process.cwd(), env.SPANLENS_EXPORT_RULES);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RulesFileError(
      `SPANLENS_EXPORT_RULES names ${path}, which cannot be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return parseRulesFile(text, `SPANLENS_EXPORT_RULES (${path})`);
}

async function startFromEnv(env: Env): Promise<ExporterStatus> {
  const sets = env.SPANLENS_EXPORT;
  if (sets === undefined) {
    return {
      state: 'off',
      message:
        'The Prometheus exporter is off. Set SPANLENS_EXPORT to a comma list of metric sets (spanmetrics, llm, rules), e.g. SPANLENS_EXPORT=spanmetrics,llm, and restart Spanlens.',
    };
  }
  const jaeger = jaegerConfigFor(env);
  if (jaeger === null) return { state: 'failed', message: 'The Prometheus exporter tails a live Jaeger: set JAEGER_URL as well as SPANLENS_EXPORT.' };
  let rules: readonly ExportRule[];
  try {
    rules = await loadRules(env);
  } catch (error) {
    if (!(error instanceof RulesFileError)) throw error;
    console.error(`spanlens: the Prometheus exporter did not start: ${error.message}`);
    return { state: 'failed', message: `The Prometheus exporter did not start: ${error.message}` };
  }
  // Its own client: no response cache (every pass must see what is new) and one request per search, so a
  // search cut at the limit comes back as such and the tail splits it rather than sampling it.
  const source = createJaegerSource({ ...jaeger, cacheTtlMs: 0, maxRequestsPerSearch: 1 });
  const exporter = createExporter(
    source,
    { sets, rules, bucketsMs: env.SPANLENS_EXPORT_BUCKETS_MS ?? DEFAULT_BUCKETS_MS, maxLabelValues: env.SPANLENS_EXPORT_MAX_LABEL_VALUES },
    tailConfigFor(env, Date.now()),
  );
  exporter.tail.start();
  return { state: 'running', exporter };
}
