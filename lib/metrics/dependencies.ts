import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits, findTag } from '../jaeger/span-rules.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import type { DependencyEdge } from './types.ts';
import { nestedValue } from './nested-map.ts';

/**
 * The tags that name an uninstrumented peer of a client or producer span, first found wins:
 * `peer.service` (what the caller says the callee is called), then the database system
 * (`db.system.name`, the current OpenTelemetry name, then the older `db.system`), then
 * `server.address`, then `messaging.system`.
 */
const PEER_TAG_PRECEDENCE = ['peer.service', 'db.system.name', 'db.system', 'server.address', 'messaging.system'] as const;

/** An uninstrumented peer node is named `<peer> (uninstrumented)` and its edges carry `peer: true`. */
const UNINSTRUMENTED_SUFFIX = ' (uninstrumented)';

/** The peer a childless client or producer span names, or null (any other span, or no peer tag). */
export function uninstrumentedPeerOf(span: Span): string | null {
  if (span.kind !== 'client' && span.kind !== 'producer') return null;
  for (const key of PEER_TAG_PRECEDENCE) {
    const value = findTag(span.tags, key);
    if (value !== undefined && String(value) !== '') return String(value);
  }
  return null;
}

interface EdgeCell {
  readonly parent: string;
  readonly child: string;
  readonly peer: boolean;
  errors: number;
  readonly durations: FloatList;
  /** Client duration − server duration, one per client → server pair on this edge. */
  readonly gaps: FloatList;
}

type EdgeTableState = readonly {
  readonly parent: string;
  readonly child: string;
  readonly peer: boolean;
  readonly errors: number;
  readonly durations: Float64Array;
  readonly gaps: Float64Array;
}[];

interface DependencyState {
  readonly services: EdgeTableState;
  readonly operations: EdgeTableState;
}

class EdgeTable {
  /** parent → child → cell: no key string is built per call. Peer children end in UNINSTRUMENTED_SUFFIX, so never collide. */
  private readonly byParent = new Map<string, Map<string, EdgeCell>>();

  get cells(): EdgeCell[] {
    return [...this.byParent.values()].flatMap((children) => [...children.values()]);
  }

  add(parent: string, child: string, peer: boolean, error: boolean, durationUs: number, gapUs: number | null): void {
    const cell = this.cellFor(parent, child, peer);
    if (error) cell.errors++;
    cell.durations.push(durationUs);
    if (gapUs !== null) cell.gaps.push(gapUs);
  }

  private cellFor(parent: string, child: string, peer: boolean): EdgeCell {
    return nestedValue(this.byParent, parent, child, () => ({ parent, child, peer, errors: 0, durations: new FloatList(), gaps: new FloatList() }));
  }

  toState(): EdgeTableState {
    return this.cells.map(({ parent, child, peer, errors, durations, gaps }) => ({
      parent,
      child,
      peer,
      errors,
      durations: durations.toFloat64Array(),
      gaps: gaps.toFloat64Array(),
    }));
  }

  static fromState(state: EdgeTableState): EdgeTable {
    const table = new EdgeTable();
    for (const { parent, child, peer, errors, durations, gaps } of state) {
      const cell = table.cellFor(parent, child, peer);
      cell.errors += errors;
      cell.durations.append(FloatList.from(durations));
      cell.gaps.append(FloatList.from(gaps));
    }
    return table;
  }

  merge(other: EdgeTable): void {
    for (const cell of other.cells) {
      const mine = this.cellFor(cell.parent, cell.child, cell.peer);
      mine.errors += cell.errors;
      mine.durations.append(cell.durations);
      mine.gaps.append(cell.gaps);
    }
  }

  finish(): DependencyEdge[] {
    return this.cells
      .map(({ parent, child, peer, errors, durations, gaps }): DependencyEdge => {
        const sortedGaps = gaps.length > 0 ? gaps.sorted() : null;
        return {
          parent,
          child,
          calls: durations.length,
          errors,
          p95Us: nearestRank(durations.sorted(), 0.95),
          // Absent (not null) when no pair: results without client → server pairs keep their old shape.
          ...(sortedGaps !== null && { gapP50Us: nearestRank(sortedGaps, 0.5), gapP95Us: nearestRank(sortedGaps, 0.95) }),
          ...(peer && { peer: true as const }),
        };
      })
      .sort((a, b) => b.calls - a.calls || compareCodeUnits(a.parent, b.parent) || compareCodeUnits(a.child, b.child));
  }
}

/** Operation nodes are named `service::operation`; names are built once per distinct pair. */
class OperationNames {
  private readonly byService = new Map<string, Map<string, string>>();

  of(service: string, operation: string): string {
    return nestedValue(this.byService, service, operation, () => `${service}::${operation}`);
  }
}

/**
 * Who calls whom, over every span of the fetched traces (context included, design §2): one call per
 * span whose parent (design §2 parentSpanId) is in the trace, counted on the edge parent → child;
 * errors and p95 are the child span's. Service edges skip calls inside one service; operation edges
 * keep them. Between two services this is Jaeger's own rule (its memory store counts parent → child
 * span pairs in the window's traces), so calls equal /api/dependencies' callCount; Jaeger v2.13 also
 * reports pairs inside one service as a self-link, which the map leaves out
 * (lib/server/dependencies.integration.test.ts checks both).
 *
 * Client−server gap: where the parent is a client span and the child a server span of another
 * service (the client's matching server span), gap = client duration − server duration (network,
 * queueing, clock skew), kept exactly per edge (p50/p95, nearest rank).
 *
 * Uninstrumented peers: a client or producer span with no child in the trace that names its peer
 * (PEER_TAG_PRECEDENCE) is also a call, on an edge from its service (operation) to the node
 * `<peer> (uninstrumented)` (at operation level `<peer> (uninstrumented)::<client operation>`),
 * with `peer: true`; errors and p95 are the client span's, and there is no gap.
 */
interface DependenciesOutput {
  readonly serviceDependencies: readonly DependencyEdge[];
  readonly operationDependencies: readonly DependencyEdge[];
}

class DependencyAccumulator implements MetricAccumulator<DependencyState, DependenciesOutput> {
  readonly services: EdgeTable;
  readonly operations: EdgeTable;
  private readonly names = new OperationNames();

  constructor(state?: DependencyState) {
    this.services = state ? EdgeTable.fromState(state.services) : new EdgeTable();
    this.operations = state ? EdgeTable.fromState(state.operations) : new EdgeTable();
  }

  toState(): DependencyState {
    return { services: this.services.toState(), operations: this.operations.toState() };
  }

  addTrace({ index, errorFlags }: TraceVisit): void {
    const n = index.spans.length;
    const hasChild = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = index.parent[i] as number;
      if (p < 0) continue;
      hasChild[p] = 1;
      const child = index.spans[i] as Span;
      const parent = index.spans[p] as Span;
      const error = errorFlags[i] === 1;
      const crosses = parent.service !== child.service;
      const gap = crosses && parent.kind === 'client' && child.kind === 'server' ? parent.durationUs - child.durationUs : null;
      if (crosses) this.services.add(parent.service, child.service, false, error, child.durationUs, gap);
      this.operations.add(
        this.names.of(parent.service, parent.operation),
        this.names.of(child.service, child.operation),
        false,
        error,
        child.durationUs,
        gap,
      );
    }
    for (let i = 0; i < n; i++) {
      if (hasChild[i] === 1) continue;
      const span = index.spans[i] as Span;
      const peer = uninstrumentedPeerOf(span);
      if (peer === null) continue;
      const node = peer + UNINSTRUMENTED_SUFFIX;
      const error = errorFlags[i] === 1;
      this.services.add(span.service, node, true, error, span.durationUs, null);
      this.operations.add(this.names.of(span.service, span.operation), this.names.of(node, span.operation), true, error, span.durationUs, null);
    }
  }

  merge(other: DependencyAccumulator): void {
    this.services.merge(other.services);
    this.operations.merge(other.operations);
  }

  finish(): DependenciesOutput {
    return { serviceDependencies: this.services.finish(), operationDependencies: this.operations.finish() };
  }
}

export const dependenciesMetric = defineMetric({
  definition:
    'Who calls whom over every span of the fetched traces: an edge parent → child per span whose parent is in the trace, ' +
    "with calls, the child's errors and exact p95; service edges skip calls inside one service, operation edges keep them. " +
    'gapP50Us/gapP95Us: client duration − server duration over client → server span pairs of the edge. ' +
    'A client or producer span without children naming its peer (peer.service, db.system.name, db.system, server.address, ' +
    'messaging.system, first found) is a call to the node "<peer> (uninstrumented)", marked peer.',
  create: (_context, state?: DependencyState) => new DependencyAccumulator(state),
  buffers: (state) => [...state.services, ...state.operations].flatMap((edge) => [edge.durations.buffer, edge.gaps.buffer]),
});
