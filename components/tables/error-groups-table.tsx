import type { ErrorGroup } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { formatCount } from '../ui/format';
import { TruncatedCell } from './truncated-cell';

export interface ErrorGroupRow {
  readonly group: ErrorGroup;
  /** Example spans with their Jaeger links (built by lib/links); null href when not linkable. */
  readonly examples: readonly { readonly traceId: string; readonly spanId: string; readonly href: string | null }[];
}

/** Error spans grouped by operation and error type/message, each with example traces. */
export function ErrorGroupsTable({ rows }: { rows: readonly ErrorGroupRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full text-sm" data-testid={testIds.errorGroupsTable}>
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-2">
              Service
            </th>
            <th scope="col" className="px-2 py-2">
              Operation
            </th>
            <th scope="col" className="px-2 py-2">
              Error type / message
            </th>
            <th scope="col" className="px-2 py-2 text-right">
              Count
            </th>
            <th scope="col" className="px-2 py-2">
              Example traces
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ group, examples }) => (
            <tr
              key={`${group.service}\u0000${group.operation}\u0000${group.errorType}`}
              className="border-t border-slate-100 align-top dark:border-slate-800"
              data-testid={testIds.errorGroupRow}
            >
              <TruncatedCell text={group.service} width="max-w-48" />
              <TruncatedCell text={group.operation} width="max-w-xs" />
              <td className="max-w-md px-2 py-1.5 break-words" title={group.errorType}>
                <span className="line-clamp-3">{group.errorType}</span>
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{formatCount(group.count)}</td>
              <td className="px-2 py-1.5">
                <ul className="flex flex-wrap gap-2">
                  {examples.map((example) => (
                    <li key={`${example.traceId}:${example.spanId}`}>
                      {example.href ? (
                        <a
                          href={example.href}
                          target="_blank"
                          rel="noopener noreferrer"
                          className="font-mono text-xs text-sky-800 hover:underline dark:text-sky-300"
                          title="Open this span in Jaeger (new tab)"
                        >
                          …{example.traceId.slice(-16)}
                        </a>
                      ) : (
                        <span className="font-mono text-xs">…{example.traceId.slice(-16)}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
