import type { SlowSpan } from '@/lib/metrics/types';
import { testIds } from '@/lib/test-ids';
import { formatDurationUs, formatInstantUs } from '../ui/format';
import { statusClasses } from '../ui/status';
import { TruncatedCell } from './truncated-cell';

export interface SlowSpanRow {
  readonly span: SlowSpan;
  /** Built by lib/links on the server; null when the IDs were not valid hex. */
  readonly jaegerUrl: string | null;
}

const KEY_TAG_LIMIT = 4;
/** Tags that say nothing about this span in particular (instrumentation scope, the error flag shown beside). */
const NOISE = /^(otel\.scope\.|otel\.library\.|error$|span\.kind$|internal\.span\.format$)/;
/** The tags that usually tell slow spans apart, best first; other differing keys follow, A→Z. */
const PREFERRED = [
  'error.type',
  'exception.type',
  'http.response.status_code',
  'http.status_code',
  'rpc.grpc.status_code',
  'otel.status_code',
  'http.route',
  'url.path',
  'http.target',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'db.operation.name',
  'db.operation',
  'db.system',
  'peer.service',
  'server.address',
];

/**
 * The tag keys worth a column of chips for these rows: keys whose value (or absence) differs between
 * rows, ranked by PREFERRED and then A→Z, at most KEY_TAG_LIMIT. A key with the same value on every
 * row (`client.address`, `http.request.method` of one operation) says nothing, so it is skipped;
 * with a single row nothing can differ, so its keys are all candidates.
 */
export function keyTagKeys(spans: readonly Pick<SlowSpan, 'tags'>[]): string[] {
  const keys = new Set(spans.flatMap((span) => Object.keys(span.tags)).filter((key) => !NOISE.test(key)));
  const differs = (key: string) => new Set(spans.map((span) => (Object.hasOwn(span.tags, key) ? `=${span.tags[key]}` : ''))).size > 1;
  const rank = (key: string) => {
    const at = PREFERRED.indexOf(key);
    return at === -1 ? PREFERRED.length : at;
  };
  return [...keys]
    .filter((key) => spans.length <= 1 || differs(key))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, KEY_TAG_LIMIT);
}

/** Top spans by duration; each opens that exact span in Jaeger in a new tab. */
export function SlowestSpansTable({ rows, caption }: { rows: readonly SlowSpanRow[]; caption?: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No spans in this selection.</p>;
  const keys = keyTagKeys(rows.map((row) => row.span));
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
            <th scope="col" className="px-2 py-2" title="Tags whose values differ between these rows">
              Key tags
            </th>
            <th scope="col" className="px-2 py-2">
              Trace
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ span, jaegerUrl }) => {
            const tags = keys.flatMap((key) => (Object.hasOwn(span.tags, key) ? [[key, span.tags[key]] as const] : []));
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
                <TruncatedCell text={span.service} width="max-w-48" />
                <TruncatedCell text={span.operation} width="max-w-xs" />
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
