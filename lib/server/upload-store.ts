import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { UploadInfo } from '../http/api-types.ts';
import { createFileSource } from '../jaeger/file-source.ts';
import type { TraceSource } from '../jaeger/source.ts';
import type { KeyValue, Trace } from '../jaeger/span.ts';

export interface StoredUpload {
  readonly info: UploadInfo;
  readonly source: TraceSource;
}

/** An upload that alone would take more memory than the whole store may: it is not kept. */
export class UploadTooLargeForStoreError extends Error {
  override readonly name = 'UploadTooLargeForStoreError';
}

/** The default memory budget of all uploads together (the estimate of `estimateTracesBytes`). */
export const DEFAULT_UPLOAD_STORE_MAX_BYTES = 512 * 1_048_576;

/** V8 heap bytes of a one-byte string of `length` characters (header + payload, 8-aligned). */
const stringBytes = (value: string) => 16 + ((value.length + 7) & ~7);

function keyValuesBytes(values: readonly KeyValue[]): number {
  let bytes = 16 + 8 * values.length;
  for (const kv of values) bytes += 40 + stringBytes(kv.key) + (typeof kv.value === 'string' ? stringBytes(kv.value) : 16);
  return bytes;
}

/**
 * A conservative estimate of the heap the traces take: every object, array slot and string
 * counted at V8's sizes as if none were shared (the normaliser shares process tags, kinds and
 * IDs, so the real heap is smaller). Measured once, on the route test set ×600 (62,400 legacy
 * spans, 26 MB of JSON): estimate 37.5 MB, heap growth after GC 34.5 MB (1.09×).
 */
export function estimateTracesBytes(traces: readonly Trace[]): number {
  let bytes = 0;
  for (const trace of traces) {
    bytes += 64 + stringBytes(trace.traceId) + 16 + 8 * trace.spans.length;
    for (const warning of trace.warnings) bytes += 8 + stringBytes(warning);
    for (const span of trace.spans) {
      // The span object (15 fields), its IDs, names, references.
      bytes += 136 + stringBytes(span.spanId) + stringBytes(span.service) + stringBytes(span.operation);
      bytes += 16 + span.references.length * (40 + 2 * 48);
      bytes += keyValuesBytes(span.tags) + keyValuesBytes(span.processTags);
      bytes += 16 + 8 * span.logs.length;
      for (const log of span.logs) bytes += 32 + keyValuesBytes(log.fields);
      for (const warning of span.warnings) bytes += 8 + stringBytes(warning);
    }
  }
  return bytes;
}

const formatMb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1_048_576))} MB`;

/**
 * Uploaded exports, kept in memory and forgotten least-recently-used first once more than
 * `maxUploads` are held, their spans exceed `maxSpans` or their estimated memory `maxBytes`. An
 * upload that alone exceeds `maxBytes` is refused (UploadTooLargeForStoreError) and the others
 * kept. Memory, not disk: an export is an ad-hoc analysis, and a restart forgetting it is the safe
 * default for data users hand us.
 */
export class UploadStore {
  private readonly uploads: LRUCache<string, StoredUpload>;
  private readonly sizes = new Map<string, { readonly spans: number; readonly bytes: number }>();
  private readonly maxSpans: number;
  private readonly maxBytes: number;
  private spans = 0;
  private bytes = 0;

  constructor(options: { readonly maxUploads: number; readonly maxSpans: number; readonly maxBytes?: number }) {
    this.maxSpans = options.maxSpans;
    this.maxBytes = options.maxBytes ?? DEFAULT_UPLOAD_STORE_MAX_BYTES;
    this.uploads = new LRUCache({
      max: options.maxUploads,
      dispose: (_stored, id) => {
        const size = this.sizes.get(id);
        if (size === undefined) return;
        this.sizes.delete(id);
        this.spans -= size.spans;
        this.bytes -= size.bytes;
      },
    });
  }

  /** Estimated bytes of every upload held (for tests and diagnostics). */
  get heldBytes(): number {
    return this.bytes;
  }

  /** The most estimated memory all uploads together may take. */
  get budgetBytes(): number {
    return this.maxBytes;
  }

  /** Why an upload of `memory` estimated bytes is not kept. */
  tooLargeError(fileName: string, memory: number): UploadTooLargeForStoreError {
    return new UploadTooLargeForStoreError(
      `${fileName} would take about ${formatMb(memory)} of memory once read, more than the ${formatMb(this.maxBytes)} all uploads may take; export fewer traces.`,
    );
  }

  /** `memory`: the traces' `estimateTracesBytes`, when the caller has it already. */
  add(fileName: string, bytes: number, traces: readonly Trace[], now = new Date(), memory = estimateTracesBytes(traces)): StoredUpload {
    if (memory > this.maxBytes) throw this.tooLargeError(fileName, memory);
    const id = randomBytes(9).toString('base64url');
    const services = new Set<string>();
    let spans = 0;
    let startUs: number | null = null;
    let endUs: number | null = null;
    for (const trace of traces) {
      for (const span of trace.spans) {
        spans += 1;
        services.add(span.service);
        if (startUs === null || span.startUs < startUs) startUs = span.startUs;
        const end = span.startUs + span.durationUs;
        if (endUs === null || end > endUs) endUs = end;
      }
    }
    const info: UploadInfo = {
      id,
      source: `upload:${id}`,
      fileName,
      bytes,
      traces: traces.length,
      spans,
      services: [...services].sort(),
      startUs,
      endUs,
      createdAt: now.toISOString(),
    };
    const stored = { info, source: createFileSource(traces) };
    // Least recently used first, until the new one fits; an upload over maxSpans is still kept, alone.
    while (this.uploads.size > 0 && (this.bytes + memory > this.maxBytes || this.spans + spans > this.maxSpans)) this.uploads.pop();
    this.uploads.set(id, stored);
    this.sizes.set(id, { spans, bytes: memory });
    this.spans += spans;
    this.bytes += memory;
    return stored;
  }

  /** Marks the upload most recently used. */
  get(id: string): StoredUpload | undefined {
    return this.uploads.get(id);
  }
}
