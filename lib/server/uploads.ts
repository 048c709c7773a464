import type { UploadInfo } from '../http/api-types.ts';
import { HttpError } from '../http/http-error.ts';
import { inflateCapped, isGzip, parseTraceBytes, TraceFileError } from '../jaeger/file-source.ts';
import type { UploadStore } from './upload-store.ts';

export const UPLOAD_MAX_BYTES = 64 * 1_048_576;
/** What a gzipped upload may inflate to: refused while inflating, before a zip bomb fills the memory. */
const UPLOAD_MAX_INFLATED_BYTES = 512 * 1_048_576;

const tooLarge = () =>
  new HttpError(413, 'upload_too_large', `The file is larger than ${UPLOAD_MAX_BYTES / 1_048_576} MB; export fewer traces or gzip it.`, 'file');

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The uploaded file: multipart form field `file` (what a browser form sends), or the raw body with
 * its name in `x-file-name` (what curl --data-binary sends). Either may be gzipped.
 */
async function readUploadedFile(request: Request, maxBytes: number): Promise<{ name: string; bytes: Uint8Array }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes + 64 * 1024) throw tooLarge();
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const form = await request.formData().catch(() => {
      throw new HttpError(400, 'invalid_upload', 'The upload is not a readable multipart form.', 'file');
    });
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new HttpError(400, 'invalid_upload', 'The form has no file field named "file".', 'file');
    if (file.size > maxBytes) throw tooLarge();
    return { name: file instanceof File && file.name !== '' ? file.name : 'upload.json', bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  if (request.body === null) throw new HttpError(400, 'invalid_upload', 'The upload is empty.', 'file');
  return { name: request.headers.get('x-file-name') ?? 'upload.json', bytes: await readCapped(request.body, maxBytes) };
}

/** Reads, parses (either Jaeger format, via the normaliser) and stores one upload. */
export async function acceptUpload(request: Request, store: UploadStore, maxBytes = UPLOAD_MAX_BYTES): Promise<UploadInfo> {
  const { name, bytes } = await readUploadedFile(request, maxBytes);
  if (bytes.byteLength === 0) throw new HttpError(400, 'invalid_upload', 'The upload is empty.', 'file');
  const fileName = name.slice(0, 200);
  try {
    const json = isGzip(bytes) ? await inflateCapped(bytes, UPLOAD_MAX_INFLATED_BYTES, fileName) : bytes;
    const { traces } = parseTraceBytes(json, fileName);
    if (traces.length === 0) throw new HttpError(400, 'invalid_upload', `${fileName} holds no traces.`, 'file');
    return store.add(fileName, bytes.byteLength, traces).info;
  } catch (error) {
    if (error instanceof TraceFileError) throw new HttpError(400, 'invalid_upload', error.message, 'file');
    throw error;
  }
}
