import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonBody } from './request-body.ts';

const schema = z.object({ name: z.string() });

/** `chunks` chunks of 16 KB each, counting how many the reader pulled and whether it cancelled. */
function endless(chunks: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
      else if (seen.pulled <= chunks) controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
      else controller.close();
      seen.pulled += 1;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { seen, request: new Request('http://spanlens.test/api/views', { method: 'POST', body, duplex: 'half' } as RequestInit) };
}

describe('readJsonBody', () => {
  it('reads a small JSON body', async () => {
    await expect(readJsonBody(new Request('http://x/', { method: 'POST', body: '{"name":"a"}' }), schema)).resolves.toEqual({ name: 'a' });
  });

  it('stops reading a body without content-length at 64 KB: 413, the sender cancelled', async () => {
    const { seen, request } = endless(10_000);
    await expect(readJsonBody(request, schema)).rejects.toMatchObject({ status: 413, code: 'body_too_large', field: 'body' });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(10);
  });

  it('refuses a declared content-length over 64 KB before reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: '{}', headers: { 'content-length': String(65 * 1024) } });
    await expect(readJsonBody(request, schema)).rejects.toMatchObject({ status: 413 });
  });

  it('answers 400 for a body that is not JSON', async () => {
    await expect(readJsonBody(new Request('http://x/', { method: 'POST', body: 'nope' }), schema)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_json',
    });
  });
});
