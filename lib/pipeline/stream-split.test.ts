import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeElements } from './aggregate-bytes.ts';
import { ResponseShapeError, type ResponseFormat } from './split-response.ts';
import { StreamSplitter, type ElementRun } from './stream-split.ts';

/** Feeds `bytes` cut at `cuts`, returns the parsed elements of every run, and the runs. */
function feed(bytes: Buffer, format: ResponseFormat, cuts: readonly number[], targetBytes: number) {
  const splitter = new StreamSplitter(format, targetBytes);
  const runs: ElementRun[] = [];
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const point of [...points, bytes.length]) {
    if (point <= at) continue;
    runs.push(...splitter.push(Buffer.from(bytes.subarray(at, point))));
    at = point;
  }
  runs.push(...splitter.end());
  const elements = runs.flatMap((run) => JSON.parse(`[${run.bytes.toString('utf8')}]`) as unknown[]);
  return { splitter, runs, elements };
}

const tricky = fc.string({ unit: fc.constantFrom('a', '"', '\\', '[', ']', '{', '}', ',', 'é', ' ', '\n', 'x') });

const legacyTrace = (id: string, text: string) => ({
  traceID: id,
  spans: [
    {
      traceID: id,
      spanID: '0000000000000001',
      operationName: text,
      references: [],
      startTime: 1_790_000_000_000_000,
      duration: 5,
      tags: [{ key: 'k', type: 'string', value: text }],
      logs: [],
      processID: 'p1',
    },
  ],
  processes: { p1: { serviceName: 'svc', tags: [] } },
  warnings: null,
});

const v3Resource = (traceId: string, text: string) => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
  scopeSpans: [
    {
      scope: {},
      spans: [
        {
          traceId,
          spanId: '0000000000000001',
          name: text,
          kind: 2,
          startTimeUnixNano: '1790000000000000000',
          endTimeUnixNano: '1790000000000005000',
          attributes: [{ key: 'k', value: { stringValue: text } }],
        },
      ],
    },
  ],
});

describe('StreamSplitter', () => {
  it('gives the same elements as one JSON.parse, whatever the chunk boundaries (legacy)', () => {
    fc.assert(
      fc.property(
        fc.array(tricky, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 600 }),
        (texts, cuts, target) => {
          const body = { data: texts.map((text, i) => legacyTrace(`t${i}`, text)), total: 0, limit: 0, offset: 0, errors: null };
          const bytes = Buffer.from(JSON.stringify(body));
          const { elements, runs, splitter } = feed(bytes, 'legacy', cuts, target);
          expect(elements).toEqual(body.data);
          expect(runs.map((run) => run.firstIndex)).toEqual(runs.map((_, i) => runs.slice(0, i).reduce((n, r) => n + r.elements, 0)));
          expect(JSON.parse(splitter.envelope().toString('utf8'))).toEqual({ ...body, data: [] });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never cuts a v3 trace between resourceSpans, whatever the chunk boundaries, and normalises the same traces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), tricky), { maxLength: 14 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 800 }),
        (parts, cuts, target) => {
          // Adjacent resourceSpans of the same trace, as Jaeger writes them.
          const resourceSpans = parts.map(([id, text]) => v3Resource(String(id).repeat(32), text));
          const body = { result: { resourceSpans } };
          const bytes = Buffer.from(JSON.stringify(body));
          const { runs } = feed(bytes, 'v3', cuts, target);
          const perRun = runs.map((run) => normalizeElements('v3', JSON.parse(`[${run.bytes.toString('utf8')}]`)));
          const whole = normalizeElements('v3', resourceSpans);
          // No trace ID in two runs unless the layout itself repeats it non-adjacently.
          const ids = perRun.flatMap((traces) => traces.map((trace) => trace.traceId));
          const adjacentGroups = parts.filter((part, i) => i === 0 || parts[i - 1]?.[0] !== part[0]).length;
          if (new Set(parts.map(([id]) => id)).size === adjacentGroups) {
            expect(ids.length).toBe(new Set(ids).size);
            expect(perRun.flat().sort((a, b) => (a.traceId < b.traceId ? -1 : 1))).toEqual(
              [...whole].sort((a, b) => (a.traceId < b.traceId ? -1 : 1)),
            );
          }
          expect(runs.reduce((n, run) => n + run.elements, 0)).toBe(resourceSpans.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps bodies that are not a trace array whole for the buffered reader', () => {
    for (const text of ['{"services":["a"]}', '{"data":null}', 'garbage', '']) {
      const { runs, splitter } = feed(Buffer.from(text), 'legacy', [3], 10);
      expect(runs).toEqual([]);
      expect(splitter.buffering).toBe(true);
      expect(splitter.fallbackBody().toString()).toBe(text);
    }
  });

  it('says the array is unterminated when the body stops inside it', () => {
    const bytes = Buffer.from(JSON.stringify({ data: [legacyTrace('a', 'x'), legacyTrace('b', 'y')] }));
    expect(() => feed(bytes.subarray(0, bytes.length - 40), 'legacy', [7, 50], 10)).toThrow(ResponseShapeError);
  });

  it('holds only about one run of bytes at a time', () => {
    const body = { data: Array.from({ length: 400 }, (_, i) => legacyTrace(`t${i}`, 'x'.repeat(200))) };
    const bytes = Buffer.from(JSON.stringify(body));
    const { runs } = feed(
      bytes,
      'legacy',
      Array.from({ length: 200 }, (_, i) => i * 997),
      8_000,
    );
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) expect(run.bytes.length).toBeLessThan(8_000 + 2 * 1_100);
  });
});
