/**
 * Free loopback ports for test servers, so no suite depends on a fixed port being free. Ports are
 * chosen by binding 127.0.0.1: single ports by listening on port 0 (the kernel picks one), runs of
 * consecutive ports (HotROD takes four in a row) by trying random bases in a high range below the
 * usual ephemeral range. Every socket stays open until the whole choice is made, so the ports are
 * distinct; they are closed before returning, so the caller's servers can bind them (a port could
 * still be taken by someone else in between: the usual, small, race of this technique).
 *
 * No import.meta here: Playwright loads this file as CommonJS (playwright.config.ts, through
 * e2e/support/ports.ts), the harness as native ESM.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface PortRequest {
  /** How many single ports. */
  readonly single: number;
  /** Lengths of runs of consecutive ports, e.g. [4] for HotROD. */
  readonly runs?: readonly number[];
}

export interface PortChoice {
  readonly single: readonly number[];
  /** One array per requested run: base, base + 1, … */
  readonly runs: readonly (readonly number[])[];
}

/** Bases for runs: above the well-known and registered-ish low ports, below Linux's ephemeral 32768–60999. */
const RUN_RANGE = { low: 20_000, high: 32_000 } as const;
const RUN_ATTEMPTS = 500;
const HOST = '127.0.0.1';

function listen(port: number): Promise<Server | null> {
  return new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(null));
    server.listen({ port, host: HOST, exclusive: true }, () => done(server));
  });
}

const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('free-ports: a TCP server has no port');
  return address.port;
};

const closeAll = (servers: readonly Server[]): Promise<void> =>
  Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done())))).then(() => undefined);

/** Binds `length` consecutive ports from a random base; null (nothing held) if any of them is taken. */
async function holdRun(length: number): Promise<Server[] | null> {
  const base = RUN_RANGE.low + Math.floor(Math.random() * (RUN_RANGE.high - RUN_RANGE.low - length));
  const held: Server[] = [];
  for (let offset = 0; offset < length; offset += 1) {
    const server = await listen(base + offset);
    if (server === null) {
      await closeAll(held);
      return null;
    }
    held.push(server);
  }
  return held;
}

/** Chooses every requested port at once: all distinct, all bindable when this returns. */
export async function choosePorts(request: PortRequest): Promise<PortChoice> {
  const held: Server[] = [];
  try {
    const single: number[] = [];
    for (let i = 0; i < request.single; i += 1) {
      const server = await listen(0);
      if (server === null) throw new Error('free-ports: could not listen on an ephemeral loopback port');
      held.push(server);
      single.push(portOf(server));
    }
    // The single ports are still held, so a run can never overlap them (nor an earlier run).
    const runs: number[][] = [];
    for (const length of request.runs ?? []) {
      let run: Server[] | null = null;
      for (let attempt = 0; attempt < RUN_ATTEMPTS && run === null; attempt += 1) run = await holdRun(length);
      if (run === null) {
        throw new Error(`free-ports: no ${length} consecutive free ports in ${RUN_RANGE.low}–${RUN_RANGE.high} after ${RUN_ATTEMPTS} tries`);
      }
      held.push(...run);
      runs.push(run.map(portOf));
    }
    return { single, runs };
  } finally {
    await closeAll(held);
  }
}

/**
 * choosePorts for synchronous callers (playwright.config.ts is evaluated synchronously): runs it in
 * a child Node process and reads its JSON answer. Needs this file's path, so CommonJS callers only
 * (Playwright, vitest); native ESM callers use choosePorts.
 */
export function choosePortsSync(request: PortRequest): PortChoice {
  if (typeof __filename !== 'string') throw new Error('free-ports: choosePortsSync needs a CommonJS caller (use choosePorts)');
  const self = pathToFileURL(__filename).href;
  const script = `import(${JSON.stringify(self)}).then((m) => m.choosePorts(${JSON.stringify(request)})).then((c) => process.stdout.write(JSON.stringify(c)))`;
  const child = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.status !== 0) {
    throw new Error(`free-ports: the port-choosing child failed (${child.error?.message ?? `exit ${child.status}`}): ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as PortChoice;
}
