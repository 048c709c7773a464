'use client';

import { useState, type ReactNode } from 'react';
import { LlmUsageCharts } from '@/components/charts/llm-usage-charts';
import { CoverageBadge } from '@/components/coverage-badge';
import { ModeLabel } from '@/components/mode-label';
import { CopyLinkButton } from '@/components/query-bar/copy-link-button';
import { RefreshPicker } from '@/components/query-bar/refresh-picker';
import { OptionalServicePicker } from '@/components/query-bar/service-picker';
import { WindowPicker } from '@/components/query-bar/window-picker';
import { LlmMismatchesTable, LlmModelsTable, LlmSpendersTable } from '@/components/tables/llm-tables';
import { DownloadButton } from '@/components/ui/download-button';
import { Field, inputClass } from '@/components/ui/field';
import { formatCount, formatPercent, formatUsd } from '@/components/ui/format';
import { EmptyPanel, LoadingPanel } from '@/components/ui/state-panel';
import { useServices, useTagKeys } from '@/lib/api-client';
import { useLlm } from '@/lib/api-client/llm';
import type { LlmResponse } from '@/lib/http/api-types';
import { pinWindow, serializeDashboardQuery, type DashboardQuery } from '@/lib/query';
import { QueryError } from '../../_components/query-error';
import { useQueryNavigation } from '../../_components/use-query-navigation';

/** Tag keys people group LLM spend by, offered before the service's own keys are known. */
const SPENDER_KEYS = ['actor_name', 'user.id', 'enduser.id', 'tenant.id', 'session.id', 'http.route', 'gen_ai.agent.name'];

function Tile({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
      {children ? <dd className="text-xs text-slate-600 dark:text-slate-400">{children}</dd> : null}
    </div>
  );
}

/** The tag key "who spends" is grouped by, typed or picked; empty = the LLM span's service and operation. */
function SpenderKeyInput({
  value,
  suggestions,
  onChange,
}: {
  value: string | undefined;
  suggestions: readonly string[];
  onChange: (key: string | undefined) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const apply = () => {
    const key = draft.trim();
    if (key !== (value ?? '')) onChange(key === '' ? undefined : key);
  };
  return (
    <Field label="Who spends, by tag" htmlFor="spender-key">
      <input
        id="spender-key"
        list="spender-keys"
        className={`${inputClass} w-48`}
        placeholder="service, operation"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
      <datalist id="spender-keys">
        {suggestions.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
    </Field>
  );
}

function Tiles({ data }: { data: LlmResponse }) {
  const { totals } = data;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Tile label="LLM calls" value={formatCount(totals.calls)}>
        {data.models.length} model{data.models.length === 1 ? '' : 's'}
      </Tile>
      <Tile label="Errors" value={formatCount(totals.errorCount)}>
        {totals.calls === 0 ? null : `${formatPercent(totals.errorCount / totals.calls)} of calls`}
      </Tile>
      <Tile label="Tokens" value={formatCount(totals.totalTokens)}>
        {formatCount(totals.inputTokens)} in ({formatCount(totals.cachedInputTokens)} cached) · {formatCount(totals.outputTokens)} out
      </Tile>
      <Tile label="Cost" value={totals.costUsd === null ? 'no price' : formatUsd(totals.costUsd)}>
        {totals.unpricedCalls > 0 ? (
          <span className="text-amber-700 dark:text-amber-300" title={`No price for ${totals.unpricedModels.join(', ')}`}>
            {formatCount(totals.unpricedCalls)} call{totals.unpricedCalls === 1 ? '' : 's'} without a price (left out)
          </span>
        ) : (
          'every call priced'
        )}
        {totals.carriedCostUsd !== null
          ? ` · carried by spans ${formatUsd(totals.carriedCostUsd)} (${formatCount(totals.carriedCostCalls)} calls)`
          : null}
      </Tile>
    </dl>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-sm font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Usage({ data }: { data: LlmResponse }) {
  if (data.models.length === 0) {
    return (
      <EmptyPanel title="No LLM calls in this window">
        <p>
          {data.service ? `No span of ${data.service}` : 'No span of any service'} names a model. Spanlens reads these attributes, the first found
          winning:
        </p>
        <ul className="mt-2 space-y-0.5 text-left font-mono text-xs">
          {Object.entries(data.definitions.attributes).map(([field, keys]) => (
            <li key={field}>
              {field}: {keys.join(', ')}
            </li>
          ))}
        </ul>
      </EmptyPanel>
    );
  }
  return (
    <>
      <Tiles data={data} />
      <Section id="llm-models" title="By model">
        <div className="flex justify-end">
          <DownloadButton api="/api/llm" params={data.query} table="models" label="models" />
        </div>
        <LlmModelsTable rows={data.models} />
        <p className="text-xs text-slate-500" title={data.prices.rule}>
          Cost at query time from {data.prices.file ? `the price file ${data.prices.file} over ` : ''}the bundled list prices (hover a cost for its
          price and source). {data.prices.rule}
        </p>
      </Section>
      <Section id="llm-time" title="Over time">
        <LlmUsageCharts
          points={data.timeline.points}
          models={[...new Set(data.models.map((row) => row.model))]}
          windowStartUs={data.windowStartUs}
          windowEndUs={data.windowEndUs}
          bucketWidthUs={data.timeline.bucketWidthUs}
        />
      </Section>
      <Section id="llm-spenders" title="Who spends">
        <div className="flex justify-end">
          <DownloadButton api="/api/llm" params={data.query} table="spenders" label="spenders" />
        </div>
        <LlmSpendersTable groupBy={data.spenders.groupBy} rows={data.spenders.rows} />
        <p className="text-xs text-slate-500">
          {data.definitions.spenderRule}
          {data.spenders.omitted > 0 ? ` ${formatCount(data.spenders.omitted)} smaller groups left out.` : ''}
        </p>
      </Section>
      <Section id="llm-mismatches" title={`Answered by another model than requested (${formatCount(data.totals.modelMismatches)})`}>
        {data.mismatches.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Every call that names both was answered by the model it asked for.</p>
        ) : (
          <>
            <LlmMismatchesTable rows={data.mismatches} />
            {data.totals.modelMismatches > data.mismatches.length ? (
              <p className="text-xs text-slate-500">The earliest {data.mismatches.length} shown.</p>
            ) : null}
          </>
        )}
      </Section>
      <p className="text-xs text-slate-500">
        {data.definitions.llm} Error rule: {data.definitions.errorRule}
      </p>
    </>
  );
}

/** `/llm`: LLM calls, tokens and cost per model, over time and per group, across every service or one. */
export function LlmView({ query }: { query: DashboardQuery }) {
  const { update } = useQueryNavigation(query);
  const services = useServices({ source: query.source });
  const tagKeys = useTagKeys({ service: query.service, source: query.source });
  const llm = useLlm(query);
  const data = llm.data;
  const groupedTag = query.groupBy.find((key) => key.startsWith('tag:'))?.slice('tag:'.length);
  const suggestions = [...new Set([...SPENDER_KEYS, ...(tagKeys.data?.keys.map((k) => k.key) ?? [])])];
  return (
    <div className="space-y-4">
      <h1 className="truncate text-xl font-semibold" title={query.service}>
        LLM usage and cost{query.service ? `: ${query.service}` : ''}
      </h1>
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
        <OptionalServicePicker
          id="llm-service"
          services={services.data?.services ?? []}
          value={query.service}
          onChange={(service) => update({ service })}
        />
        <WindowPicker value={query.window} onChange={(window) => update({ window })} />
        <SpenderKeyInput
          key={groupedTag ?? ''}
          value={groupedTag}
          suggestions={suggestions}
          onChange={(key) => update({ groupBy: key === undefined ? ['service', 'operation'] : [`tag:${key}`] })}
        />
        <RefreshPicker value={query.refresh} onChange={(refresh) => update({ refresh }, 'replace')} />
        <div className="ml-auto flex items-center gap-3">
          {data ? <ModeLabel source={data.source} /> : null}
          <CopyLinkButton
            buildUrl={() => {
              const pinAtMs = data === undefined ? Date.now() : Math.floor(data.windowEndUs / 1_000);
              const search = serializeDashboardQuery(pinWindow(query, pinAtMs));
              return `${window.location.pathname}${search === '' ? '' : `?${search}`}`;
            }}
          />
        </div>
      </div>
      {llm.isError ? (
        <QueryError error={llm.error} onRetry={() => void llm.refetch()} retrying={llm.isFetching} />
      ) : data === undefined ? (
        <LoadingPanel label={query.service ? `Searching ${query.service} for LLM calls…` : 'Searching every service for LLM calls…'} />
      ) : (
        <>
          <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
            <CoverageBadge coverage={data.coverage} />
            <span>
              {formatCount(data.traces)} distinct traces from {data.servicesSearched} service search{data.servicesSearched === 1 ? '' : 'es'}
            </span>
          </p>
          <Usage data={data} />
        </>
      )}
    </div>
  );
}
