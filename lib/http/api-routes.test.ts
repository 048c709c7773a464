import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, findApiRoute } from './api-routes.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const apiDir = join(import.meta.dirname, '../../app/api');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === 'route.ts' ? [path] : [];
  });
}

describe('API_ROUTES', () => {
  it('lists every app/api route.ts (but the catch-all) with exactly the methods it exports', async () => {
    const found: { path: string; methods: string[] }[] = [];
    for (const file of routeFiles(apiDir)) {
      const path = `/api/${relative(apiDir, file).replace(/\/?route\.ts$/, '')}`;
      if (path.includes('[...')) continue;
      const routeModule = (await import(file)) as Record<string, unknown>;
      found.push({ path, methods: METHODS.filter((method) => typeof routeModule[method] === 'function') });
    }
    const listed = API_ROUTES.map(({ path, methods }) => ({ path, methods: [...methods] }));
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect(listed.sort(byPath)).toEqual(found.sort(byPath));
  });

  it('matches a dynamic segment as one path segment', () => {
    expect(findApiRoute('/api/views/abc')?.path).toBe('/api/views/[id]');
    expect(findApiRoute('/api/views')?.path).toBe('/api/views');
    expect(findApiRoute('/api/views/abc/def')).toBeNull();
    expect(findApiRoute('/api/viewsx')).toBeNull();
  });
});
