import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePorts, choosePortsSync, type PortChoice } from './free-ports.ts';

const opened: Server[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))));
});

/** Binds 127.0.0.1:port (and keeps it until the test ends), or rejects if it cannot. */
function bind(port: number): Promise<void> {
  return new Promise((done, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen({ port, host: '127.0.0.1' }, () => {
      opened.push(server);
      done();
    });
  });
}

function expectSound(choice: PortChoice, single: number, runs: readonly number[]): number[] {
  expect(choice.single).toHaveLength(single);
  expect(choice.runs.map((run) => run.length)).toEqual(runs);
  for (const run of choice.runs) {
    // Really consecutive: base, base + 1, …
    expect(run).toEqual(run.map((_, offset) => (run[0] as number) + offset));
  }
  const all = [...choice.single, ...choice.runs.flat()];
  for (const port of all) {
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
  }
  expect(new Set(all).size).toBe(all.length);
  return all;
}

describe('choosePorts', () => {
  it('chooses distinct single ports and consecutive runs, all bindable right after', async () => {
    const choice = await choosePorts({ single: 8, runs: [4, 3] });
    const all = expectSound(choice, 8, [4, 3]);
    // Every socket was closed before returning: each port binds again at once (all together).
    await Promise.all(all.map(bind));
  });

  it('never hands out a port that is in use', async () => {
    const taken = await choosePorts({ single: 1, runs: [4] });
    const busy = [...taken.single, ...taken.runs.flat()];
    await Promise.all(busy.map(bind));
    for (let i = 0; i < 5; i += 1) {
      const choice = await choosePorts({ single: 4, runs: [4] });
      for (const port of [...choice.single, ...choice.runs.flat()]) expect(busy).not.toContain(port);
    }
  });

  it('handles an empty request', async () => {
    expect(await choosePorts({ single: 0 })).toEqual({ single: [], runs: [] });
  });
});

describe('choosePortsSync', () => {
  it('answers like choosePorts, from a child process', async () => {
    const choice = choosePortsSync({ single: 5, runs: [4] });
    await Promise.all(expectSound(choice, 5, [4]).map(bind));
  });
});
