/**
 * Run by lib/server/body-memory.test.ts in its own Node process, so that the process's peak RSS
 * measures one request alone: feeds a generated request body, sent in fresh 1 MB chunks and
 * without content-length, to readJsonBody or acceptUpload and prints one JSON line
 * { status, code, maxRssMb }.
 *
 *   node --experimental-transform-types body-memory-child.ts <json|multipart|raw|gzip> <MB | gzip file>
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/request-body.ts';
import { UploadStore } from '../server/upload-store.ts';
import { acceptUpload } from '../server/uploads.ts';

const [mode, arg] = process.argv.slice(2) as [string, string];
const MB = 1_048_576;

/** `head`, then `mb` MB of `fill`, in fresh chunks (a consumer that keeps them keeps them all). */
function generated(head: string, mb: number, fill: number): ReadableStream<Uint8Array> {
  let sent = -1;
  return new ReadableStream({
    pull(controller) {
      if (sent === -1) controller.enqueue(new TextEncoder().encode(head));
      else if (sent < mb) controller.enqueue(new Uint8Array(MB).fill(fill));
      else controller.close();
      sent += 1;
    },
  });
}

/** The bytes of a file, sent in fresh 64 KB chunks. */
function fromFile(path: string): ReadableStream<Uint8Array> {
  const bytes = readFileSync(path);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + 65_536)));
      at += 65_536;
    },
  });
}

const post = (body: ReadableStream<Uint8Array>, contentType: string) =>
  new Request('http://spanlens.test/api/x', { method: 'POST', body, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);

async function run(): Promise<unknown> {
  const store = new UploadStore({ maxUploads: 4, maxSpans: 2_000_000 });
  switch (mode) {
    case 'json':
      return readJsonBody(post(generated('{"name":"', Number(arg), 0x61), 'application/json'), z.object({ name: z.string() }));
    case 'multipart': {
      const head = '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.json"\r\nContent-Type: application/json\r\n\r\n{"data":["';
      return acceptUpload(post(generated(head, Number(arg), 0x61), 'multipart/form-data; boundary=XyZ'), store);
    }
    case 'raw':
      return acceptUpload(post(generated('{"data":["', Number(arg), 0x61), 'application/json'), store);
    case 'gzip':
      return acceptUpload(post(fromFile(arg), 'application/gzip'), store);
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

let status = 200;
let code = 'ok';
try {
  await run();
} catch (error) {
  if (!(error instanceof HttpError)) throw error;
  status = error.status;
  code = error.code;
}
process.stdout.write(`${JSON.stringify({ status, code, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
