import { createServer } from 'node:net';
import { vi } from 'vitest';

/** For route tests: a URL nothing listens on (a port the OS just handed out, closed again), so "Jaeger is down" for real. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * For route tests, before importing a route: fresh modules and no server singletons left from an
 * earlier import, so the route reads `env` (a variable set to undefined is removed) as a new server would.
 */
export function freshServerWith(env: Readonly<Record<string, string | undefined>>): void {
  vi.resetModules();
  const globals = globalThis as { __spanlensServer?: unknown; __spanlensHealth?: unknown };
  delete globals.__spanlensServer;
  delete globals.__spanlensHealth;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
