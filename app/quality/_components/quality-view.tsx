'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { BucketHistogram } from '@/components/charts/bucket-histogram';
import { CoverageBadge } from '@/components/coverage-badge';
import { ModeLabel } from '@/components/mode-label';
import { OptionalServicePicker } from '@/components/query-bar/service-picker';
import { WindowPicker } from '@/components/query-bar/window-picker';
import { DownloadButton } from '@/components/ui/download-button';
import { formatCount, formatPercent } from '@/components/ui/format';
import { EmptyPanel, LoadingPanel } from '@/components/ui/state-panel';
import { useServices } from '@/lib/api-client';
import { useQuality } from '@/lib/api-client/quality';
import type { LinkedQualityExample, QualityResponse } from '@/lib/http/api-types';
import { serializeQuery, type QualityQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { QueryError } from '../../_components/query-error';

type Patch = { readonly [K in keyof QualityQuery]?: QualityQuery[K] | undefined };
type Distribution = QualityResponse['spansPerTrace'];
type Unlocated = QualityResponse['propagation']['unlocated'][number];

function qualityHref(query: QualityQuery, patch: Patch): string {
  const next = { ...query, ...patch } as QualityQuery & { service?: string };
  if (next.service === undefined) delete next.service;
  const search = serializeQuery(next);
  return search === '' ? '/quality' : `/quality?${search}`;
}

/** A service's overview with the page's window and source. */
const overviewHref = (query: QualityQuery, service: string) => `/?${serializeQuery({ service, window: query.window, source: query.source })}`;

const linkClass = 'text-sky-800 hover:underline dark:text-sky-300';

/**
 * Example traces, each opening its span in Jaeger (plain IDs where no Jaeger holds them: demo). Shown by the
 * trace ID's end: IDs of one producer often share their start (a run or host prefix).
 */
function Examples({ examples, label }: { examples: readonly LinkedQualityExample[]; label: string }) {
  if (examples.length === 0) return <span className="text-slate-500">—</span>;
  return (
    <span className="inline-flex flex-wrap gap-x-2 font-mono text-xs">
      {examples.map((example) =>
        example.jaegerUrl === null ? (
          <span key={`${example.traceId}/${example.spanId}`} title={`trace ${example.traceId}, span ${example.spanId}`}>
            …{example.traceId.slice(-8)}
          </span>
        ) : (
          <a
            key={`${example.traceId}/${example.spanId}`}
            href={example.jaegerUrl}
            target="_blank"
            rel="noreferrer"
            className={linkClass}
            aria-label={`${label}: open trace ${example.traceId} in Jaeger`}
          >
            …{example.traceId.slice(-8)}
          </a>
        ),
      )}
    </span>
  );
}

function Tile({ name, value, hint }: { name: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 p-3 dark:bg-slate-900" title={hint}>
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{name}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

function Section({ title, children, help }: { title: string; children: ReactNode; help?: string }) {
  return (
    <section aria-label={title} className="space-y-2">
      <h2 className="text-lg font-semibold" title={help}>
        {title}
      </h2>
      {children}
    </section>
  );
}

const bucketLabel = (bucket: Distribution['buckets'][number]) =>
  bucket.to === null ? `${bucket.from}+` : bucket.to === bucket.from ? String(bucket.from) : `${bucket.from}–${bucket.to}`;

function DistributionChart({ title, unit, distribution }: { title: string; unit: string; distribution: Distribution }) {
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <h3 className="text-sm font-semibold">{title}</h3>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        p50 {formatCount(distribution.p50)} · p95 {formatCount(distribution.p95)} · max {formatCount(distribution.max)}
      </p>
      <BucketHistogram
        title={title}
        unit={unit}
        bars={distribution.buckets.map((bucket) => ({ label: bucketLabel(bucket), count: bucket.traces }))}
      />
    </div>
  );
}

function unlocatedText(row: Unlocated): string {
  const callers = row.expectedCallers.join(', ');
  if (row.reason === 'caller_absent')
    return `${formatCount(row.spans)} spans lost their parent; their caller${row.expectedCallers.length === 1 ? '' : 's'} ${callers} ha${row.expectedCallers.length === 1 ? 's' : 've'} no span in those traces`;
  if (row.reason === 'new_trace')
    return `${formatCount(row.spans)} server spans started a new trace, though ${callers} call${row.expectedCallers.length === 1 ? 's' : ''} them with context elsewhere`;
  return `${formatCount(row.spans)} spans lost their parent; no service is seen calling them with context`;
}

function QualityBody({ query, data }: { query: QualityQuery; data: QualityResponse }) {
  const { totals, propagation } = data;
  return (
    <>
      <dl aria-label="Summary" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Tile name="Traces" value={formatCount(data.traces)} hint={`${formatCount(totals.spans)} spans`} />
        <Tile name="Traces without root" value={formatCount(totals.tracesWithoutRoot)} hint={data.definitions.rootless} />
        <Tile name="Orphan spans" value={formatCount(totals.orphanSpans)} hint={data.definitions.orphan} />
        <Tile name="Calls that lost context" value={formatCount(totals.lostCalls)} hint={data.definitions.propagationBreak} />
        <Tile name="Clock-skewed spans" value={formatCount(totals.clockSkewSpans)} hint={data.definitions.clockSkew} />
        <Tile name="Duplicate span IDs" value={formatCount(totals.duplicateSpanIds)} hint={data.definitions.duplicate} />
      </dl>

      <Section title="Where propagation breaks" help={data.definitions.propagationBreak}>
        {propagation.breaks.length === 0 && propagation.unlocated.length === 0 ? (
          <EmptyPanel title="No lost context in this window">Every span with a parent found it, and no call went unanswered.</EmptyPanel>
        ) : (
          <ul aria-label="Propagation breaks" className="space-y-2">
            {propagation.breaks.map((row) => (
              <li key={`${row.caller}\u0000${row.callee}`} className="rounded-lg border border-red-200 p-3 dark:border-red-900">
                <p className="font-medium">
                  {row.caller} → {row.callee} loses context in {formatCount(row.lost)} of {formatCount(row.calls)} calls
                </p>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  {formatCount(row.orphanedCalls)} {row.callee} spans with a missing parent · {formatCount(row.unansweredCalls)} {row.caller} calls
                  with no child · {formatCount(row.linked)} calls arrived
                  {row.calleeOperations.length > 0 ? ` · ${row.calleeOperations.join(', ')}` : ''}
                </p>
                <p className="text-xs">
                  Examples: <Examples examples={row.examples} label={`${row.caller} → ${row.callee}`} />
                </p>
              </li>
            ))}
            {propagation.unlocated.map((row) => (
              <li
                key={`${row.service}\u0000${row.operation}\u0000${row.reason}`}
                className="rounded-lg border border-amber-200 p-3 dark:border-amber-900"
              >
                <p className="font-medium">
                  {row.service} · {row.operation}: {unlocatedText(row)}
                </p>
                <p className="text-xs">
                  Examples: <Examples examples={row.examples} label={`${row.service} ${row.operation}`} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Services, worst first" help={data.definitions.ranking}>
        {data.byService.length === 0 ? (
          <EmptyPanel title="No spans in this window">Widen the window, or pick another service.</EmptyPanel>
        ) : (
          <div className="overflow-x-auto">
            <div className="flex justify-end">
              <DownloadButton api="/api/quality" params={serializeQuery(query)} table="services" label="services by trace quality" />
            </div>
            <table aria-label="Services by trace quality" className="w-full text-sm">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="py-1">Service</th>
                  <th className="text-right">Problem share</th>
                  <th className="text-right">Spans</th>
                  <th className="text-right">Orphans</th>
                  <th className="text-right">Traces without root</th>
                  <th className="text-right">Unexpected roots</th>
                  <th className="text-right">Clock skew</th>
                  <th className="text-right">Duplicates</th>
                  <th className="pl-3">Examples</th>
                </tr>
              </thead>
              <tbody>
                {data.byService.map((row) => (
                  <tr key={row.service} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="max-w-64 truncate py-1" title={row.service}>
                      <Link href={overviewHref(query, row.service)} className={linkClass}>
                        {row.service}
                      </Link>
                    </td>
                    <td className="text-right tabular-nums">{formatPercent(row.problemShare)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.spans)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.orphanSpans)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.rootlessTraces)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.unexpectedRoots)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.clockSkewSpans)}</td>
                    <td className="text-right tabular-nums">{formatCount(row.duplicateSpanIds)}</td>
                    <td className="pl-3">
                      <Examples examples={row.examples} label={row.service} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title="Trace shapes" help={data.definitions.distribution}>
        <div className="grid gap-3 lg:grid-cols-2">
          <DistributionChart title="Spans per trace" unit="traces" distribution={data.spansPerTrace} />
          <DistributionChart title="Depth (spans on the longest chain)" unit="traces" distribution={data.depth} />
        </div>
      </Section>

      <div className="grid gap-3 lg:grid-cols-3">
        <Section title="Traces without root" help={data.definitions.rootless}>
          <p className="text-sm">
            {formatCount(data.rootless.traces)} traces · <Examples examples={data.rootless.examples} label="Trace without root" />
          </p>
        </Section>
        <Section title="Clock skew" help={data.definitions.clockSkew}>
          <p className="text-sm">
            {formatCount(data.clockSkew.spans)} spans: {formatCount(data.clockSkew.startsBeforeParent)} start before their parent,{' '}
            {formatCount(data.clockSkew.endsAfterParent)} end after it, {formatCount(data.clockSkew.jaegerWarnings)} carry Jaeger&apos;s skew warning.
            Orphans are never counted here ({formatCount(totals.missingParentWarnings)} Jaeger &quot;parent not in the trace&quot; warnings, counted
            apart).
          </p>
          <p className="text-sm">
            <Examples examples={data.clockSkew.examples} label="Clock skew" />
          </p>
        </Section>
        <Section title="Duplicate span IDs" help={data.definitions.duplicate}>
          <p className="text-sm">
            {formatCount(data.duplicates.spans)} copies · <Examples examples={data.duplicates.examples} label="Duplicate span ID" />
          </p>
        </Section>
      </div>

      <details className="text-sm text-slate-600 dark:text-slate-400">
        <summary className="cursor-pointer font-medium">Definitions</summary>
        <dl className="mt-2 space-y-1">
          {Object.entries(data.definitions).map(([term, text]) => (
            <div key={term}>
              <dt className="inline font-medium">{term}: </dt>
              <dd className="inline">{text}</dd>
            </div>
          ))}
        </dl>
      </details>
    </>
  );
}

export function QualityView({ query }: { query: QualityQuery }) {
  const router = useRouter();
  const services = useServices({ source: query.source });
  const quality = useQuality(query);
  const data = quality.data;
  const go = (patch: Patch) => router.push(qualityHref(query, patch), { scroll: false });
  return (
    <div className="space-y-5">
      <h1 className="truncate text-xl font-semibold">Trace quality{query.service ? `: ${query.service}` : ''}</h1>
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
        <OptionalServicePicker
          id="quality-service"
          services={services.data?.services ?? []}
          value={query.service}
          onChange={(service) => go({ service })}
        />
        <WindowPicker value={query.window} onChange={(window) => go({ window })} />
        <div className="ml-auto flex items-center gap-3">{data ? <ModeLabel source={data.source} testId={testIds.modeLabel} /> : null}</div>
      </div>
      {quality.isError ? (
        <QueryError error={quality.error} onRetry={() => void quality.refetch()} retrying={quality.isFetching} />
      ) : data === undefined ? (
        <LoadingPanel label="Searching every service's traces…" />
      ) : (
        <>
          <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
            <CoverageBadge coverage={data.coverage} />
            <span>
              {formatCount(data.traces)} distinct traces from {data.servicesSearched} service search{data.servicesSearched === 1 ? '' : 'es'}; each
              trace counted once
            </span>
          </p>
          {data.traces === 0 ? (
            <EmptyPanel title="No traces in this window">Widen the window, or pick another service.</EmptyPanel>
          ) : (
            <QualityBody query={query} data={data} />
          )}
        </>
      )}
    </div>
  );
}
