import type { ReactNode } from 'react';
import type { MetricsResponseWith } from '@/lib/http/api-types';
import { formatCount, formatDurationUs, formatPercent } from '../ui/format';

type TimeResult = MetricsResponseWith<'selfTime' | 'criticalPath'>;

/** A duration cell: human units shown, the exact µs on hover (and for tests that compare exact numbers). */
function Us({ us, signed = false }: { us: number; signed?: boolean }) {
  const sign = signed ? (us < 0 ? '−' : '+') : '';
  return (
    <td className="px-2 py-1 text-right tabular-nums" title={`${us} µs`}>
      {sign}
      {formatDurationUs(Math.abs(us))}
    </td>
  );
}

function Num({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <td className="px-2 py-1 text-right tabular-nums" title={title}>
      {children}
    </td>
  );
}

function Table({ label, headers, children }: { label: string; headers: readonly string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full text-sm" aria-label={label}>
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400">
          <tr>
            {headers.map((header, i) => (
              <th key={header} scope="col" className={`px-2 py-2 ${i < 2 ? '' : 'text-right'}`}>
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function NameCells({ service, operation }: { service: string; operation: string }) {
  return (
    <>
      <td className="px-2 py-1">{service}</td>
      <td className="max-w-xs truncate px-2 py-1" title={operation}>
        {operation}
      </td>
    </>
  );
}

const rowClass = 'border-t border-slate-100 dark:border-slate-800';

/** jaeger-ui's critical path summed per operation over the traces of the query. */
export function CriticalPathTable({ criticalPath, limit }: { criticalPath: TimeResult['criticalPath']; limit: number }) {
  return (
    <Table label="Critical path by operation" headers={['Service', 'Operation', 'Critical path', 'Avg share of trace', 'Traces', 'Spans']}>
      {criticalPath.operations.slice(0, limit).map((row) => (
        <tr key={`${row.service}\u0000${row.operation}`} className={rowClass}>
          <NameCells service={row.service} operation={row.operation} />
          <Us us={row.totalCriticalUs} />
          <Num title={String(row.averageShare)}>{formatPercent(row.averageShare)}</Num>
          <Num>{formatCount(row.traces)}</Num>
          <Num>{formatCount(row.spans)}</Num>
        </tr>
      ))}
    </Table>
  );
}

/** Self time of the counted spans per operation. */
export function SelfTimeTable({ selfTime, limit }: { selfTime: TimeResult['selfTime']; limit: number }) {
  return (
    <Table label="Self time by operation" headers={['Service', 'Operation', 'Self time', 'Share of trace time', 'p95 self', 'Spans']}>
      {selfTime.slice(0, limit).map((row) => (
        <tr key={`${row.service}\u0000${row.operation}`} className={rowClass}>
          <NameCells service={row.service} operation={row.operation} />
          <Us us={row.totalSelfUs} />
          <Num title={String(row.shareOfTraceTime)}>{formatPercent(row.shareOfTraceTime)}</Num>
          <Us us={row.p95SelfUs} />
          <Num>{formatCount(row.count)}</Num>
        </tr>
      ))}
    </Table>
  );
}

/** Which operations' critical-path time grows most from the fast traces to the slow ones. */
export function SlowFastTable({ split, limit }: { split: NonNullable<TimeResult['criticalPath']['slowVsFast']>; limit: number }) {
  if (split.operations.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        Nothing to compare: {formatCount(split.slowTraces)} traces are above the entry p90 and {formatCount(split.fastTraces)} below its p50 (both
        cohorts need a trace; about ten traces or more).
      </p>
    );
  }
  return (
    <Table
      label="Slow vs fast traces"
      headers={['Service', 'Operation', 'Growth per trace', 'Slow traces: mean', 'Fast traces: mean', 'In slow', 'In fast']}
    >
      {split.operations.slice(0, limit).map((row) => (
        <tr key={`${row.service}\u0000${row.operation}`} className={rowClass}>
          <NameCells service={row.service} operation={row.operation} />
          <Us us={row.growthUs} signed />
          <Us us={row.slowMeanUs} />
          <Us us={row.fastMeanUs} />
          <Num>{`${formatCount(row.slowTraces)} / ${formatCount(split.slowTraces)}`}</Num>
          <Num>{`${formatCount(row.fastTraces)} / ${formatCount(split.fastTraces)}`}</Num>
        </tr>
      ))}
    </Table>
  );
}
