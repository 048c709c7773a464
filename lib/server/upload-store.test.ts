import { describe, expect, it } from 'vitest';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { estimateTracesBytes, UploadStore, UploadTooLargeForStoreError } from './upload-store.ts';

const traceOf = (n: number, spans: number) =>
  aTrace(
    Array.from({ length: spans }, (_, i) =>
      aSpan()
        .withTraceId(hexId(n, 32))
        .withService(`svc-${i % 2}`)
        .withStart(1_000 + i)
        .build(),
    ),
  );

describe('UploadStore', () => {
  it('describes an upload: traces, spans, services and time range', () => {
    const store = new UploadStore({ maxUploads: 2, maxSpans: 100 });
    const { info } = store.add('export.json', 1234, [traceOf(1, 3)], new Date('2026-11-23T10:00:00Z'));
    expect(info).toEqual({
      id: info.id,
      source: `upload:${info.id}`,
      fileName: 'export.json',
      bytes: 1234,
      traces: 1,
      spans: 3,
      services: ['svc-0', 'svc-1'],
      startUs: 1_000,
      endUs: 1_002 + 1_000,
      createdAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('forgets the least recently used upload beyond maxUploads', () => {
    const store = new UploadStore({ maxUploads: 2, maxSpans: 100 });
    const a = store.add('a', 1, [traceOf(1, 1)]).info.id;
    const b = store.add('b', 1, [traceOf(2, 1)]).info.id;
    store.get(a); // a is now more recent than b
    const c = store.add('c', 1, [traceOf(3, 1)]).info.id;
    expect([store.get(a), store.get(b), store.get(c)].map((upload) => upload?.info.fileName)).toEqual(['a', undefined, 'c']);
  });

  it('forgets older uploads once their spans exceed maxSpans, but keeps the new one', () => {
    const store = new UploadStore({ maxUploads: 10, maxSpans: 5 });
    const old = store.add('old', 1, [traceOf(1, 3)]).info.id;
    const big = store.add('big', 1, [traceOf(2, 6)]).info.id;
    expect(store.get(old)).toBeUndefined();
    expect(store.get(big)?.info.spans).toBe(6);
  });

  it('forgets an upload bigger than maxSpans as soon as another one arrives', () => {
    const store = new UploadStore({ maxUploads: 10, maxSpans: 5 });
    const big = store.add('big', 1, [traceOf(1, 6)]).info.id;
    const small = store.add('small', 1, [traceOf(2, 1)]).info.id;
    expect([store.get(big), store.get(small)].map((upload) => upload?.info.fileName)).toEqual([undefined, 'small']);
  });

  it('keeps uploads up to exactly maxSpans', () => {
    const store = new UploadStore({ maxUploads: 10, maxSpans: 5 });
    const first = store.add('first', 1, [traceOf(1, 3)]).info.id;
    const second = store.add('second', 1, [traceOf(2, 2)]).info.id;
    expect([store.get(first), store.get(second)].map((upload) => upload?.info.fileName)).toEqual(['first', 'second']);
  });
});

describe('UploadStore memory budget', () => {
  it('estimates more than zero bytes per span and grows with the spans', () => {
    const small = estimateTracesBytes([traceOf(1, 1)]);
    expect(small).toBeGreaterThan(0);
    expect(estimateTracesBytes([traceOf(1, 10)])).toBeGreaterThan(5 * small);
  });

  it('forgets older uploads once their estimated bytes exceed maxBytes', () => {
    const one = estimateTracesBytes([traceOf(1, 3)]);
    const store = new UploadStore({ maxUploads: 10, maxSpans: 1_000, maxBytes: 2 * one + 1 });
    const a = store.add('a', 1, [traceOf(1, 3)]).info.id;
    const b = store.add('b', 1, [traceOf(2, 3)]).info.id;
    const c = store.add('c', 1, [traceOf(3, 3)]).info.id;
    expect([store.get(a), store.get(b), store.get(c)].map((upload) => upload?.info.fileName)).toEqual([undefined, 'b', 'c']);
    expect(store.heldBytes).toBe(2 * one);
  });

  it('refuses an upload that alone exceeds maxBytes, with a sentence, and keeps the others', () => {
    const store = new UploadStore({ maxUploads: 10, maxSpans: 1_000, maxBytes: estimateTracesBytes([traceOf(1, 3)]) });
    const kept = store.add('kept', 1, [traceOf(1, 3)]).info.id;
    expect(() => store.add('huge.json', 1, [traceOf(2, 50)])).toThrow(UploadTooLargeForStoreError);
    expect(() => store.add('huge.json', 1, [traceOf(2, 50)])).toThrow(
      /^huge\.json would take about \d+ MB of memory once read, more than the \d+ MB/,
    );
    expect(store.get(kept)?.info.fileName).toBe('kept');
  });
});
