import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { UploadInfo } from '../http/api-types.ts';
import { createFileSource } from '../jaeger/file-source.ts';
import type { TraceSource } from '../jaeger/source.ts';
import type { Trace } from '../jaeger/span.ts';

export interface StoredUpload {
  readonly info: UploadInfo;
  readonly source: TraceSource;
}

/**
 * Uploaded exports, kept in memory and forgotten least-recently-used first once more than
 * `maxUploads` are held or their spans exceed `maxSpans`. Memory, not disk: an export is an
 * ad-hoc analysis, and a restart forgetting it is the safe default for data users hand us.
 */
export class UploadStore {
  private readonly uploads: LRUCache<string, StoredUpload>;

  constructor(options: { readonly maxUploads: number; readonly maxSpans: number }) {
    const { maxUploads, maxSpans } = options;
    this.uploads = new LRUCache({
      max: maxUploads,
      maxSize: maxSpans,
      // Clamped to maxSpans so that an upload bigger than the bound is still kept, alone (lru-cache
      // would refuse it), and to 1 because lru-cache sizes are positive.
      sizeCalculation: (stored) => Math.min(maxSpans, Math.max(1, stored.info.spans)),
    });
  }

  add(fileName: string, bytes: number, traces: readonly Trace[], now = new Date()): StoredUpload {
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
    this.uploads.set(id, stored);
    return stored;
  }

  /** Marks the upload most recently used. */
  get(id: string): StoredUpload | undefined {
    return this.uploads.get(id);
  }
}
