import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { vi } from 'vitest';
import { buildRouteDataSet } from '@/lib/server/testing/route-data-set';

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

/**
 * For route tests in demo mode: the route data set (lib/server/testing/route-data-set.ts, times around now)
 * written to `dir` as the demo file, saved views and snapshots in `dir` too, and a fresh server with no
 * Jaeger configured, before the routes are imported.
 */
export function freshDemoServer(dir: string): void {
  writeFileSync(join(dir, 'demo.json'), JSON.stringify(buildRouteDataSet(Date.now() * 1_000)));
  freshServerWith({
    JAEGER_URL: undefined,
    JAEGER_UI_URL: undefined,
    SPANLENS_DATA_FILE: join(dir, 'demo.json'),
    SPANLENS_DB_PATH: join(dir, 'db', 'views.sqlite'),
  });
  delete (globalThis as { __spanlensViews?: unknown }).__spanlensViews;
}
