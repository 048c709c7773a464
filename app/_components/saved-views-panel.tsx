'use client';

import { usePathname } from 'next/navigation';
import { SavedViews } from '@/components/query-bar/saved-views';
import { useCreateView, useDeleteView, useRenameView, useViews } from '@/lib/api-client';
import { isAppPage } from '@/lib/http/app-pages';
import { serializeDashboardQuery, type DashboardQuery } from '@/lib/query';

/** Saved views behind the views API; saving keeps the window as the user sees it (relative stays relative). */
export function SavedViewsPanel({ query }: { query: DashboardQuery }) {
  const pathname = usePathname();
  const views = useViews();
  const create = useCreateView();
  const rename = useRenameView();
  const remove = useDeleteView();
  const failure = views.error ?? create.error ?? rename.error ?? remove.error;
  return (
    <details className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <summary className="cursor-pointer text-sm font-medium">Saved views{views.data ? ` (${views.data.views.length})` : ''}</summary>
      <div className="mt-2">
        <SavedViews
          views={(views.data?.views ?? []).map((view) => ({
            id: view.id,
            name: view.name,
            // Only to one of the app's pages: a row stored before paths were checked may name another host.
            href: isAppPage(view.path) ? (view.query === '' ? view.path : `${view.path}?${view.query}`) : null,
          }))}
          busy={create.isPending || rename.isPending || remove.isPending}
          error={failure ? failure.message : null}
          onSave={(name) => create.mutate({ name, query: serializeDashboardQuery(query), path: isAppPage(pathname) ? pathname : '/' })}
          onRename={(id, name) => rename.mutate({ id, name })}
          onDelete={(id) => remove.mutate(id)}
        />
      </div>
    </details>
  );
}
