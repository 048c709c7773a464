import type { DependenciesResponse, OperationNode, Coverage } from '../http/api-types.ts';
import { createAggregator } from '../metrics/aggregator.ts';
import { METRICS } from '../metrics/registry.ts';
import type { DependencyEdge } from '../metrics/types.ts';
import type { DependenciesQuery } from '../query/dashboard-query.ts';
import { resolveWindow } from '../query/window.ts';
import { US_PER_SECOND } from '../units.ts';
import type { MetricsRequestContext } from './metrics-service.ts';
import { mapLimited, SERVICE_CONCURRENCY, sumCoverage } from './per-service.ts';
import type { ResolvedSource } from './sources.ts';

/** `service::operation` back to its parts; a service name holding `::` is split at its first one. */
function operationNode(name: string): OperationNode {
  const at = name.indexOf('::');
  return at < 0 ? { service: name, operation: '' } : { service: name.slice(0, at), operation: name.slice(at + 2) };
}

function numbers(edge: DependencyEdge, windowSeconds: number) {
  return {
    calls: edge.calls,
    errors: edge.errors,
    callsPerSecond: edge.calls / windowSeconds,
    errorRate: edge.calls === 0 ? 0 : edge.errors / edge.calls,
    p95Us: edge.p95Us,
    gapP50Us: edge.gapP50Us ?? null,
    gapP95Us: edge.gapP95Us ?? null,
    peer: edge.peer === true,
  };
}

/** Per service edge (parent → child service), the parent's operations making those calls, most calls first. */
function callingOperations(operationEdges: readonly DependencyEdge[]): Map<string, Map<string, { operation: string; calls: number }[]>> {
  const byParent = new Map<string, Map<string, { operation: string; calls: number }[]>>();
  for (const edge of operationEdges) {
    const parent = operationNode(edge.parent);
    const child = operationNode(edge.child);
    if (parent.service === child.service) continue;
    let byChild = byParent.get(parent.service);
    if (byChild === undefined) byParent.set(parent.service, (byChild = new Map()));
    let list = byChild.get(child.service);
    if (list === undefined) byChild.set(child.service, (list = []));
    const known = list.find((caller) => caller.operation === parent.operation);
    if (known) known.calls += edge.calls;
    else list.push({ operation: parent.operation, calls: edge.calls });
  }
  for (const byChild of byParent.values())
    for (const list of byChild.values()) list.sort((a, b) => b.calls - a.calls || (a.operation < b.operation ? -1 : 1));
  return byParent;
}

/**
 * `GET /api/dependencies`: who calls whom over a window. Jaeger searches one service at a time, so
 * without `service` every service is searched (SERVICE_CONCURRENCY at a time). The traces all go into
 * one aggregator of the dependencies metric, each trace ID once: a trace holding spans of three
 * services comes back from three searches but its span pairs count once. That dedupe must happen
 * before aggregation, which is why this drives the aggregator itself instead of calling
 * computeMetrics per service (whose answers could only be summed, counting such a trace three times).
 * With `service`, only that service is searched and only edges touching it are kept.
 */
export async function computeDependencies(
  query: DependenciesQuery,
  resolved: ResolvedSource,
  context: Pick<MetricsRequestContext, 'nowMs' | 'maxTraces' | 'signal'>,
): Promise<DependenciesResponse> {
  const window = resolveWindow(query, context.nowMs);
  const source = resolved.source;
  const services = query.service !== undefined ? [query.service] : await source.listServices({ signal: context.signal });
  const aggregator = createAggregator({ windowStartUs: window.startUs, windowEndUs: window.endUs }, ['dependencies']);
  const seen = new Set<string>();
  const coverages: Coverage[] = [];
  const limit = Math.min(query.limit ?? context.maxTraces, context.maxTraces);
  await mapLimited(services, SERVICE_CONCURRENCY, async (service) => {
    const coverage = await source.searchTraces(
      { service, tags: {}, startUs: window.startUs, endUs: window.endUs, limit },
      (traces) => {
        for (const trace of traces) {
          if (seen.has(trace.traceId)) continue;
          seen.add(trace.traceId);
          aggregator.addTrace(trace);
        }
      },
      { signal: context.signal },
    );
    coverages.push(coverage);
  });
  const result = aggregator.finish();
  const windowSeconds = Math.max(1, window.endUs - window.startUs) / US_PER_SECOND;
  const focus = query.service;
  const base = {
    service: focus ?? null,
    windowStartUs: window.startUs,
    windowEndUs: window.endUs,
    servicesSearched: services.length,
    traces: seen.size,
    coverage: sumCoverage(coverages, source.kind === 'file' ? 'file' : 'legacy'),
    source: resolved.info,
    definition: METRICS.dependencies.definition,
  };
  if (query.level === 'operation') {
    const edges = result.operationDependencies
      .map((edge) => ({ parent: operationNode(edge.parent), child: operationNode(edge.child), ...numbers(edge, windowSeconds) }))
      .filter((edge) => focus === undefined || edge.parent.service === focus || edge.child.service === focus);
    return { ...base, level: 'operation', edges };
  }
  const callers = callingOperations(result.operationDependencies);
  const edges = result.serviceDependencies
    .filter((edge) => focus === undefined || edge.parent === focus || edge.child === focus)
    .map((edge) => ({
      parent: edge.parent,
      child: edge.child,
      ...numbers(edge, windowSeconds),
      callers: callers.get(edge.parent)?.get(edge.child) ?? [],
    }));
  return { ...base, level: 'service', edges };
}
