import Link from 'next/link';
import type { OperationEdgeResponse, OperationNode, ServiceEdgeResponse } from '@/lib/http/api-types';
import { formatDurationUs, formatPercent, formatRate } from '../ui/format';

export interface EdgeRow {
  readonly edge: ServiceEdgeResponse | OperationEdgeResponse;
  /** Where the caller's name links: its drill-down or overview (built by the page). */
  readonly href: string;
}

/** A client − server gap: negative when the server span outlasts the client's (clock skew, async). */
export const gapText = (us: number) => (us < 0 ? `−${formatDurationUs(-us)}` : formatDurationUs(us));

const nodeName = (node: string | OperationNode) => (typeof node === 'string' ? node : `${node.service} · ${node.operation}`);

/** The service map's edges as a table: calls, rate, the callee's error rate and p95, the client − server gap. */
export function EdgesTable({ rows }: { rows: readonly EdgeRow[] }) {
  return (
    <table aria-label="Edges" className="w-full text-sm">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th className="py-1">Caller</th>
          <th>Callee</th>
          <th className="text-right">Calls</th>
          <th className="text-right">Calls/s</th>
          <th className="text-right">Error rate</th>
          <th className="text-right">p95</th>
          <th className="text-right">Gap p50</th>
          <th className="text-right">Gap p95</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ edge, href }) => (
          <tr key={JSON.stringify([edge.parent, edge.child])} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1">
              <Link href={href} className="text-sky-800 hover:underline dark:text-sky-300">
                {nodeName(edge.parent)}
              </Link>
            </td>
            <td>
              {nodeName(edge.child)}
              {edge.peer ? <span className="ml-1 text-xs text-amber-700">(peer)</span> : null}
            </td>
            <td className="text-right tabular-nums">{edge.calls}</td>
            <td className="text-right tabular-nums">{formatRate(edge.callsPerSecond)}</td>
            <td className="text-right tabular-nums">{formatPercent(edge.errorRate)}</td>
            <td className="text-right tabular-nums">{formatDurationUs(edge.p95Us)}</td>
            <td className="text-right tabular-nums">{edge.gapP50Us === null ? '—' : gapText(edge.gapP50Us)}</td>
            <td className="text-right tabular-nums">{edge.gapP95Us === null ? '—' : gapText(edge.gapP95Us)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
