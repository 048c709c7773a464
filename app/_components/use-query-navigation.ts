'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { patchedQuerySearch, type DashboardQuery, type DashboardQueryPatch } from '@/lib/query';

/**
 * The URL is the state (design §5): every control calls this, which writes the new query into the
 * URL; the server page re-parses it and renders the view. `push` adds a history entry (navigation
 * between views); `replace` does not (tweaking a control).
 */
export function useQueryNavigation(query: DashboardQuery) {
  const router = useRouter();
  const pathname = usePathname();
  const hrefFor = useCallback(
    (patch: DashboardQueryPatch, path: string = pathname) => {
      // Never throws: a link built from data that breaks a rule opens a page that says so.
      const search = patchedQuerySearch(query, patch);
      return search === '' ? path : `${path}?${search}`;
    },
    [query, pathname],
  );
  const update = useCallback(
    (patch: DashboardQueryPatch, mode: 'push' | 'replace' = 'push') => {
      const href = hrefFor(patch);
      if (mode === 'push') router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [hrefFor, router],
  );
  return { update, hrefFor };
}
