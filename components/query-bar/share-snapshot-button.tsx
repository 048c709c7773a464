'use client';

import { useState } from 'react';
import { Button } from '../ui/button';

/**
 * "Share snapshot": freezes the numbers on screen (the server computes and stores them) and shows the
 * frozen link, `/s/{id}`, which keeps showing them after Jaeger has forgotten the traces. "Copy link"
 * beside it is the live link: the same query, read from Jaeger again whenever it is opened.
 */
export function ShareSnapshotButton({ share }: { share: () => Promise<string> }) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; url: string } | { kind: 'failed'; message: string }>({
    kind: 'idle',
  });
  return (
    <div className="flex items-center gap-2">
      <Button
        disabled={state.kind === 'busy'}
        title="Store these numbers as they are now, and get a link that shows them even after Jaeger has forgotten the traces"
        onClick={async () => {
          setState({ kind: 'busy' });
          let url: string;
          try {
            url = new URL(await share(), window.location.origin).toString();
          } catch (error) {
            setState({ kind: 'failed', message: error instanceof Error ? error.message : 'The snapshot could not be stored.' });
            return;
          }
          setState({ kind: 'done', url });
          // The clipboard needs a secure context and focus (it is undefined over plain http): the link stays selectable.
          await navigator.clipboard?.writeText(url).catch(() => {});
        }}
      >
        {state.kind === 'busy' ? 'Freezing…' : 'Share snapshot'}
      </Button>
      {state.kind === 'done' ? (
        <span className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300" role="status">
          Frozen link:
          <input
            readOnly
            aria-label="Frozen link to these numbers"
            className="w-56 rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800"
            value={state.url}
            onFocus={(event) => event.target.select()}
          />
          <a href={state.url} className="text-sky-800 hover:underline dark:text-sky-300">
            Open
          </a>
        </span>
      ) : state.kind === 'failed' ? (
        <span role="alert" className="max-w-xs text-xs text-red-700 dark:text-red-300">
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
