import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_PAGES, DYNAMIC_APP_PAGES, isAppPage } from './app-pages.ts';

const appDir = join(import.meta.dirname, '../../app');

/** Folders holding a page.tsx, as URL paths (route groups `(x)` dropped; private `_x` and api skipped). */
function pagePaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('_') || path === join(appDir, 'api') ? [] : pagePaths(path);
    if (entry.name !== 'page.tsx') return [];
    const segments = relative(appDir, dir)
      .split('/')
      .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment));
    return [`/${segments.join('/')}`];
  });
}

describe('APP_PAGES', () => {
  it('with DYNAMIC_APP_PAGES, is exactly the pages under app/', () => {
    expect([...APP_PAGES, ...DYNAMIC_APP_PAGES].sort()).toEqual(pagePaths(appDir).sort());
  });

  it.each([
    '/s/[id]',
    '/s/abc123',
    '//1572395042/phish',
    '/\\evil.example',
    'https://evil.example',
    '/operation/',
    '/Operation',
    '',
    '/operations',
    42,
  ])('refuses %j', (path) => {
    expect(isAppPage(path)).toBe(false);
  });
});
