'use client';

import { ErrorPanel } from '@/components/ui/state-panel';
import { testIds } from '@/lib/test-ids';

interface ErrorLike {
  readonly message: string;
  readonly code?: string | undefined;
}

function hintFor(code: string | undefined) {
  switch (code) {
    case 'jaeger_unavailable':
      return 'Start Jaeger (npm run jaeger:up), or check that JAEGER_URL points at its query port (16686 by default); then retry.';
    case 'jaeger_timeout':
      return 'Jaeger took too long: try a shorter window or a lower limit, then retry.';
    case 'jaeger_http_error':
    case 'jaeger_bad_response':
      return 'Jaeger answered, but not with something Spanlens can read: check JAEGER_URL (and JAEGER_API) point at a Jaeger query service.';
    case 'jaeger_response_too_large':
      return 'Narrow the window or lower the limit.';
    case 'invalid_query':
      return 'Fix the highlighted setting (or open the overview with its defaults).';
    default:
      return 'Retry; if it keeps failing, the server log has the details.';
  }
}

/** Any failed request: what went wrong (the server's own sentence), what to do, and a Retry button. */
export function QueryError({ error, onRetry, retrying }: { error: ErrorLike; onRetry: () => void; retrying: boolean }) {
  const title = error.code?.startsWith('jaeger_') ? 'Could not get traces from Jaeger' : 'Could not load this view';
  return (
    <ErrorPanel testId={testIds.errorBanner} title={title} message={error.message} hint={hintFor(error.code)} onRetry={onRetry} retrying={retrying} />
  );
}
