import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import type { DependencyEdge } from './types.ts';

interface EdgeCell {
  readonly parent: string;
  readonly child: string;
  errors: number;
  readonly durations: FloatList;
}

type EdgeTableState = readonly {
  readonly parent: string;
  readonly child: string;
  readonly errors: number;
  readonly durations: Float64Array;
}[];

interface DependencyState {
  readonly services: EdgeTableState;
  readonly operations: EdgeTableState;
}

class EdgeTable {
  /** parent → child → cell: no key string is built per call. */
  private readonly byParent = new Map<string, Map<string, EdgeCell>>();

  get cells(): EdgeCell[] {
    return [...this.byParent.values()].flatMap((children) => [...children.values()]);
  }

  add(parent: string, child: string, error: boolean, durationUs: number): void {
    const cell = this.cellFor(parent, child);
    if (error) cell.errors++;
    cell.durations.push(durationUs);
  }

  private cellFor(parent: string, child: string): EdgeCell {
    let children = this.byParent.get(parent);
    if (children === undefined) {
      children = new Map();
      this.byParent.set(parent, children);
    }
    let cell = children.get(child);
    if (cell === undefined) {
      cell = { parent, child, errors: 0, durations: new FloatList() };
      children.set(child, cell);
    }
    return cell;
  }

  toState(): EdgeTableState {
    return this.cells.map(({ parent, child, errors, durations }) => ({ parent, child, errors, durations: durations.toFloat64Array() }));
  }

  static fromState(state: EdgeTableState): EdgeTable {
    const table = new EdgeTable();
    for (const { parent, child, errors, durations } of state) {
      const cell = table.cellFor(parent, child);
      cell.errors += errors;
      cell.durations.append(FloatList.from(durations));
    }
    return table;
  }

  merge(other: EdgeTable): void {
    for (const cell of other.cells) {
      const mine = this.cellFor(cell.parent, cell.child);
      mine.errors += cell.errors;
      mine.durations.append(cell.durations);
    }
  }

  finish(): DependencyEdge[] {
    return this.cells
      .map(({ parent, child, errors, durations }) => ({
        parent,
        child,
        calls: durations.length,
        errors,
        p95Us: nearestRank(durations.sorted(), 0.95),
      }))
      .sort((a, b) => b.calls - a.calls || compareCodeUnits(a.parent, b.parent) || compareCodeUnits(a.child, b.child));
  }
}

/** Operation nodes are named `service::operation`; names are built once per distinct pair. */
class OperationNames {
  private readonly byService = new Map<string, Map<string, string>>();

  of(span: Span): string {
    let operations = this.byService.get(span.service);
    if (operations === undefined) {
      operations = new Map();
      this.byService.set(span.service, operations);
    }
    let name = operations.get(span.operation);
    if (name === undefined) {
      name = `${span.service}::${span.operation}`;
      operations.set(span.operation, name);
    }
    return name;
  }
}

/**
 * Who calls whom, over every span of the fetched traces (context included, design §2): one call per
 * span whose parent (design §2 parentSpanId) is in the trace, counted on the edge parent → child;
 * errors and p95 are the child span's. Service edges skip calls inside one service, as Jaeger's
 * dependency links do; operation edges keep them.
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
    for (let i = 0; i < index.spans.length; i++) {
      const p = index.parent[i] as number;
      if (p < 0) continue;
      const child = index.spans[i] as Span;
      const parent = index.spans[p] as Span;
      const error = errorFlags[i] === 1;
      if (parent.service !== child.service) this.services.add(parent.service, child.service, error, child.durationUs);
      this.operations.add(this.names.of(parent), this.names.of(child), error, child.durationUs);
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
    "with calls, the child's errors and exact p95; service edges skip calls inside one service, operation edges keep them.",
  create: (_context, state?: DependencyState) => new DependencyAccumulator(state),
  buffers: (state) => [...state.services, ...state.operations].map((edge) => edge.durations.buffer),
});
