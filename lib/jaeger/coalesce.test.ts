import { describe, expect, it } from 'vitest';
import { RequestCoalescer } from './coalesce.ts';

describe('RequestCoalescer', () => {
  it('runs identical in-flight work once and gives every caller its result', async () => {
    const coalescer = new RequestCoalescer();
    let calls = 0;
    const work = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'answer';
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => coalescer.run('same', work)));
    expect(calls).toBe(1);
    expect(new Set(answers)).toEqual(new Set(['answer']));
    expect(coalescer.size).toBe(0);
    await coalescer.run('same', work);
    expect(calls).toBe(2);
  });

  it('cancels the shared work only when every caller has aborted', async () => {
    const coalescer = new RequestCoalescer();
    let sharedSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) =>
      new Promise<string>((_, reject) => {
        sharedSignal = signal;
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const a = new AbortController();
    const b = new AbortController();
    const first = coalescer.run('k', work, a.signal);
    const second = coalescer.run('k', work, b.signal);
    a.abort(new Error('a left'));
    await expect(first).rejects.toThrow('a left');
    expect(sharedSignal?.aborted).toBe(false);
    b.abort(new Error('b left'));
    await expect(second).rejects.toThrow('b left');
    expect(sharedSignal?.aborted).toBe(true);
  });
});
