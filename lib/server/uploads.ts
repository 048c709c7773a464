import type { UploadInfo } from '../http/api-types.ts';
import { HttpError } from '../http/http-error.ts';
import { readBodyCapped, readBodyChunks } from '../http/request-body.ts';
import { TraceFileError } from '../jaeger/file-source.ts';
import { UploadTooLargeForStoreError, type UploadStore } from './upload-store.ts';
import { parseUploadStream } from './upload-parse.ts';

/**
 * The most an upload may be: as sent, and as JSON (a gzipped upload is refused once it inflates
 * past the same size, so a gzip bomb stops at 64 MB of inflated bytes, never at the memory's end).
 */
export const UPLOAD_MAX_BYTES = 64 * 1_048_576;
/** What a multipart form may add around the file (boundaries, part headers). */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) => () =>
  new HttpError(413, 'upload_too_large', `The file is larger than ${formatMb(maxBytes)} (of JSON, once unzipped); export fewer traces.`, 'file');

const formatMb = (bytes: number) => (bytes >= 1_048_576 ? `${Math.round(bytes / 1_048_576)} MB` : `${bytes} bytes`);

interface UploadedFile {
  readonly name: string;
  /** Bytes as sent (gzipped or not), known once they have all been read. */
  readonly size: () => number;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Counts what passes through, for the upload's recorded size. */
function counted(source: AsyncIterable<Uint8Array>): { chunks: AsyncIterable<Uint8Array>; size: () => number } {
  let size = 0;
  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of source) {
      size += chunk.byteLength;
      yield chunk;
    }
  }
  return { chunks: chunks(), size: () => size };
}

/**
 * The uploaded file: multipart form field `file` (what the upload page sends), or the raw body with
 * its name in `x-file-name` (what curl --data-binary sends). Either may be gzipped. Both are counted
 * as they arrive and refused with 413 past the cap: a form is read (at most the cap plus its
 * overhead) before it is parsed; a raw body streams straight into the parser.
 */
async function readUploadedFile(request: Request, maxBytes: number): Promise<UploadedFile> {
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const body = await readBodyCapped(request, maxBytes + FORM_OVERHEAD_BYTES, tooLarge(maxBytes));
    const form = await new Response(body, {
      headers: { 'content-type': request.headers.get('content-type') as string },
    })
      .formData()
      .catch(() => {
        throw new HttpError(400, 'invalid_upload', 'The upload is not a readable multipart form.', 'file');
      });
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new HttpError(400, 'invalid_upload', 'The form has no file field named "file".', 'file');
    if (file.size > maxBytes) throw tooLarge(maxBytes)();
    const name = file instanceof File && file.name !== '' ? file.name : 'upload.json';
    const { chunks, size } = counted(file.stream() as unknown as AsyncIterable<Uint8Array>);
    return { name, chunks, size };
  }
  const { chunks, size } = counted(readBodyChunks(request, maxBytes, tooLarge(maxBytes)));
  return { name: request.headers.get('x-file-name') ?? 'upload.json', chunks, size };
}

/** Reads, parses (either Jaeger format, via the normaliser, as it streams) and stores one upload. */
export async function acceptUpload(request: Request, store: UploadStore, maxBytes = UPLOAD_MAX_BYTES): Promise<UploadInfo> {
  const file = await readUploadedFile(request, maxBytes);
  const fileName = file.name.slice(0, 200);
  try {
    const { traces, traceBytes } = await parseUploadStream(file.chunks, fileName, {
      maxJsonBytes: maxBytes,
      tooLarge: tooLarge(maxBytes),
      maxTraceBytes: store.budgetBytes,
      tooMuchMemory: (estimate) => store.tooLargeError(fileName, estimate),
    });
    if (traces.length === 0) throw new HttpError(400, 'invalid_upload', `${fileName} holds no traces.`, 'file');
    return store.add(fileName, file.size(), traces, new Date(), traceBytes).info;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (file.size() === 0) throw new HttpError(400, 'invalid_upload', 'The upload is empty.', 'file');
    if (error instanceof TraceFileError) throw new HttpError(400, 'invalid_upload', error.message, 'file');
    if (error instanceof UploadTooLargeForStoreError) throw new HttpError(413, 'upload_too_large', error.message, 'file');
    throw error;
  }
}
