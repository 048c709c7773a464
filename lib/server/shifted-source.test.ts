import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import type { Trace } from '../jaeger/span.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { createShiftedSource, latestSpanEndUs } from './shifted-source.ts';

const traces = [1, 2, 3].map((n) =>
  aTrace([
    aSpan()
      .withTraceId(hexId(n, 32))
      .withService('api')
      .withStart(n * 1_000_000)
      .withDuration(500)
      .build(),
  ]),
);

describe('createShiftedSource', () => {
  it('finds the data in the moved window and hands it back moved', async () => {
    const source = createShiftedSource(createFileSource(traces), () => 10_000_000);
    const seen: Trace[] = [];
    const coverage = await source.searchTraces({ service: 'api', tags: {}, startUs: 11_500_000, endUs: 13_000_000, limit: 10 }, (batch) =>
      seen.push(...batch),
    );
    expect(seen.map((trace) => trace.spans[0]?.startUs).sort()).toEqual([12_000_000, 13_000_000]);
    expect(coverage.tracesFetched).toBe(2);
  });

  it('moves a fetched trace too', async () => {
    const source = createShiftedSource(createFileSource(traces), () => 5);
    expect((await source.getTrace(hexId(1, 32)))?.spans[0]?.startUs).toBe(1_000_005);
  });
});

describe('latestSpanEndUs', () => {
  it('is the end of the newest span, or null without spans', () => {
    expect(latestSpanEndUs(traces)).toBe(3_000_500);
    expect(latestSpanEndUs([])).toBeNull();
  });
});
