import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

interface LegacyTrace {
  traceID: string;
  spans: { traceID: string; spanID: string; startTime: number; duration: number; processID: string }[];
  processes: Record<string, { serviceName: string }>;
}

const file = new URL('./demo-traces.json.gz', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('./demo-meta.json', import.meta.url), 'utf8')) as {
  recordedAtMs: number;
  firstStartUs: number;
  lastEndUs: number;
  traceCount: number;
  spanCount: number;
  services: Record<string, { spans: number; traces: number }>;
};
const { data } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: LegacyTrace[] };
const spans = data.flatMap((trace) => trace.spans.map((span) => ({ trace, span })));

describe('the recorded demo data set', () => {
  it('stays small enough to ship (a few MB at most)', () => {
    expect(statSync(file).size).toBeLessThan(3 * 1024 * 1024);
  });

  it('holds what its metadata says', () => {
    expect(data).toHaveLength(meta.traceCount);
    expect(spans).toHaveLength(meta.spanCount);
    expect(new Set(data.map((t) => t.traceID)).size).toBe(data.length);
    expect(Math.min(...spans.map(({ span }) => span.startTime))).toBe(meta.firstStartUs);
    expect(Math.max(...spans.map(({ span }) => span.startTime + span.duration))).toBe(meta.lastEndUs);
    const perService: Record<string, number> = {};
    for (const { trace, span } of spans) {
      const service = trace.processes[span.processID]?.serviceName ?? '?';
      perService[service] = (perService[service] ?? 0) + 1;
    }
    expect(perService).toEqual(Object.fromEntries(Object.entries(meta.services).map(([s, v]) => [s, v.spans])));
  });

  it('ends before the recording anchor, so shifting by now − anchor keeps it in the past', () => {
    expect(meta.lastEndUs).toBeLessThanOrEqual(meta.recordedAtMs * 1000);
    // At least the last hour before the anchor is covered, for a default 1h view.
    expect(meta.recordedAtMs * 1000 - meta.firstStartUs).toBeGreaterThan(45 * 60 * 1_000_000);
  });

  it('mixes HotROD and the seeded workload', () => {
    expect(Object.keys(meta.services).sort()).toEqual([
      'actor-server',
      'api-gateway',
      'customer',
      'driver',
      'frontend',
      'llm-gateway',
      'mysql',
      'redis-manual',
      'route',
    ]);
  });
});
