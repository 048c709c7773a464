'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { HeatmapSelection } from '@/components/charts/latency-heatmap';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DownloadButton } from '@/components/ui/download-button';
import { inputClass } from '@/components/ui/field';
import { formatCount, formatPercent } from '@/components/ui/format';
import { LoadingPanel } from '@/components/ui/state-panel';
import { useBubbleUp } from '@/lib/api-client/bubbleup';
import type { BubbleUpAttribute } from '@/lib/http/bubbleup-types';
import { formatCohort, parseCohort, type DashboardQuery } from '@/lib/query';
import { QueryError } from '../../_components/query-error';
import { useQueryNavigation } from '../../_components/use-query-navigation';

const ROWS_SHOWN = 25;
/** What `(none)` means in a row: the span lacks the key, which no tag filter can ask for. */
const MISSING_VALUE = '(none)';

/** The cohort a heatmap selection means: its duration rows and time buckets, both half-open as the cells are. */
function selectionCohort(selection: HeatmapSelection): string {
  return formatCohort([
    { kind: 'duration', fromUs: Math.ceil(selection.minDurationUs), toUs: Math.ceil(selection.maxDurationUs) },
    { kind: 'time', startUs: Math.floor(selection.startUs), endUs: Math.ceil(selection.endUs) },
  ]);
}

/** How far apart the two shares are: the "rank by difference" order. */
const difference = (attribute: BubbleUpAttribute) => Math.abs(attribute.cohortShare - attribute.baselineShare);

function formatP(p: number): string {
  if (p === 0) return '< 1e-300';
  return p < 0.001 ? p.toExponential(1) : p.toPrecision(2);
}

function ShareBar({ share, tone, label }: { share: number; tone: 'cohort' | 'baseline'; label: string }) {
  return (
    <div className="flex items-center gap-2" title={label}>
      <div className="h-2 w-24 rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
        <div className={`h-2 rounded ${tone === 'cohort' ? 'bg-amber-500' : 'bg-slate-400'}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span className="tabular-nums">{formatPercent(share)}</span>
    </div>
  );
}

/**
 * BubbleUp on the drill-down (issue 13): choose a cohort (the heatmap selection, errors, slower than
 * p90, or any cohort spec), kept in the URL as `cohort=` (page state, so every control keeps it); every tag value of the cohort's spans is
 * compared with the rest of the window, ranked most significant first. A value links to the view
 * filtered to it.
 */
export function BubbleUpPanel({ query, selection }: { query: DashboardQuery; selection: HeatmapSelection | null }) {
  const { update, hrefFor } = useQueryNavigation(query);
  const cohort = query.cohort ?? null;
  const [draft, setDraft] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [order, setOrder] = useState<'significance' | 'difference'>('significance');
  const bubbleUp = useBubbleUp(query, cohort);
  const spec = draft ?? cohort ?? '';
  const draftProblem = draft !== null && draft.trim() !== '' ? parseCohort(draft.trim()) : null;

  const setCohort = (next: string | null) => {
    setDraft(null);
    setShowAll(false);
    update({ cohort: next ?? undefined }, 'replace');
  };
  const filterHref = (attribute: BubbleUpAttribute) => {
    // The tag filter matches process tags by their bare key (lib/jaeger/span-rules.ts tagFilterMatches).
    const key = attribute.key.startsWith('process.') ? attribute.key.slice('process.'.length) : attribute.key;
    return hrefFor({ tags: { ...query.tags, [key]: attribute.value } });
  };
  const data = bubbleUp.data;
  const ranked =
    order === 'significance'
      ? (data?.attributes ?? [])
      : (data?.attributes ?? []).toSorted((x, y) => difference(y) - difference(x) || x.pValue - y.pValue);
  const rows = ranked.slice(0, showAll ? undefined : ROWS_SHOWN);

  return (
    <section aria-labelledby="bubbleup-heading" className="space-y-3 rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <div>
        <h2 id="bubbleup-heading" className="text-sm font-medium">
          BubbleUp: what the cohort has in common
        </h2>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Each tag value of the cohort’s spans against the rest of the window’s spans: a two-sided Fisher exact test per value, Holm–Bonferroni
          correction over every value tested; marked significant when the adjusted p-value is at most 0.05 (at most a 5% chance that anything marked
          is a fluke).
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Cohort">
        <Button variant={cohort === 'errors' ? 'primary' : 'secondary'} onClick={() => setCohort('errors')}>
          Errors
        </Button>
        <Button variant={cohort === 'slowerThan:p90' ? 'primary' : 'secondary'} onClick={() => setCohort('slowerThan:p90')}>
          Slower than p90
        </Button>
        <Button
          disabled={selection === null}
          title={selection === null ? 'Click or drag across cells of the heatmap first' : undefined}
          onClick={() => selection && setCohort(selectionCohort(selection))}
        >
          Heatmap selection
        </Button>
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (spec.trim() !== '' && typeof parseCohort(spec.trim()) !== 'string') setCohort(spec.trim());
          }}
        >
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            Cohort spec
            <input
              className={`${inputClass} w-96 font-mono`}
              value={spec}
              placeholder="minDuration:500ms · tag:region=eu-west · errors;maxDuration:2s"
              onChange={(event) => setDraft(event.target.value)}
              aria-invalid={typeof draftProblem === 'string'}
            />
          </label>
          <Button type="submit">Compare</Button>
        </form>
        {cohort !== null ? (
          <Button variant="ghost" onClick={() => setCohort(null)}>
            Clear
          </Button>
        ) : null}
      </div>
      {typeof draftProblem === 'string' ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {draftProblem}
        </p>
      ) : null}

      {cohort === null ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Choose a cohort to see which tag values set it apart.</p>
      ) : bubbleUp.isError ? (
        <QueryError error={bubbleUp.error} onRetry={() => void bubbleUp.refetch()} retrying={bubbleUp.isFetching} />
      ) : data === undefined ? (
        <LoadingPanel label="Comparing the cohort with the rest of the window…" />
      ) : (
        <div className="space-y-2">
          <p className="text-sm">
            Cohort <code className="font-mono text-xs">{data.cohort.resolved}</code>: {formatCount(data.cohortTotal)} spans; baseline (the rest):{' '}
            {formatCount(data.baselineTotal)} spans; {formatCount(data.comparisons)} values tested.
            {data.coverage.complete ? '' : ' Sampled window: the counts are of the traces fetched.'}
          </p>
          {data.attributes.length > 0 ? (
            <div className="flex items-end justify-between gap-2">
              <label className="flex items-center gap-2 text-xs font-medium text-slate-600 dark:text-slate-400">
                Order
                <select
                  className={inputClass}
                  value={order}
                  onChange={(event) => setOrder(event.target.value === 'difference' ? 'difference' : 'significance')}
                >
                  <option value="significance">most significant first</option>
                  <option value="difference">largest difference in share first</option>
                </select>
              </label>
              <DownloadButton api="/api/bubbleup" params={data.query} table="attributes" label="BubbleUp attributes" />
            </div>
          ) : null}
          {data.attributes.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {data.cohortTotal === 0 ? 'No counted span is in this cohort.' : 'The cohort’s spans carry no tags to compare.'}
            </p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" aria-label="BubbleUp attributes">
                <thead className="text-left text-xs text-slate-600 dark:text-slate-400">
                  <tr>
                    <th className="py-1 pr-3 font-medium">Tag value</th>
                    <th className="py-1 pr-3 font-medium">Cohort</th>
                    <th className="py-1 pr-3 font-medium">Baseline</th>
                    <th className="py-1 pr-3 text-right font-medium">p-value</th>
                    <th className="py-1 pr-3 text-right font-medium">Adjusted p (Holm)</th>
                    <th className="py-1 font-medium">Significant</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((attribute) => (
                    <tr key={`${attribute.key}\u0000${attribute.value}`} className="border-t border-slate-100 dark:border-slate-800">
                      <td className="max-w-md truncate py-1 pr-3" title={`${attribute.key}=${attribute.value}`}>
                        <span className="text-slate-600 dark:text-slate-400">{attribute.key}</span> ={' '}
                        {attribute.value === MISSING_VALUE ? (
                          <span className="italic">{MISSING_VALUE}</span>
                        ) : (
                          <Link
                            href={filterHref(attribute)}
                            className="text-sky-800 hover:underline dark:text-sky-300"
                            title={`Filter the view to ${attribute.key}=${attribute.value}`}
                          >
                            {attribute.value}
                          </Link>
                        )}
                      </td>
                      <td className="py-1 pr-3">
                        <ShareBar
                          share={attribute.cohortShare}
                          tone="cohort"
                          label={`${formatCount(attribute.cohortCount)} of ${formatCount(attribute.cohortTotal)}`}
                        />
                      </td>
                      <td className="py-1 pr-3">
                        <ShareBar
                          share={attribute.baselineShare}
                          tone="baseline"
                          label={`${formatCount(attribute.baselineCount)} of ${formatCount(attribute.baselineTotal)}`}
                        />
                      </td>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatP(attribute.pValue)}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatP(attribute.adjustedP)}</td>
                      <td className="py-1">
                        {attribute.significant ? (
                          <Badge status="sampled" title={`Adjusted p ${formatP(attribute.adjustedP)} ≤ 0.05`}>
                            significant
                          </Badge>
                        ) : (
                          <span className="text-xs text-slate-500">no</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {data.attributes.length > ROWS_SHOWN ? (
            <Button variant="ghost" onClick={() => setShowAll(!showAll)}>
              {showAll ? `Show the first ${ROWS_SHOWN}` : `Show all ${data.attributes.length}`}
            </Button>
          ) : null}
          {data.cappedKeys.length > 0 || data.skippedKeys.length > 0 || data.keysOverLimit ? (
            <ul className="list-disc pl-5 text-xs text-slate-600 dark:text-slate-400">
              {data.cappedKeys.map((key) => (
                <li key={`capped:${key.key}`}>
                  {key.key}: the {key.valuesShown} values with the largest share are tested, of {formatCount(key.distinctValues)}.
                </li>
              ))}
              {data.skippedKeys.map((key) => (
                <li key={`skipped:${key.key}`}>
                  {key.key} skipped: {key.reason}.
                </li>
              ))}
              {data.keysOverLimit ? <li>Some keys were not compared: too many keys, or keys too long.</li> : null}
            </ul>
          ) : null}
          <details className="text-xs text-slate-600 dark:text-slate-400">
            <summary className="cursor-pointer">How this is computed</summary>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              <li>{data.definitions.cohort}</li>
              <li>{data.definitions.test}</li>
              <li>{data.definitions.correction}</li>
              <li>{data.definitions.caps}</li>
              <li>{data.definitions.errorRule}</li>
            </ul>
          </details>
        </div>
      )}
    </section>
  );
}
