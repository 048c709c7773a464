import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/http-error.ts';
import { buildRouteDataSet } from './testing/route-data-set.ts';
import { UploadStore } from './upload-store.ts';
import { acceptUpload } from './uploads.ts';

const exportJson = JSON.stringify(buildRouteDataSet(1_700_000_000_000_000));
const store = () => new UploadStore({ maxUploads: 4, maxSpans: 10_000 });
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://spanlens.test/api/uploads', { method: 'POST', body, headers });

describe('acceptUpload', () => {
  it('takes a gzipped export', async () => {
    const info = await acceptUpload(post(gzipSync(exportJson), { 'x-file-name': 'export.json.gz' }), store());
    expect(info).toMatchObject({ fileName: 'export.json.gz', traces: 50, spans: 104 });
  });

  it.each([
    ['a raw body', () => post(exportJson)],
    [
      'a form file',
      () => {
        const form = new FormData();
        form.append('file', new File([exportJson], 'big.json'));
        return post(form);
      },
    ],
  ])('refuses %s over the size cap with 413 naming file', async (_, request) => {
    const error = await acceptUpload(request(), store(), 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 413, code: 'upload_too_large', field: 'file' });
  });

  it.each([
    ['an empty body', ''],
    ['not JSON', 'hello'],
    ['JSON without traces', '{"data":[]}'],
  ])('refuses %s with 400 naming file', async (_, body) => {
    await expect(acceptUpload(post(body), store())).rejects.toMatchObject({ status: 400, field: 'file' });
  });

  it('refuses a form without a file field', async () => {
    const form = new FormData();
    form.append('other', 'x');
    await expect(acceptUpload(post(form), store())).rejects.toMatchObject({ status: 400, message: 'The form has no file field named "file".' });
  });
});
