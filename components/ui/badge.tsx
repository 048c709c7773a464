import type { ReactNode } from 'react';
import { statusClasses, type Status } from './status';

export function Badge({
  status,
  children,
  title,
  testId,
}: {
  status: Status;
  children: ReactNode;
  title?: string | undefined;
  testId?: string | undefined;
}) {
  return (
    <span
      title={title}
      data-testid={testId}
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusClasses[status]}`}
    >
      {children}
    </span>
  );
}
