'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { formatCount } from '@/components/ui/format';
import { ErrorPanel } from '@/components/ui/state-panel';
import { useUploadTraces } from '@/lib/api-client';
import type { UploadInfo } from '@/lib/http/api-types';
import { serializeDashboardQuery, updateDashboardQuery, DEFAULT_QUERY } from '@/lib/query';

/** The overview over an uploaded file: its own source, its first service, and exactly its time span. */
function overviewHref(upload: UploadInfo): string {
  const query = updateDashboardQuery(DEFAULT_QUERY, {
    source: upload.source,
    service: upload.services[0],
    ...(upload.startUs !== null &&
      upload.endUs !== null && {
        window: { kind: 'absolute', startUs: upload.startUs, endUs: upload.endUs + 1 },
      }),
  });
  return `/?${serializeDashboardQuery(query)}`;
}

/** Analyse a Jaeger JSON export (the UI's "Download JSON", or /api/traces or /api/v3 output) with the same dashboard. */
export function UploadView() {
  const router = useRouter();
  const upload = useUploadTraces();
  const [file, setFile] = useState<File | null>(null);
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Analyse a Jaeger export</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Load a JSON file exported from Jaeger (a trace&apos;s &quot;Download JSON&quot;, or the answer of /api/traces or /api/v3). Spanlens shows the
        same dashboard over it; the file stays in this server&apos;s memory until it restarts.
      </p>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (file)
            upload.mutate(file, {
              onSuccess: ({ upload: info }) => router.push(overviewHref(info)),
            });
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="upload-file" className="text-xs font-medium text-slate-600 dark:text-slate-400">
            Jaeger JSON file
          </label>
          <input
            id="upload-file"
            type="file"
            accept="application/json,.json"
            className="text-sm"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <Button type="submit" variant="primary" disabled={file === null || upload.isPending}>
          {upload.isPending ? 'Reading…' : 'Analyse'}
        </Button>
      </form>
      {upload.isError ? (
        <ErrorPanel title="Could not read that file" message={upload.error.message} hint="Export the traces from Jaeger as JSON and try again." />
      ) : null}
      {upload.data ? (
        <p className="text-sm" role="status">
          Read {formatCount(upload.data.upload.traces)} traces, {formatCount(upload.data.upload.spans)} spans from {upload.data.upload.fileName}.
        </p>
      ) : null}
    </div>
  );
}
