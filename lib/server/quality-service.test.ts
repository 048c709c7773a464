import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import { parseQualityQuery } from '../query/dashboard-query.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { computeQuality } from './quality-service.ts';
import type { ResolvedSource } from './sources.ts';

const T0 = 1_700_000_000_000_000;
const WINDOW = { start: new Date(T0 / 1000).toISOString(), end: new Date(T0 / 1000 + 60_000).toISOString() };

describe('computeQuality', () => {
  it('links every example into the Jaeger UI, base path kept, one span opened', async () => {
    const orphan = aSpan()
      .withSpanId(hexId(0xab))
      .withService('llm')
      .withStart(T0 + 1_000)
      .childOf('00000000000000ff')
      .build();
    const first = aSpan()
      .withSpanId(hexId(0xcd))
      .withService('llm')
      .withStart(T0 + 2_000)
      .childOf(orphan)
      .build();
    const copy = aSpan()
      .withSpanId(hexId(0xcd))
      .withService('llm')
      .withStart(T0 + 3_000)
      .childOf(orphan)
      .build();
    const resolved: ResolvedSource = {
      source: createFileSource([aTrace([orphan, first, copy], hexId(9, 32))]),
      info: { mode: 'live', label: 'test' },
      jaegerUiUrl: 'http://jaeger.example/ui/',
    };
    const answer = await computeQuality(parseQualityQuery(WINDOW), resolved, { nowMs: T0 / 1000 + 60_000, maxTraces: 100 });
    const trace = hexId(9, 32);
    expect(answer.rootless.examples).toEqual([
      { traceId: trace, spanId: hexId(0xab), jaegerUrl: `http://jaeger.example/ui/trace/${trace}?uiFind=${hexId(0xab)}` },
    ]);
    expect(answer.duplicates.examples).toEqual([
      { traceId: trace, spanId: hexId(0xcd), jaegerUrl: `http://jaeger.example/ui/trace/${trace}?uiFind=${hexId(0xcd)}` },
    ]);
    expect(answer.byService[0]?.examples[0]?.jaegerUrl).toBe(`http://jaeger.example/ui/trace/${trace}?uiFind=${hexId(0xab)}`);
    expect(answer.propagation.unlocated).toMatchObject([{ service: 'llm', reason: 'no_known_caller', spans: 1 }]);
    expect(answer.propagation.unlocated[0]?.examples[0]?.jaegerUrl).toContain('/ui/trace/');
  });
});
