import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultyServer, type FaultyServer } from '../testing/faulty-server.ts';
import { httpGetStream, readText } from './http-get.ts';
import { InflightBudget, InflightBudgetError } from './inflight-budget.ts';

const KiB = 1024;

describe('InflightBudget', () => {
  it('grants what fits at once, queues the rest first come first served, and lets them on as bytes come back', async () => {
    const budget = new InflightBudget(100);
    const a = budget.open('a');
    const b = budget.open('b');
    const c = budget.open('c');
    await a.reserve(80, undefined, 1_000);
    const order: string[] = [];
    const big = b.reserve(50, undefined, 1_000).then(() => order.push('b'));
    // Small enough to fit now, but behind b: it waits its turn.
    const small = c.reserve(10, undefined, 1_000).then(() => order.push('c'));
    await sleep(5);
    expect(order).toEqual([]);
    expect(budget.reserved).toBe(80);
    a.release(40);
    await Promise.all([big, small]);
    expect(order).toEqual(['b', 'c']);
    expect(budget.reserved).toBe(100);
    expect(budget.waits).toBe(2);
    a.close();
    b.close();
    c.close();
    expect(budget.reserved).toBe(0);
    expect(budget.peak).toBe(100);
  });

  it('refuses at once an answer that alone would need more than the whole budget', async () => {
    const budget = new InflightBudget(100);
    const lease = budget.open('http://jaeger/api/traces');
    await lease.reserve(60, undefined, 1_000);
    await expect(lease.reserve(41, undefined, 1_000)).rejects.toThrow(
      "Jaeger's answer to http://jaeger/api/traces needs more than the whole response budget of 0 MB held at once",
    );
    lease.close();
  });

  it('gives up a wait when its request signal aborts, naming the budget, and lets the next waiter on', async () => {
    const budget = new InflightBudget(2 * 1_048_576);
    const holder = budget.open('holder');
    await holder.reserve(2 * 1_048_576, undefined, 1_000);
    const waiting = budget.open('http://jaeger/api/traces');
    const error: unknown = await waiting.reserve(1, AbortSignal.timeout(50), 50).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InflightBudgetError);
    expect((error as Error).message).toBe(
      "Jaeger's answers in flight held the whole response budget of 2 MB for 50 ms, so the answer to http://jaeger/api/traces could not be read in time; " +
        'try again, narrow the window, or raise JAEGER_MAX_INFLIGHT_MB.',
    );
    expect(budget.reserved).toBe(2 * 1_048_576);
    holder.close();
    waiting.close();
    expect(budget.reserved).toBe(0);
  });

  it('breaks a deadlock: when every answer holding bytes waits for more, the newest gives up', async () => {
    const budget = new InflightBudget(100);
    const first = budget.open('first');
    const second = budget.open('second');
    await first.reserve(50, undefined, 1_000);
    await second.reserve(50, undefined, 1_000);
    const firstMore = first.reserve(10, undefined, 1_000);
    await expect(second.reserve(10, undefined, 1_000)).rejects.toBeInstanceOf(InflightBudgetError);
    second.close();
    await firstMore;
    expect(budget.reserved).toBe(60);
    first.close();
  });
});

describe('httpGetStream under a response budget', () => {
  let server: FaultyServer;
  const dispatcher = new Agent({ connections: 4 });
  beforeAll(async () => {
    server = await startFaultyServer();
  });
  afterAll(async () => {
    await dispatcher.close();
    await server.close();
  });

  const get = <T>(path: string, budget: InflightBudget, consume: (body: AsyncIterable<Buffer>) => Promise<T>, timeoutMs = 5_000) =>
    httpGetStream(
      `${server.url}${path}`,
      { dispatcher, headers: {}, timeoutMs, maxResponseBytes: 16 * 1_048_576, inflightBudget: budget },
      (_, body) => consume(body),
    );

  it('two concurrent streamed bodies over a small budget never hold more than it, and both complete', async () => {
    const bytes = 1_048_576;
    server.respond('/a', { kind: 'huge', bytes, announceLength: false });
    server.respond('/b', { kind: 'huge', bytes, announceLength: false });
    // The stream hands over what it has buffered, 64–130 KiB here: two such chunks do not fit, so the
    // two answers must take turns.
    const budget = new InflightBudget(140 * KiB);
    let mostSeen = 0;
    let largestChunk = 0;
    const consume = async (body: AsyncIterable<Buffer>): Promise<number> => {
      let total = 0;
      for await (const chunk of body) {
        mostSeen = Math.max(mostSeen, budget.reserved);
        largestChunk = Math.max(largestChunk, chunk.byteLength);
        total += chunk.byteLength;
        await sleep(1); // a reader slower than the socket, so the budget is what limits
      }
      return total;
    };
    const [a, b] = await Promise.all([get('/a', budget, consume), get('/b', budget, consume)]);
    expect([a, b]).toEqual([bytes, bytes]);
    expect(mostSeen).toBeGreaterThan(0);
    // A single chunk over the whole budget may go on alone (nothing else reserved), never beside another.
    const ceiling = Math.max(budget.limit, largestChunk);
    expect(mostSeen).toBeLessThanOrEqual(ceiling);
    expect(budget.peak).toBeLessThanOrEqual(ceiling);
    expect(budget.waits).toBeGreaterThan(0);
    expect(budget.reserved).toBe(0);
  });

  it('keeps a body read whole reserved until its response ends', async () => {
    server.respond('/whole', { kind: 'huge', bytes: 256 * KiB, announceLength: true });
    const budget = new InflightBudget(1_048_576);
    const text = await get('/whole', budget, readText);
    expect(text.length).toBe(256 * KiB);
    expect(budget.peak).toBe(256 * KiB);
    expect(budget.reserved).toBe(0);
  });

  it('waits for room up to its timeout, then fails naming the budget', async () => {
    server.respond('/slow', { kind: 'huge', bytes: 128 * KiB, announceLength: false });
    const budget = new InflightBudget(1_048_576);
    const other = budget.open('another answer');
    await other.reserve(1_048_576, undefined, 1_000);
    const started = performance.now();
    const error: unknown = await get('/slow', budget, readText, 200).catch((thrown: unknown) => thrown);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(InflightBudgetError);
    expect((error as Error).message).toMatch(
      /held the whole response budget of 1 MB for 200 ms, so the answer to http:\/\/127\.0\.0\.1:\d+\/slow could not be read/,
    );
    other.close();
    expect(budget.reserved).toBe(0);
  });
});
