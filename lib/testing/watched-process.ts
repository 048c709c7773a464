import { spawn } from 'node:child_process';

const STOP_TIMEOUT_MS = 10_000;

/** A server a test started (Prometheus, a Jaeger of its own), watched until it exits. */
export interface WatchedProcess {
  /** The last 4,000 characters of its stderr: the only clue when it refuses a config or a port. */
  logTail(): string;
  /** Why it exited (`exit 1`, `exit SIGKILL`, a spawn error), null while it runs. */
  exited(): string | null;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited (at once if it already had). */
  stop(): Promise<void>;
}

/** Spawns `binary` with stdout ignored and stderr kept (see WatchedProcess). No import.meta: Playwright loads this as CommonJS. */
export function spawnWatched(binary: string, args: readonly string[]): WatchedProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let logTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    logTail = (logTail + chunk.toString('utf8')).slice(-4_000);
  });
  let exited: string | null = null;
  const exitedPromise = new Promise<void>((done) => {
    child.on('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
      done();
    });
    child.on('error', (error) => {
      exited = error.message;
      done();
    });
  });
  return {
    logTail: () => logTail,
    exited: () => exited,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exitedPromise;
      clearTimeout(killer);
    },
  };
}
