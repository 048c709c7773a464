import type { ReactNode } from 'react';
import type { LlmMismatchResponse, LlmModelResponse, LlmPriceInfo, LlmSpenderResponse } from '@/lib/http/api-types';
import { formatCount, formatDurationUs, formatInstantUs, formatUsd } from '../ui/format';
import { TruncatedCell } from './truncated-cell';

const th = 'px-2 py-2';
const num = 'px-2 py-1.5 text-right tabular-nums';
const headClass = 'bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-900 dark:text-slate-400';
const rowClass = 'border-t border-slate-100 align-top dark:border-slate-800';

function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
      <table aria-label={label} className="w-full text-sm">
        {children}
      </table>
    </div>
  );
}

/** Plain column headers, right-aligned over numeric columns. */
function HeaderCells({ names, numeric = false }: { names: readonly string[]; numeric?: boolean }) {
  return names.map((name) => (
    <th key={name} scope="col" className={numeric ? `${th} text-right` : th}>
      {name}
    </th>
  ));
}

function priceTitle(price: LlmPriceInfo): string {
  const cached = price.cachedInputPerMTok === null ? 'cached input at the input price' : `cached $${price.cachedInputPerMTok}`;
  const origin =
    price.origin === 'file' ? 'from SPANLENS_PRICES' : `bundled list price as of ${price.asOf ?? '?'} (${price.source ?? 'no source'}), check it`;
  return `Priced as ${price.entry}: $${price.inputPerMTok} in, $${price.outputPerMTok} out, ${cached} per million tokens; ${origin}`;
}

/** A computed cost, or "no price" (never 0) when the table has none for the model. */
function CostCell({ costUsd, price }: { costUsd: number | null; price: LlmPriceInfo | null }) {
  if (costUsd === null || price === null) {
    return (
      <td className={`${num} text-amber-700 dark:text-amber-300`} title="No price for this model: left out of every total">
        no price
      </td>
    );
  }
  return (
    <td className={num} title={`$${costUsd} — ${priceTitle(price)}`}>
      {formatUsd(costUsd)}
      {price.origin === 'bundled' ? <span className="ml-1 text-xs text-slate-500">list</span> : null}
    </td>
  );
}

function carried(costUsd: number | null, calls: number, of: number): string {
  if (costUsd === null) return '—';
  return calls === of ? formatUsd(costUsd) : `${formatUsd(costUsd)} (${formatCount(calls)} of ${formatCount(of)} calls)`;
}

/** Per model: calls, errors by type, exact latency percentiles, tokens, throughput, computed and carried cost. */
export function LlmModelsTable({ rows }: { rows: readonly LlmModelResponse[] }) {
  return (
    <TableFrame label="Models">
      <thead className={headClass}>
        <tr>
          <HeaderCells names={['Model', 'Provider']} />
          <HeaderCells
            names={['Calls', 'Errors', 'p50', 'p95', 'p99', 'Input tok', 'Output tok', 'Total tok', 'Cached in', 'Out tok/s', 'Cost', 'Carried cost']}
            numeric
          />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.model}\u0000${row.provider ?? ''}`} className={rowClass}>
            <th scope="row" className="max-w-64 px-2 py-1.5 text-left font-medium break-words">
              {row.model}
            </th>
            <td className="px-2 py-1.5 text-slate-600 dark:text-slate-400">{row.provider ?? '—'}</td>
            <td className={num}>{formatCount(row.calls)}</td>
            <td className={num}>
              <span>{formatCount(row.errorCount)}</span>
              {row.errorsByType.length > 0 ? (
                <ul className="text-xs text-slate-500">
                  {row.errorsByType.map((e) => (
                    <li key={e.errorType} className="max-w-48 truncate" title={e.errorType}>
                      {e.errorType}: {formatCount(e.count)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </td>
            <td className={num}>{formatDurationUs(row.p50Us)}</td>
            <td className={num}>{formatDurationUs(row.p95Us)}</td>
            <td className={num}>{formatDurationUs(row.p99Us)}</td>
            <td className={num}>{formatCount(row.inputTokens)}</td>
            <td className={num}>{formatCount(row.outputTokens)}</td>
            <td className={num}>{formatCount(row.totalTokens)}</td>
            <td className={num}>{formatCount(row.cachedInputTokens)}</td>
            <td className={num}>{row.outputTokensPerSecond === null ? '—' : row.outputTokensPerSecond.toFixed(1)}</td>
            <CostCell costUsd={row.costUsd} price={row.price} />
            <td className={num} title="What the spans say they cost (gen_ai.usage.cost, llm.cost.total)">
              {carried(row.carriedCostUsd, row.carriedCostCalls, row.calls)}
            </td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

/** Who spends: one row per group of the groupBy keys, its models and priced cost, unpriced calls counted apart. */
export function LlmSpendersTable({ groupBy, rows }: { groupBy: readonly string[]; rows: readonly LlmSpenderResponse[] }) {
  return (
    <TableFrame label="Who spends">
      <thead className={headClass}>
        <tr>
          {groupBy.map((key) => (
            <th key={key} scope="col" className={th}>
              {key.startsWith('tag:') ? key.slice('tag:'.length) : key}
            </th>
          ))}
          <HeaderCells names={['Calls', 'Errors', 'Total tok', 'Cost', 'Unpriced calls']} numeric />
          <HeaderCells names={['Models']} />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.values.join('\u0000')} className={rowClass}>
            {row.values.map((value, i) => (
              <th key={groupBy[i] ?? i} scope="row" className="max-w-64 truncate px-2 py-1.5 text-left font-medium" title={value}>
                {value}
              </th>
            ))}
            <td className={num}>{formatCount(row.calls)}</td>
            <td className={num}>{formatCount(row.errorCount)}</td>
            <td className={num}>{formatCount(row.totalTokens)}</td>
            <td className={num} title={row.costUsd === null ? 'No priced call' : `$${row.costUsd}`}>
              {row.costUsd === null ? 'no price' : formatUsd(row.costUsd)}
            </td>
            <td className={num}>{formatCount(row.unpricedCalls)}</td>
            <td className="px-2 py-1.5 text-xs text-slate-600 dark:text-slate-400">
              {row.models.map((m) => `${m.model} ×${formatCount(m.calls)}`).join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

/** Calls answered by another model than the one asked for, each linked to its span in Jaeger. */
export function LlmMismatchesTable({ rows }: { rows: readonly LlmMismatchResponse[] }) {
  return (
    <TableFrame label="Model mismatches">
      <thead className={headClass}>
        <tr>
          <HeaderCells names={['Start', 'Service', 'Operation', 'Requested', 'Answered by', 'Span']} />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.traceId}:${row.spanId}`} className={rowClass}>
            <td className="px-2 py-1.5 whitespace-nowrap tabular-nums">{formatInstantUs(row.startUs)}</td>
            <TruncatedCell text={row.service} width="max-w-40" />
            <TruncatedCell text={row.operation} width="max-w-48" />
            <td className="px-2 py-1.5 break-words">{row.requestModel}</td>
            <td className="px-2 py-1.5 break-words">{row.responseModel}</td>
            <td className="px-2 py-1.5 font-mono text-xs">
              {row.jaegerUrl ? (
                <a href={row.jaegerUrl} target="_blank" rel="noopener noreferrer" className="text-sky-800 hover:underline dark:text-sky-300">
                  {row.spanId}
                </a>
              ) : (
                <span title="No Jaeger UI for this source">{row.spanId}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}
