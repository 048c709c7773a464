import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LegacyTrace {
  traceID: string;
  spans: { traceID: string; spanID: string; startTime: number; duration: number }[];
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;
const legacy = read<{ data: LegacyTrace[] }>('./legacy-traces.json').data;
const v3 = read<{ result: { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] } }>('./v3-traces.json').result.resourceSpans.flatMap((rs) =>
  rs.scopeSpans.flatMap((ss) => ss.spans),
);
const manifest = read<{ traces: { traceId: string; why: string }[] }>('./manifest.json');

describe('traces recorded through both APIs', () => {
  it('are the traces the manifest lists, once each', () => {
    expect(legacy.map((t) => t.traceID)).toEqual(manifest.traces.map((t) => t.traceId));
    expect(new Set(v3.map((s) => s.traceId))).toEqual(new Set(manifest.traces.map((t) => t.traceId.padStart(32, '0'))));
  });

  it('hold the same spans with the same µs start and duration (⌊ns / 1000⌋ in BigInt)', () => {
    const legacySpans = new Map(legacy.flatMap((t) => t.spans).map((s) => [`${s.traceID.padStart(32, '0')}/${s.spanID}`, s]));
    expect(v3).toHaveLength(legacySpans.size);
    for (const span of v3) {
      const twin = legacySpans.get(`${span.traceId}/${span.spanId}`);
      expect(twin).toBeDefined();
      expect(Number(BigInt(span.startTimeUnixNano) / 1000n)).toBe(twin?.startTime);
      expect(Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n)).toBe(twin?.duration);
    }
  });

  it('include a 64-bit trace ID that legacy JSON shortens to 16 hex characters', () => {
    expect(legacy.some((t) => t.traceID.length === 16)).toBe(true);
  });
});
