import { randomBytes } from 'node:crypto';
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
  private readonly uploads = new Map<string, StoredUpload>();
  private readonly maxUploads: number;
  private readonly maxSpans: number;

  constructor(options: { readonly maxUploads: number; readonly maxSpans: number }) {
    this.maxUploads = options.maxUploads;
    this.maxSpans = options.maxSpans;
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
    this.evict(id);
    return stored;
  }

  get(id: string): StoredUpload | undefined {
    const stored = this.uploads.get(id);
    if (stored) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.uploads.delete(id);
      this.uploads.set(id, stored);
    }
    return stored;
  }

  private evict(keep: string): void {
    let spans = 0;
    for (const stored of this.uploads.values()) spans += stored.info.spans;
    for (const [id, stored] of this.uploads) {
      if (this.uploads.size <= this.maxUploads && spans <= this.maxSpans) break;
      if (id === keep) continue;
      this.uploads.delete(id);
      spans -= stored.info.spans;
    }
  }
}
