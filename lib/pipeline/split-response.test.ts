import { describe, expect, it } from 'vitest';
import { splitIntoRanges, splitResponse } from './split-response.ts';

const texts = (bytes: Buffer, ranges: readonly { start: number; end: number }[]) =>
  ranges.map((r) => JSON.parse(`[${bytes.toString('utf8', r.start, r.end)}]`) as unknown[]);

function legacyResponse(traceCount: number): Buffer {
  const traces = Array.from({ length: traceCount }, (_, i) => ({
    traceID: `t${i}`,
    spans: [{ traceID: `t${i}`, spanID: 's', operationName: 'op "quoted" \\ [x] {y}', tags: [{ key: 'spans', value: '"spans":[' }] }],
    processes: { p1: { serviceName: 'svc', tags: [] } },
    warnings: null,
  }));
  return Buffer.from(JSON.stringify({ data: traces, total: 0, limit: 0, offset: 0, errors: null }));
}

describe('splitResponse', () => {
  it('finds every trace of a legacy response, with escapes and brackets inside strings', () => {
    const bytes = legacyResponse(5);
    const { starts, ends } = splitResponse(bytes, 'legacy');
    expect(starts.map((s, i) => (JSON.parse(bytes.toString('utf8', s, ends[i])) as { traceID: string }).traceID)).toEqual([
      't0',
      't1',
      't2',
      't3',
      't4',
    ]);
  });

  it('handles null data, an empty array, whitespace and a different key order', () => {
    expect(splitResponse(Buffer.from('{"data":null}'), 'legacy').starts).toEqual([]);
    expect(splitResponse(Buffer.from('{"errors":null, "data" : [ ] }'), 'legacy').starts).toEqual([]);
    const pretty = Buffer.from(JSON.stringify({ total: 0, data: [{ a: 1 }, { b: [2, { c: '}' }] }] }, null, 2));
    expect(splitResponse(pretty, 'legacy').starts).toHaveLength(2);
  });

  it('finds the resourceSpans of a v3 response', () => {
    const bytes = Buffer.from(JSON.stringify({ result: { resourceSpans: [{ resource: {} }, { resource: { x: 1 } }] } }));
    expect(splitResponse(bytes, 'v3').starts).toHaveLength(2);
  });
});

describe('splitIntoRanges', () => {
  it.each([1, 50, 200, 10_000])('covers every trace exactly once in order with chunks of %i bytes (fast path)', (target) => {
    const bytes = legacyResponse(40);
    const ranges = splitIntoRanges(bytes, 'legacy', target);
    const ids = texts(bytes, ranges)
      .flat()
      .map((t) => (t as { traceID: string }).traceID);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => `t${i}`));
  });

  it('terminates and loses nothing for every chunk size from 1 to 120 bytes', () => {
    const bytes = legacyResponse(12);
    for (let target = 1; target <= 120; target++) {
      const ids = texts(bytes, splitIntoRanges(bytes, 'legacy', target))
        .flat()
        .map((t) => (t as { traceID: string }).traceID);
      expect(ids, `target ${target}`).toEqual(Array.from({ length: 12 }, (_, i) => `t${i}`));
    }
  });

  it('falls back to a full scan for pretty-printed responses', () => {
    const bytes = Buffer.from(JSON.stringify(JSON.parse(legacyResponse(7).toString()), null, 1));
    const ids = texts(bytes, splitIntoRanges(bytes, 'legacy', 100))
      .flat()
      .map((t) => (t as { traceID: string }).traceID);
    expect(ids).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('never cuts between two resourceSpans of one v3 trace', () => {
    const element = (traceId: string, service: string) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ spans: [{ traceId, spanId: '0000000000000001' }] }],
    });
    const ids = ['a', 'a', 'a', 'b', 'c', 'c'].map((c) => c.repeat(32));
    const bytes = Buffer.from(JSON.stringify({ result: { resourceSpans: ids.map((id, i) => element(id, `s${i}`)) } }));
    const chunks = texts(bytes, splitIntoRanges(bytes, 'v3', 1));
    const traceIdsPerChunk = chunks.map((chunk) => [
      ...new Set(chunk.map((e) => (e as { scopeSpans: { spans: { traceId: string }[] }[] }).scopeSpans[0]!.spans[0]!.traceId[0])),
    ]);
    expect(traceIdsPerChunk).toEqual([['a'], ['b'], ['c']]);
  });

  it('returns no ranges for an empty or null trace array', () => {
    expect(splitIntoRanges(Buffer.from('{"data":[]}'), 'legacy', 10)).toEqual([]);
    expect(splitIntoRanges(Buffer.from('{"result":{"resourceSpans":null}}'), 'v3', 10)).toEqual([]);
  });
});
