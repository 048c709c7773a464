'use client';

import { ErrorPanel } from '@/components/ui/state-panel';

/** Last line of defence: a render error in this segment shows its message and a retry. */
export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="This page failed to render"
      message={error.digest ? `${error.message} (server log reference ${error.digest})` : error.message}
      hint="Retry; if it keeps failing, the server log has the details."
      onRetry={reset}
    />
  );
}
