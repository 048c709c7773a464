/**
 * Bounded memory on every request body and upload (design §9, issue 15): each case runs in its own
 * Node process (lib/testing/body-memory-child.ts) so that the process's peak RSS (getrusage maxRSS)
 * is that one request's. Bodies come in fresh 1 MB chunks without content-length, so only counting
 * while reading can stop them. Before the streaming caps: a 200 MB JSON body peaked at 712 MB RSS,
 * a 200 MB multipart form at 510 MB (read whole, then refused), a 1 MB gzip inflating to 1 GiB at
 * 642 MB (inflated to a 512 MB cap before any check); now 116–182 MB, of which ~115 MB is the
 * process with its modules loaded and up to 64 MB the capped bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHILD = new URL('../testing/body-memory-child.ts', import.meta.url).pathname;
/** The process (~115 MB) + the 64 MB upload cap held about twice at worst, with room for GC slack. */
const MAX_RSS_MB = 320;

async function runChild(mode: string, arg: string): Promise<{ status: number; code: string; maxRssMb: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--experimental-transform-types', '--no-warnings', CHILD, mode, arg], {
    maxBuffer: 1_048_576,
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { status: number; code: string; maxRssMb: number };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlens-bomb-'));
  // Gzip members concatenated (gunzip reads them as one stream): ~1 MB that inflates to 1 GiB.
  const member = (byte: number) => gzipSync(Buffer.alloc(64 * 1_048_576, byte), { level: 9 });
  const a = member(0x61);
  writeFileSync(join(dir, 'string.json.gz'), Buffer.concat([gzipSync('{"data":["'), ...Array<Buffer>(16).fill(a)]));
  writeFileSync(join(dir, 'zeros.gz'), Buffer.concat(Array<Buffer>(16).fill(member(0))));
  writeFileSync(join(dir, 'spaces.json.gz'), Buffer.concat(Array<Buffer>(16).fill(member(0x20))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('request bodies are capped while they stream (peak RSS of a child process)', () => {
  it.each([
    ['a 200 MB JSON body to readJsonBody', 'json', '200', 'body_too_large'],
    ['a 200 MB multipart upload without content-length', 'multipart', '200', 'upload_too_large'],
    ['a 200 MB raw upload without content-length', 'raw', '200', 'upload_too_large'],
  ])('%s: 413, bounded memory', { timeout: 120_000 }, async (_, mode, mb, code) => {
    const result = await runChild(mode, mb);
    expect(result).toMatchObject({ status: 413, code });
    expect(result.maxRssMb).toBeLessThan(MAX_RSS_MB);
  });

  it('a 1 MB gzip inflating to 1 GiB of JSON string: 413 at the inflated cap, bounded memory', { timeout: 120_000 }, async () => {
    const result = await runChild('gzip', join(dir, 'string.json.gz'));
    expect(result).toMatchObject({ status: 413, code: 'upload_too_large' });
    expect(result.maxRssMb).toBeLessThan(MAX_RSS_MB);
  });

  it.each([['zeros.gz'], ['spaces.json.gz']])('a 1 MB gzip inflating to 1 GiB of %s: 400, bounded memory', { timeout: 120_000 }, async (file) => {
    const result = await runChild('gzip', join(dir, file));
    expect(result).toMatchObject({ status: 400, code: 'invalid_upload' });
    expect(result.maxRssMb).toBeLessThan(MAX_RSS_MB);
  });
});
