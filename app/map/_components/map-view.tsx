'use client';

import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { ServiceMap, type MapEdge, type MapNode } from '@/components/charts/service-map';
import { CoverageBadge } from '@/components/coverage-badge';
import { ModeLabel } from '@/components/mode-label';
import { OptionalServicePicker } from '@/components/query-bar/service-picker';
import { WindowPicker } from '@/components/query-bar/window-picker';
import { EdgesTable, gapText } from '@/components/tables/edges-table';
import { formatCount, formatDurationUs, formatPercent, formatRate } from '@/components/ui/format';
import { DownloadButton } from '@/components/ui/download-button';
import { EmptyPanel, LoadingPanel } from '@/components/ui/state-panel';
import { useServices } from '@/lib/api-client';
import { useDependencies } from '@/lib/api-client/dependencies';
import type { DependenciesResponse, OperationEdgeResponse, OperationNode, ServiceEdgeResponse } from '@/lib/http/api-types';
import { serializeDependenciesQuery, serializeQuery, type DependenciesQuery } from '@/lib/query';
import { QueryError } from '../../_components/query-error';
import { ShareSnapshot } from '../../_components/share-snapshot';

type Patch = { readonly [K in keyof DependenciesQuery]?: DependenciesQuery[K] | undefined };

/** The map's own URL with some fields replaced (undefined drops `service`). */
function mapHref(query: DependenciesQuery, patch: Patch): string {
  const next = { ...query, ...patch } as DependenciesQuery & { service?: string };
  if (next.service === undefined) delete next.service;
  const search = serializeDependenciesQuery(next);
  return search === '' ? '/map' : `/map?${search}`;
}

/** Another page with the map's window and source. */
function pageHref(query: DependenciesQuery, path: string, target: { service: string; operation?: string }): string {
  const search = serializeQuery({ window: query.window, source: query.source, ...target });
  return search === '' ? path : `${path}?${search}`;
}

interface Tally {
  inCalls: number;
  inErrors: number;
  outCalls: number;
  peer: boolean;
  /** For a peer: the first service calling it (its node opens that caller's operations). */
  caller?: string;
}

function tallyNodes<K>(edges: readonly { parent: K; child: K; calls: number; errors: number; peer: boolean }[], keyOf: (node: K) => string) {
  const tallies = new Map<string, Tally & { node: K }>();
  const of = (node: K) => {
    const key = keyOf(node);
    let tally = tallies.get(key);
    if (tally === undefined) tallies.set(key, (tally = { node, inCalls: 0, inErrors: 0, outCalls: 0, peer: false }));
    return tally;
  };
  for (const edge of edges) {
    of(edge.parent).outCalls += edge.calls;
    const child = of(edge.child);
    child.inCalls += edge.calls;
    child.inErrors += edge.errors;
    if (edge.peer) child.peer = true;
  }
  return tallies;
}

function nodeLines(tally: Tally, windowSeconds: number): string[] {
  if (tally.inCalls > 0) return [`in ${formatRate(tally.inCalls / windowSeconds)} · ${formatPercent(tally.inErrors / tally.inCalls)} errors`];
  return [`calls out ${formatRate(tally.outCalls / windowSeconds)}`];
}

function edgeLines(edge: ServiceEdgeResponse | OperationEdgeResponse): string[] {
  return [
    `${formatCount(edge.calls)} calls · ${formatRate(edge.callsPerSecond)}`,
    `${formatPercent(edge.errorRate)} err · p95 ${formatDurationUs(edge.p95Us)}`,
    ...(edge.gapP50Us !== null && edge.gapP95Us !== null ? [`gap p50 ${gapText(edge.gapP50Us)} · p95 ${gapText(edge.gapP95Us)}`] : []),
  ];
}

const opKey = (node: OperationNode) => `${node.service}\u0000${node.operation}`;

function serviceGraph(query: DependenciesQuery, data: DependenciesResponse & { level: 'service' }, windowSeconds: number) {
  const tallies = tallyNodes(data.edges, (name: string) => name);
  for (const edge of data.edges) {
    const tally = tallies.get(edge.child);
    if (tally && edge.peer) tally.caller ??= edge.parent;
  }
  const nodes: MapNode[] = [...tallies.values()].map((tally) => ({
    id: tally.node,
    title: tally.node,
    lines: nodeLines(tally, windowSeconds),
    peer: tally.peer,
    focus: tally.node === query.service,
    href: tally.peer ? mapHref(query, { service: tally.caller, level: 'operation' }) : pageHref(query, '/', { service: tally.node }),
    label: tally.peer ? `Uninstrumented peer ${tally.node}` : `Service ${tally.node}`,
  }));
  const edges: MapEdge[] = data.edges.map((edge) => {
    const caller = edge.callers[0]?.operation;
    return {
      id: `${edge.parent}\u0000${edge.child}`,
      from: edge.parent,
      to: edge.child,
      lines: edgeLines(edge),
      failing: edge.errors > 0,
      href:
        caller !== undefined
          ? pageHref(query, '/operation', { service: edge.parent, operation: caller })
          : pageHref(query, '/', { service: edge.parent }),
      label: `Calls ${edge.parent} → ${edge.child}`,
    };
  });
  return { nodes, edges };
}

function operationGraph(query: DependenciesQuery, data: DependenciesResponse & { level: 'operation' }, windowSeconds: number) {
  const tallies = tallyNodes(data.edges, opKey);
  const nodes: MapNode[] = [...tallies.entries()].map(([key, tally]) => ({
    id: key,
    title: tally.node.operation,
    subtitle: tally.node.service,
    lines: nodeLines(tally, windowSeconds),
    peer: tally.peer,
    focus: tally.node.service === query.service,
    href: tally.peer ? mapHref(query, {}) : pageHref(query, '/operation', tally.node),
    label: `${tally.peer ? 'Uninstrumented peer' : 'Operation'} ${tally.node.service} ${tally.node.operation}`,
  }));
  const edges: MapEdge[] = data.edges.map((edge) => ({
    id: `${opKey(edge.parent)}\u0001${opKey(edge.child)}`,
    from: opKey(edge.parent),
    to: opKey(edge.child),
    lines: edgeLines(edge),
    failing: edge.errors > 0,
    href: pageHref(query, '/operation', edge.parent),
    label: `Calls ${edge.parent.service} ${edge.parent.operation} → ${edge.child.service} ${edge.child.operation}`,
  }));
  return { nodes, edges };
}

export function MapView({ query }: { query: DependenciesQuery }) {
  const router = useRouter();
  const services = useServices({ source: query.source });
  const dependencies = useDependencies(query);
  const data = dependencies.data;
  const graph = useMemo(() => {
    if (data === undefined) return null;
    const windowSeconds = Math.max(1, data.windowEndUs - data.windowStartUs) / 1_000_000;
    return data.level === 'service' ? serviceGraph(query, data, windowSeconds) : operationGraph(query, data, windowSeconds);
  }, [data, query]);
  const go = (patch: Patch) => router.push(mapHref(query, patch), { scroll: false });
  const field = 'flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400';
  const input =
    'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100';
  const edgeRows = data?.edges ?? [];
  return (
    <div className="space-y-4">
      <h1 className="truncate text-xl font-semibold">
        Service map{query.service ? `: ${query.service}` : ''}
        {query.level === 'operation' ? ' (operations)' : ''}
      </h1>
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
        <OptionalServicePicker
          id="map-focus"
          label="Focus"
          services={services.data?.services ?? []}
          value={query.service}
          onChange={(service) => go({ service, level: service === undefined ? 'service' : query.level })}
        />
        <label className={field}>
          Level
          <select
            className={input}
            value={query.level}
            disabled={query.service === undefined && query.level === 'service'}
            title={query.service === undefined ? 'Choose a service to see its operations' : undefined}
            onChange={(event) => go({ level: event.target.value === 'operation' ? 'operation' : 'service' })}
          >
            <option value="service">Services</option>
            <option value="operation">Operations</option>
          </select>
        </label>
        <WindowPicker value={query.window} onChange={(window) => go({ window })} />
        <div className="ml-auto flex items-center gap-3">
          {data ? <ModeLabel source={data.source} /> : null}
          {data ? (
            <ShareSnapshot
              path="/map"
              query={() =>
                serializeDependenciesQuery({ ...query, window: { kind: 'absolute', startUs: data.windowStartUs, endUs: data.windowEndUs } })
              }
            />
          ) : null}
        </div>
      </div>
      {dependencies.isError ? (
        <QueryError error={dependencies.error} onRetry={() => void dependencies.refetch()} retrying={dependencies.isFetching} />
      ) : data === undefined || graph === null ? (
        <LoadingPanel label="Searching every service for calls…" />
      ) : (
        <>
          <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
            <CoverageBadge coverage={data.coverage} />
            <span>
              {formatCount(data.traces)} distinct traces from {data.servicesSearched} service search{data.servicesSearched === 1 ? '' : 'es'}; each
              span pair counted once
            </span>
          </p>
          {data.edges.length === 0 ? (
            <EmptyPanel title="No calls in this window">Widen the window, or pick another service.</EmptyPanel>
          ) : (
            <ServiceMap nodes={graph.nodes} edges={graph.edges} title={`Service map of ${graph.nodes.length} nodes`} />
          )}
          <p className="text-xs text-slate-500" title={data.definition}>
            Edge numbers: calls, calls per second, the callee&apos;s error rate and p95; gap = client span − server span (network and queueing). A
            node&apos;s rate is the calls into it (for an entry service, the calls it makes).
          </p>
          {edgeRows.length > 0 ? (
            <div className="flex justify-end">
              <DownloadButton api="/api/dependencies" params={serializeDependenciesQuery(query)} table="edges" label="edges" />
            </div>
          ) : null}
          {edgeRows.length > 0 ? (
            <EdgesTable
              rows={graph.edges.map((edge, i) => ({ edge: edgeRows[i] as ServiceEdgeResponse | OperationEdgeResponse, href: edge.href }))}
            />
          ) : null}
        </>
      )}
    </div>
  );
}
