import { readManifest } from './harness.ts';
import { buildSeedWorkload, seedSpans, summarizeSeedWorkload, type SeedSpan } from '../../lib/testing/seed/workload.ts';

/**
 * What the harness seeded, rebuilt from its manifest (run ID + anchor): the workload is pure, so
 * every expected count, error count and duration is known exactly.
 */
let cached: ReturnType<typeof readRun> | undefined;

/** Read on first use, inside a test: the manifest may only exist once globalSetup has seeded Jaeger. */
export function seededRun() {
  cached ??= readRun();
  return cached;
}

function readRun() {
  const manifest = readManifest();
  const workload = buildSeedWorkload({ anchorMs: manifest.anchorMs, runId: manifest.runId });
  const summary = summarizeSeedWorkload(workload);
  const spans: SeedSpan[] = seedSpans(workload);
  // An absolute window that holds the whole run (it starts ≤ 46.5 min before the anchor) whenever the test runs.
  const startMs = manifest.anchorMs - 60 * 60_000;
  const endMs = manifest.anchorMs + 5 * 60_000;
  const windowParams = `start=${new Date(startMs).toISOString()}&end=${new Date(endMs).toISOString()}`;
  return { manifest, workload, summary, spans, startMs, endMs, windowParams };
}
