import type { DependenciesResponse, OperationNode } from '../http/api-types.ts';
import { METRICS } from '../metrics/registry.ts';
import type { DependencyEdge } from '../metrics/types.ts';
import type { DependenciesQuery } from '../query/dashboard-query.ts';
import { US_PER_SECOND } from '../units.ts';
import { aggregateQueryAcrossServices, type AcrossServicesContext } from './per-service.ts';
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
 * `GET /api/dependencies`: who calls whom over a window, every trace of every service once
 * (aggregateAcrossServices), so a span pair counts once. With `service`, only that service is searched
 * and only edges touching it are kept.
 */
export async function computeDependencies(
  query: DependenciesQuery,
  resolved: ResolvedSource,
  context: AcrossServicesContext,
): Promise<DependenciesResponse> {
  const { result, services, traces, coverage, window } = await aggregateQueryAcrossServices(
    query,
    { options: {}, include: ['dependencies'] },
    resolved,
    context,
  );
  const windowSeconds = Math.max(1, window.endUs - window.startUs) / US_PER_SECOND;
  const focus = query.service;
  const base = {
    service: focus ?? null,
    windowStartUs: window.startUs,
    windowEndUs: window.endUs,
    servicesSearched: services.length,
    traces,
    coverage,
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
