import type { ReactNode } from 'react';

/** A labelled control: the label is real (for= / wrapping), so every control has an accessible name. */
export function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      {children}
    </div>
  );
}

export const inputClass =
  'rounded-md border-0 bg-white px-2 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-sky-600 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700';
