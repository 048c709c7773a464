import type { SlowSpan } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { formatDurationUs, formatInstantUs } from '../ui/format';
import { statusClasses } from '../ui/status';

export interface SlowSpanRow {
  readonly span: SlowSpan;
  /** Built by lib/links on the server; null when the IDs were not valid hex. */
  readonly jaegerUrl: string | null;
}

const KEY_TAG_LIMIT = 4;
/** Tags that say nothing about this span in particular (instrumentation scope, the error flag shown beside). */
const NOISE = /^(otel\.scope\.|otel\.library\.|error$|span\.kind$|internal\.span\.format$)/;

/** Top spans by duration; each opens that exact span in Jaeger in a new tab. */
export function SlowestSpansTable({ rows, caption }: { rows: readonly SlowSpanRow[]; caption?: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No spans in this selection.</p>;
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full text-sm" data-testid={testIds.slowestTable}>
        {caption ? <caption className="px-2 py-1 text-left text-xs text-slate-500">{caption}</caption> : null}
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-2 text-right">
              Duration
            </th>
            <th scope="col" className="px-2 py-2">
              Start
            </th>
            <th scope="col" className="px-2 py-2">
              Service
            </th>
            <th scope="col" className="px-2 py-2">
              Operation
            </th>
            <th scope="col" className="px-2 py-2">
              Key tags
            </th>
            <th scope="col" className="px-2 py-2">
              Trace
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ span, jaegerUrl }) => {
            const tags = Object.entries(span.tags)
              .filter(([key]) => !NOISE.test(key))
              .slice(0, KEY_TAG_LIMIT);
            return (
              <tr
                key={`${span.traceId}:${span.spanId}`}
                data-testid={testIds.slowestRow}
                data-trace-id={span.traceId}
                data-span-id={span.spanId}
                className="border-t border-slate-100 dark:border-slate-800"
              >
                <td className="px-2 py-1.5 text-right font-medium tabular-nums">
                  {jaegerUrl ? (
                    <a
                      href={jaegerUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      className="text-sky-800 hover:underline dark:text-sky-300"
                      data-testid={testIds.slowestLink}
                      title="Open this span in Jaeger (new tab)"
                    >
                      {formatDurationUs(span.durationUs)}
                    </a>
                  ) : (
                    formatDurationUs(span.durationUs)
                  )}
                  {span.error ? <span className={`ml-1 rounded px-1 text-xs ring-1 ring-inset ${statusClasses.error}`}>error</span> : null}
                </td>
                <td className="px-2 py-1.5 whitespace-nowrap tabular-nums">{formatInstantUs(span.startUs)}</td>
                <td className="max-w-48 truncate px-2 py-1.5" title={span.service}>
                  {span.service}
                </td>
                <td className="max-w-xs truncate px-2 py-1.5" title={span.operation}>
                  {span.operation}
                </td>
                <td className="px-2 py-1.5">
                  <ul className="flex flex-wrap gap-1">
                    {tags.map(([key, value]) => (
                      <li
                        key={key}
                        className="max-w-48 truncate rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800"
                        title={`${key}=${value}`}
                      >
                        {key}={value}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="px-2 py-1.5 font-mono text-xs text-slate-500">…{span.traceId.slice(-16)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
