import type { ReactNode } from 'react';
import { Button } from './button';
import { statusClasses } from './status';

/** Error, empty and loading states that say what happened and what to do next. */
export function ErrorPanel({
  title,
  message,
  hint,
  onRetry,
  retrying = false,
  testId,
}: {
  title: string;
  message: string;
  hint?: ReactNode;
  onRetry?: (() => void) | undefined;
  retrying?: boolean;
  testId?: string | undefined;
}) {
  return (
    <div role="alert" data-testid={testId} className={`rounded-lg p-4 ring-1 ring-inset ${statusClasses.error}`}>
      <p className="font-semibold">{title}</p>
      <p className="mt-1 text-sm break-words">{message}</p>
      {hint ? <div className="mt-2 text-sm">{hint}</div> : null}
      {onRetry ? (
        <Button className="mt-3" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </Button>
      ) : null}
    </div>
  );
}

export function EmptyPanel({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div
      data-testid={testId}
      className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300"
    >
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 text-sm">{children}</div> : null}
    </div>
  );
}

export function LoadingPanel({ label = 'Loading…', detail }: { label?: string; detail?: ReactNode }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 p-6 text-slate-600 dark:text-slate-300">
      <span className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-sky-600" aria-hidden />
      <span>{label}</span>
      {detail ? <span className="text-sm text-slate-500">{detail}</span> : null}
    </div>
  );
}
