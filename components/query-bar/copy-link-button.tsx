'use client';

import { useState } from 'react';
import { testIds } from '@/lib/test-ids';
import { Button } from '../ui/button';

/**
 * Copies a link to this exact view. The page passes `buildUrl`, which pins a relative window to
 * absolute times first so the link shows the same data tomorrow.
 */
export function CopyLinkButton({ buildUrl }: { buildUrl: () => string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <Button
        onClick={async () => {
          const url = new URL(buildUrl(), window.location.origin).toString();
          setCopied(url);
          try {
            await navigator.clipboard.writeText(url);
            setFailed(false);
          } catch {
            // Clipboard access needs a secure context and focus; the link stays selectable below.
            setFailed(true);
          }
        }}
      >
        Copy link
      </Button>
      {copied ? (
        <span className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300" role="status">
          {failed ? 'Copy this link:' : 'Copied:'}
          <input
            readOnly
            aria-label="Link to this view"
            className="w-64 rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800"
            value={copied}
            data-testid={testIds.copiedLink}
            onFocus={(event) => event.target.select()}
          />
        </span>
      ) : null}
    </div>
  );
}
