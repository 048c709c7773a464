'use client';

import Link from 'next/link';
import { useState } from 'react';
import { testIds } from '@/lib/test-ids';
import { Button } from '../ui/button';
import { inputClass } from '../ui/field';

export interface SavedViewItem {
  readonly id: string;
  readonly name: string;
  /** Where the view opens: a path on this app (`/…`, never `//host`); null shows the name without a link. */
  readonly href: string | null;
}

/** A same-app path: `/` then anything but a second `/` or `\` (which browsers read as another host). */
function isSameAppHref(href: string | null): href is string {
  // Browsers also drop tabs and newlines from a URL, so `/\t/host` would be `//host`: no whitespace at all.
  return href !== null && /^\/(?![/\\])[^\s\\]*$/.test(href);
}

/** List, save, rename and delete saved views; the storage lives behind the views API. */
export function SavedViews({
  views,
  onSave,
  onRename,
  onDelete,
  busy,
  error,
}: {
  views: readonly SavedViewItem[];
  onSave: (name: string) => void;
  onRename: (id: string, name: string) => void;
  onDelete: (id: string) => void;
  busy: boolean;
  error: string | null;
}) {
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  return (
    <section aria-labelledby="saved-views-heading" className="space-y-2" data-testid={testIds.savedViews}>
      <h2 id="saved-views-heading" className="text-sm font-semibold">
        Saved views
      </h2>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() === '') return;
          onSave(name.trim());
          setName('');
        }}
      >
        <label htmlFor="save-view-name" className="sr-only">
          Name for this view
        </label>
        <input
          id="save-view-name"
          className={`${inputClass} min-w-0 flex-1`}
          placeholder="Name this view"
          value={name}
          maxLength={120}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" disabled={busy || name.trim() === ''}>
          Save view
        </Button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {views.length === 0 ? (
        <p className="text-sm text-slate-500">No saved views yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {views.map((view) => (
            <li key={view.id} className="flex items-center gap-2 py-1" data-testid={testIds.savedViewItem}>
              {editing?.id === view.id ? (
                <form
                  className="flex flex-1 gap-2"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (editing.name.trim() === '') return;
                    onRename(view.id, editing.name.trim());
                    setEditing(null);
                  }}
                >
                  <label htmlFor={`rename-${view.id}`} className="sr-only">
                    New name for {view.name}
                  </label>
                  <input
                    id={`rename-${view.id}`}
                    className={`${inputClass} min-w-0 flex-1`}
                    value={editing.name}
                    maxLength={120}
                    autoFocus
                    onChange={(event) => setEditing({ id: view.id, name: event.target.value })}
                  />
                  <Button type="submit" disabled={busy}>
                    Rename
                  </Button>
                  <Button variant="ghost" onClick={() => setEditing(null)}>
                    Cancel
                  </Button>
                </form>
              ) : (
                <>
                  {isSameAppHref(view.href) ? (
                    <Link href={view.href} className="flex-1 truncate text-sky-800 hover:underline dark:text-sky-300">
                      {view.name}
                    </Link>
                  ) : (
                    <span className="flex-1 truncate" title="This view names a page Spanlens does not have, so it opens nothing.">
                      {view.name}
                    </span>
                  )}
                  <Button variant="ghost" aria-label={`Rename ${view.name}`} onClick={() => setEditing({ id: view.id, name: view.name })}>
                    Rename
                  </Button>
                  <Button variant="ghost" aria-label={`Delete ${view.name}`} disabled={busy} onClick={() => onDelete(view.id)}>
                    Delete
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
