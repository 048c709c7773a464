'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';

const pages = [
  { href: '/', label: 'Services' },
  { href: '/', label: 'Overview' },
  { href: '/errors', label: 'Errors' },
  { href: '/map', label: 'Map' },
  { href: '/llm', label: 'LLM' },
  { href: '/quality', label: 'Quality' },
  { href: '/upload', label: 'Upload' },
] as const;

/** Keeps the current query (service, window, source…) when moving between pages. */
function NavLinks() {
  const pathname = usePathname();
  const search = useSearchParams();
  const carried = new URLSearchParams();
  for (const key of ['service', 'lookback', 'start', 'end', 'source', 'refresh', 'tags', 'limit']) {
    for (const value of search.getAll(key)) carried.append(key, value);
  }
  const suffix = carried.size > 0 ? `?${carried.toString()}` : '';
  // The services home is `/` without a service: the same window and source, every service.
  carried.delete('service');
  const homeSuffix = carried.size > 0 ? `?${carried.toString()}` : '';
  const home = pathname === '/' && !search.has('service');
  return (
    <ul className="flex gap-1">
      {pages.map((page) => {
        const active =
          page.label === 'Services'
            ? home
            : page.href === '/'
              ? (pathname === '/' && !home) || pathname === '/operation'
              : pathname.startsWith(page.href);
        return (
          <li key={page.label}>
            <Link
              href={page.href === '/upload' ? page.href : `${page.href}${page.label === 'Services' ? homeSuffix : suffix}`}
              aria-current={active ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-slate-200 dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`}
            >
              {page.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function SiteNav() {
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <nav aria-label="Main" className="mx-auto flex max-w-screen-2xl items-center gap-6 px-4 py-2">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Spanlens
        </Link>
        <Suspense fallback={null}>
          <NavLinks />
        </Suspense>
      </nav>
    </header>
  );
}
