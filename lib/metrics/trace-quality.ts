import type { Span } from '../jaeger/span.ts';
import { compareCodeUnits, findTag } from '../jaeger/span-rules.ts';
import { FloatList } from './float-list.ts';
import { defineMetric, type MetricAccumulator, type TraceVisit } from './metric.ts';
import { nearestRank } from './percentiles.ts';
import { spanDepths } from './trace-index.ts';
import type {
  ContextLossReason,
  PropagationBreak,
  QualityBucket,
  QualityDistribution,
  QualityExample,
  ServiceQuality,
  TraceQuality,
  UnlocatedContextLoss,
} from './types.ts';

/**
 * Jaeger's clock-skew adjuster warnings that are about skew (internal/jptrace/adjuster/clockskew.go
 * warningSkewAdjustDisabled and warningMaxDeltaExceeded; v1's "This span's timestamps were adjusted by").
 * Its other warnings name clock skew only because the adjustment was skipped: a missing parent (v2
 * warningMissingParentSpanID "parent span ID=… is not in the trace; skipping clock skew adjustment",
 * older "invalid parent span IDs=…; skipping clock skew adjustment") and "duplicate span IDs; skipping
 * clock skew adjustment". Those are orphans and duplicates, counted as such and never as skew; the
 * missing-parent ones are tallied apart (Jaeger puts one on many spans of an affected trace, and may add
 * it while a trace is still arriving, so they are not a count of orphans).
 */
const CLOCK_SKEW_WARNING = /^(clock skew adjustment disabled|max clock skew adjustment delta)|timestamps were adjusted/i;
const MISSING_PARENT_WARNING = /^(invalid parent span IDs?=|parent span ID=\S* is not in the trace)/i;

/** Example spans kept per finding: enough to open a few traces, bounded whatever the window holds. */
const QUALITY_EXAMPLES = 5;
/** Other services recorded per orphan (those whose spans enclose it, tightest first; those in the trace). */
const CALLER_CANDIDATES = 4;
const SERVICES_PRESENT = 16;
/**
 * Span visits spent per trace looking for the spans that enclose its orphans (each orphan scans the
 * trace): a hostile or broken trace of 100k orphans would otherwise cost 10^10 steps. Orphans met after
 * the budget is spent carry no enclosing evidence, so only the second rule of `propagation()` can locate them.
 */
const ENCLOSING_SCAN_BUDGET = 1_000_000;
/** Tags a client/producer span names its callee with, in order. */
const CALLEE_TAGS = ['peer.service', 'server.address', 'net.peer.name'] as const;

/** Bucket lower bounds (each bucket ends below the next); the last is open-ended. */
const SPANS_PER_TRACE_EDGES = [1, 2, 3, 4, 5, 6, 11, 21, 51, 101, 201, 501, 1001] as const;
const DEPTH_EDGES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 21] as const;

interface Example extends QualityExample {
  readonly startUs: number;
}

function earlier(a: Example, b: Example): number {
  return a.startUs - b.startUs || compareCodeUnits(a.traceId, b.traceId) || compareCodeUnits(a.spanId, b.spanId);
}

/**
 * The earliest examples (by start, then IDs), one per trace: the same whatever order traces arrive
 * in or however the input is split and merged (a trace among the earliest overall is among the
 * earliest of the part that held it).
 */
function keepExamples(kept: Example[], incoming: readonly Example[]): Example[] {
  const last = kept[kept.length - 1];
  if (incoming.length === 1 && kept.length >= QUALITY_EXAMPLES && last !== undefined && earlier(incoming[0] as Example, last) >= 0) return kept;
  const seen = new Set<string>();
  const result: Example[] = [];
  for (const example of [...kept, ...incoming].sort(earlier)) {
    if (seen.has(example.traceId)) continue;
    seen.add(example.traceId);
    result.push(example);
    if (result.length === QUALITY_EXAMPLES) break;
  }
  return result;
}

const exampleOf = (span: Span): Example => ({ traceId: span.traceId, spanId: span.spanId, startUs: span.startUs });
const publicExamples = (examples: readonly Example[]): QualityExample[] => examples.map(({ traceId, spanId }) => ({ traceId, spanId }));

interface ServiceCell {
  readonly service: string;
  spans: number;
  traces: number;
  rootlessTraces: number;
  rootSpans: number;
  orphanSpans: number;
  clockSkewSpans: number;
  duplicateSpanIds: number;
  /** Duplicate copies that are in no other category (so a problem span is counted once). */
  duplicatesOnly: number;
  examples: Example[];
}

interface OperationCell {
  readonly service: string;
  readonly operation: string;
  /** Server/consumer spans of the operation that are roots; duplicate copies among them. */
  entryRoots: number;
  entryRootDuplicates: number;
  rootExamples: Example[];
  /** Spans of the operation whose parent is a span of another service, per that service. */
  readonly callers: Map<string, number>;
  /** Spans of other services whose parent is a span of this operation, per that service. */
  readonly callees: Map<string, number>;
}

/** Orphans of one operation with the same located evidence, counted together. */
interface OrphanCell {
  readonly service: string;
  readonly operation: string;
  /** Other services whose spans enclose the orphan's start, tightest first. */
  readonly enclosing: readonly string[];
  /** Other services with spans in the trace, by name. */
  readonly present: readonly string[];
  /** Service of the tightest enclosing span when that span is a client/producer call with no child. */
  readonly unansweredCaller: string | null;
  count: number;
  examples: Example[];
}

/** Client/producer spans with no child, by what they name their callee. */
interface UnansweredCell {
  readonly service: string;
  readonly operation: string;
  readonly calleeNames: readonly string[];
  count: number;
  examples: Example[];
}

/** Adds `from`'s cells into `into`, key by key: counts summed, the earliest examples kept. */
function mergeCounted<C extends { count: number; examples: Example[] }>(into: Map<string, C>, from: ReadonlyMap<string, C>): void {
  for (const [key, cell] of from) {
    const mine = into.get(key);
    if (mine === undefined) into.set(key, cell);
    else {
      mine.count += cell.count;
      mine.examples = keepExamples(mine.examples, cell.examples);
    }
  }
}

interface Counters {
  traces: number;
  spans: number;
  tracesWithoutRoot: number;
  orphanSpans: number;
  duplicateSpanIds: number;
  skewSpans: number;
  startsBeforeParent: number;
  endsAfterParent: number;
  jaegerSkewWarnings: number;
  missingParentWarnings: number;
  warnings: number;
  cyclicSpans: number;
}

type SerializedOperation = Omit<OperationCell, 'callers' | 'callees'> & {
  readonly callers: readonly (readonly [string, number])[];
  readonly callees: readonly (readonly [string, number])[];
};

interface TraceQualityState {
  readonly counts: Counters;
  readonly spansPerTrace: Float64Array;
  readonly depths: Float64Array;
  readonly rootless: readonly Example[];
  readonly duplicates: readonly Example[];
  readonly skew: readonly Example[];
  readonly services: readonly ServiceCell[];
  readonly operations: readonly SerializedOperation[];
  readonly orphans: readonly OrphanCell[];
  readonly unanswered: readonly UnansweredCell[];
  /** Cross-service parent → child span pairs: caller, callee, pairs. */
  readonly linked: readonly (readonly [string, string, number])[];
}

const isEntry = (span: Span) => span.kind === 'server' || span.kind === 'consumer';
const isCall = (span: Span) => span.kind === 'client' || span.kind === 'producer';

function calleeNames(span: Span): string[] {
  const names: string[] = [];
  for (const key of CALLEE_TAGS) {
    const value = findTag(span.tags, key);
    if (value === undefined || value === '' || names.includes(String(value))) continue;
    names.push(String(value));
  }
  return names;
}

/** Map key of a few strings; \u0000 cannot occur in a name a person reads, so keys never collide in practice. */
const keyOf = (...parts: readonly (string | readonly string[] | null)[]) =>
  parts.map((part) => (part === null ? '\u0001' : typeof part === 'string' ? part : part.join('\u0002'))).join('\u0000');

function countMax(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0])).map(([name]) => name);
}

class TraceQualityAccumulator implements MetricAccumulator<TraceQualityState, { readonly traceQuality: TraceQuality }> {
  counts: Counters = {
    traces: 0,
    spans: 0,
    tracesWithoutRoot: 0,
    orphanSpans: 0,
    duplicateSpanIds: 0,
    skewSpans: 0,
    startsBeforeParent: 0,
    endsAfterParent: 0,
    jaegerSkewWarnings: 0,
    missingParentWarnings: 0,
    warnings: 0,
    cyclicSpans: 0,
  };
  spansPerTrace = new FloatList();
  depths = new FloatList();
  rootless: Example[] = [];
  duplicates: Example[] = [];
  skew: Example[] = [];
  readonly services = new Map<string, ServiceCell>();
  readonly operations = new Map<string, OperationCell>();
  readonly orphans = new Map<string, OrphanCell>();
  readonly unanswered = new Map<string, UnansweredCell>();
  readonly linked = new Map<string, { caller: string; callee: string; pairs: number }>();

  constructor(state?: TraceQualityState) {
    if (state === undefined) return;
    this.counts = { ...state.counts };
    this.spansPerTrace = FloatList.from(state.spansPerTrace);
    this.depths = FloatList.from(state.depths);
    this.rootless = [...state.rootless];
    this.duplicates = [...state.duplicates];
    this.skew = [...state.skew];
    for (const cell of state.services) this.services.set(cell.service, { ...cell, examples: [...cell.examples] });
    for (const cell of state.operations) {
      this.operations.set(keyOf(cell.service, cell.operation), {
        ...cell,
        rootExamples: [...cell.rootExamples],
        callers: new Map(cell.callers),
        callees: new Map(cell.callees),
      });
    }
    for (const cell of state.orphans)
      this.orphans.set(keyOf(cell.service, cell.operation, cell.enclosing, cell.present, cell.unansweredCaller), { ...cell });
    for (const cell of state.unanswered) this.unanswered.set(keyOf(cell.service, cell.operation, cell.calleeNames), { ...cell });
    for (const [caller, callee, pairs] of state.linked) this.linked.set(keyOf(caller, callee), { caller, callee, pairs });
  }

  toState(): TraceQualityState {
    return {
      counts: { ...this.counts },
      spansPerTrace: this.spansPerTrace.toFloat64Array(),
      depths: this.depths.toFloat64Array(),
      rootless: this.rootless,
      duplicates: this.duplicates,
      skew: this.skew,
      services: [...this.services.values()],
      operations: [...this.operations.values()].map((cell) => ({ ...cell, callers: [...cell.callers], callees: [...cell.callees] })),
      orphans: [...this.orphans.values()],
      unanswered: [...this.unanswered.values()],
      linked: [...this.linked.values()].map(({ caller, callee, pairs }) => [caller, callee, pairs] as const),
    };
  }

  private service(name: string): ServiceCell {
    let cell = this.services.get(name);
    if (cell === undefined) {
      cell = {
        service: name,
        spans: 0,
        traces: 0,
        rootlessTraces: 0,
        rootSpans: 0,
        orphanSpans: 0,
        clockSkewSpans: 0,
        duplicateSpanIds: 0,
        duplicatesOnly: 0,
        examples: [],
      };
      this.services.set(name, cell);
    }
    return cell;
  }

  private operation(service: string, operation: string): OperationCell {
    const key = keyOf(service, operation);
    let cell = this.operations.get(key);
    if (cell === undefined) {
      cell = { service, operation, entryRoots: 0, entryRootDuplicates: 0, rootExamples: [], callers: new Map(), callees: new Map() };
      this.operations.set(key, cell);
    }
    return cell;
  }

  /**
   * Root: no parent reference. Orphan: a parent ID that no span of the trace holds. Duplicate: a copy
   * beyond the first of a span ID. Clock skew: a span whose parent IS in the trace and that starts
   * before it, ends after it (CHILD_OF only) or carries a Jaeger skew warning — an orphan has no parent
   * to be skewed against, so it is never a skew case. Depth: spans on the longest parent chain.
   */
  addTrace({ trace, index }: TraceVisit): void {
    const spans = trace.spans;
    const counts = this.counts;
    counts.traces++;
    counts.spans += spans.length;
    counts.warnings += trace.warnings.length;
    const hasChild = new Uint8Array(spans.length);
    for (let i = 0; i < spans.length; i++) {
      const p = index.parent[i] as number;
      if (p >= 0) hasChild[p] = 1;
    }
    const servicesInTrace = new Set<string>();
    const orphanIndexes: number[] = [];
    let roots = 0;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as Span;
      const service = this.service(span.service);
      servicesInTrace.add(span.service);
      service.spans++;
      counts.warnings += span.warnings.length;
      for (const warning of span.warnings) if (MISSING_PARENT_WARNING.test(warning)) counts.missingParentWarnings++;
      const duplicate = index.firstIndexOf(span.spanId) !== i;
      if (duplicate) {
        counts.duplicateSpanIds++;
        service.duplicateSpanIds++;
        this.duplicates = keepExamples(this.duplicates, [exampleOf(span)]);
      }
      let otherProblem = false;
      if (span.parentSpanId === null) {
        roots++;
        service.rootSpans++;
        if (isEntry(span)) {
          const operation = this.operation(span.service, span.operation);
          operation.entryRoots++;
          operation.rootExamples = keepExamples(operation.rootExamples, [exampleOf(span)]);
          if (duplicate) operation.entryRootDuplicates++;
          otherProblem = true; // a duplicate among them is counted when the roots are judged (finish)
        }
      } else if (index.firstIndexOf(span.parentSpanId) < 0) {
        counts.orphanSpans++;
        service.orphanSpans++;
        service.examples = keepExamples(service.examples, [exampleOf(span)]);
        orphanIndexes.push(i);
        otherProblem = true;
      } else {
        const p = index.parent[i] as number;
        if (p >= 0) otherProblem = this.addParentPair(span, spans[p] as Span, service);
      }
      if (duplicate && !otherProblem) {
        service.duplicatesOnly++;
        service.examples = keepExamples(service.examples, [exampleOf(span)]);
      }
    }
    for (const name of servicesInTrace) {
      const service = this.services.get(name) as ServiceCell;
      service.traces++;
      if (roots === 0) service.rootlessTraces++;
    }
    if (roots === 0) {
      counts.tracesWithoutRoot++;
      let first = spans[0];
      for (const span of spans) if (first === undefined || span.startUs < first.startUs) first = span;
      if (first !== undefined) this.rootless = keepExamples(this.rootless, [exampleOf(first)]);
    }
    const paired = this.addOrphans(spans, orphanIndexes, hasChild, servicesInTrace);
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as Span;
      if (hasChild[i] === 1 || !isCall(span) || paired.has(i)) continue;
      const names = calleeNames(span);
      const key = keyOf(span.service, span.operation, names);
      let cell = this.unanswered.get(key);
      if (cell === undefined)
        this.unanswered.set(key, (cell = { service: span.service, operation: span.operation, calleeNames: names, count: 0, examples: [] }));
      cell.count++;
      cell.examples = keepExamples(cell.examples, [exampleOf(span)]);
    }
    this.spansPerTrace.push(spans.length);
    const { depths, cyclicSpans } = spanDepths(index);
    counts.cyclicSpans += cyclicSpans;
    let maxDepth = 0;
    for (const d of depths) maxDepth = Math.max(maxDepth, d);
    this.depths.push(maxDepth);
  }

  /** A span and its parent (in the trace): the cross-service link it forms and its clock skew. Returns whether it is skewed. */
  private addParentPair(span: Span, parent: Span, service: ServiceCell): boolean {
    if (parent.service !== span.service) {
      const key = keyOf(parent.service, span.service);
      const link = this.linked.get(key);
      if (link === undefined) this.linked.set(key, { caller: parent.service, callee: span.service, pairs: 1 });
      else link.pairs++;
      const callee = this.operation(span.service, span.operation);
      callee.callers.set(parent.service, (callee.callers.get(parent.service) ?? 0) + 1);
      const caller = this.operation(parent.service, parent.operation);
      caller.callees.set(span.service, (caller.callees.get(span.service) ?? 0) + 1);
    }
    const startsBefore = span.startUs < parent.startUs;
    const childOf = span.references.find((ref) => ref.spanId === span.parentSpanId)?.refType !== 'FOLLOWS_FROM';
    const endsAfter = childOf && span.startUs + span.durationUs > parent.startUs + parent.durationUs;
    const warned = span.warnings.some((warning) => CLOCK_SKEW_WARNING.test(warning));
    if (!startsBefore && !endsAfter && !warned) return false;
    const counts = this.counts;
    counts.skewSpans++;
    if (startsBefore) counts.startsBeforeParent++;
    if (endsAfter) counts.endsAfterParent++;
    if (warned) counts.jaegerSkewWarnings++;
    service.clockSkewSpans++;
    service.examples = keepExamples(service.examples, [exampleOf(span)]);
    this.skew = keepExamples(this.skew, [exampleOf(span)]);
    return true;
  }

  /**
   * Records what the trace says about who should have been each orphan's parent: the other services
   * whose spans enclose its start (tightest first) and the other services present. When the tightest
   * enclosing span is a client/producer call with no child, that call and the orphan are one lost call:
   * the call is returned so it is not counted a second time as unanswered.
   */
  private addOrphans(
    spans: readonly Span[],
    orphanIndexes: readonly number[],
    hasChild: Uint8Array,
    servicesInTrace: ReadonlySet<string>,
  ): Set<number> {
    const paired = new Set<number>();
    const others = [...servicesInTrace].sort(compareCodeUnits);
    let scanned = 0;
    for (const i of orphanIndexes) {
      const orphan = spans[i] as Span;
      const tightest = new Map<string, number>(); // service → index of its tightest span enclosing the orphan's start
      const scan = scanned + spans.length <= ENCLOSING_SCAN_BUDGET;
      if (scan) scanned += spans.length;
      for (let j = 0; scan && j < spans.length; j++) {
        const span = spans[j] as Span;
        if (span.service === orphan.service || span.startUs > orphan.startUs || span.startUs + span.durationUs < orphan.startUs) continue;
        const best = tightest.get(span.service);
        if (best === undefined || span.durationUs < (spans[best] as Span).durationUs) tightest.set(span.service, j);
      }
      const enclosingIndexes = [...tightest.values()].sort(
        (a, b) =>
          (spans[a] as Span).durationUs - (spans[b] as Span).durationUs || compareCodeUnits((spans[a] as Span).service, (spans[b] as Span).service),
      );
      const innermost = enclosingIndexes[0];
      let unansweredCaller: string | null = null;
      if (innermost !== undefined && isCall(spans[innermost] as Span) && hasChild[innermost] === 0) {
        unansweredCaller = (spans[innermost] as Span).service;
        paired.add(innermost);
      }
      const enclosing = enclosingIndexes.slice(0, CALLER_CANDIDATES).map((j) => (spans[j] as Span).service);
      const present = others.filter((name) => name !== orphan.service).slice(0, SERVICES_PRESENT);
      const key = keyOf(orphan.service, orphan.operation, enclosing, present, unansweredCaller);
      let cell = this.orphans.get(key);
      if (cell === undefined) {
        cell = { service: orphan.service, operation: orphan.operation, enclosing, present, unansweredCaller, count: 0, examples: [] };
        this.orphans.set(key, cell);
      }
      cell.count++;
      cell.examples = keepExamples(cell.examples, [exampleOf(orphan)]);
    }
    return paired;
  }

  merge(other: TraceQualityAccumulator): void {
    for (const name of Object.keys(this.counts) as (keyof Counters)[]) this.counts[name] += other.counts[name];
    this.spansPerTrace.append(other.spansPerTrace);
    this.depths.append(other.depths);
    this.rootless = keepExamples(this.rootless, other.rootless);
    this.duplicates = keepExamples(this.duplicates, other.duplicates);
    this.skew = keepExamples(this.skew, other.skew);
    for (const cell of other.services.values()) {
      const mine = this.services.get(cell.service);
      if (mine === undefined) {
        this.services.set(cell.service, cell);
        continue;
      }
      mine.spans += cell.spans;
      mine.traces += cell.traces;
      mine.rootlessTraces += cell.rootlessTraces;
      mine.rootSpans += cell.rootSpans;
      mine.orphanSpans += cell.orphanSpans;
      mine.clockSkewSpans += cell.clockSkewSpans;
      mine.duplicateSpanIds += cell.duplicateSpanIds;
      mine.duplicatesOnly += cell.duplicatesOnly;
      mine.examples = keepExamples(mine.examples, cell.examples);
    }
    for (const cell of other.operations.values()) {
      const mine = this.operation(cell.service, cell.operation);
      mine.entryRoots += cell.entryRoots;
      mine.entryRootDuplicates += cell.entryRootDuplicates;
      mine.rootExamples = keepExamples(mine.rootExamples, cell.rootExamples);
      for (const [name, n] of cell.callers) mine.callers.set(name, (mine.callers.get(name) ?? 0) + n);
      for (const [name, n] of cell.callees) mine.callees.set(name, (mine.callees.get(name) ?? 0) + n);
    }
    mergeCounted(this.orphans, other.orphans);
    mergeCounted(this.unanswered, other.unanswered);
    for (const [key, link] of other.linked) {
      const mine = this.linked.get(key);
      if (mine === undefined) this.linked.set(key, link);
      else mine.pairs += link.pairs;
    }
  }

  finish(): { readonly traceQuality: TraceQuality } {
    const counts = this.counts;
    const propagation = this.propagation();
    const traceQuality: TraceQuality = {
      traces: counts.traces,
      spans: counts.spans,
      tracesWithoutRoot: counts.tracesWithoutRoot,
      rootlessExamples: publicExamples(this.rootless),
      orphanSpans: counts.orphanSpans,
      duplicateSpanIds: counts.duplicateSpanIds,
      duplicateExamples: publicExamples(this.duplicates),
      spansPerTrace: distribution(this.spansPerTrace, SPANS_PER_TRACE_EDGES),
      depth: distribution(this.depths, DEPTH_EDGES),
      clockSkew: {
        spans: counts.skewSpans,
        startsBeforeParent: counts.startsBeforeParent,
        endsAfterParent: counts.endsAfterParent,
        jaegerWarnings: counts.jaegerSkewWarnings,
        examples: publicExamples(this.skew),
      },
      missingParentWarnings: counts.missingParentWarnings,
      warnings: counts.warnings,
      spansOnReferenceCycles: counts.cyclicSpans,
      byService: this.serviceRows(),
      propagation,
    };
    return { traceQuality };
  }

  /** Operations other services call with context somewhere in the window: a root of one of them lost its caller. */
  private expectsCaller(operation: OperationCell): boolean {
    return operation.callers.size > 0;
  }

  private serviceRows(): ServiceQuality[] {
    const unexpected = new Map<string, { roots: number; examples: Example[] }>();
    const rootDuplicates = new Map<string, number>();
    for (const operation of this.operations.values()) {
      if (operation.entryRoots === 0) continue;
      if (this.expectsCaller(operation)) {
        const entry = unexpected.get(operation.service) ?? { roots: 0, examples: [] };
        entry.roots += operation.entryRoots;
        entry.examples = keepExamples(entry.examples, operation.rootExamples);
        unexpected.set(operation.service, entry);
      } else rootDuplicates.set(operation.service, (rootDuplicates.get(operation.service) ?? 0) + operation.entryRootDuplicates);
    }
    return [...this.services.values()]
      .map((cell): ServiceQuality => {
        const roots = unexpected.get(cell.service);
        const unexpectedRoots = roots?.roots ?? 0;
        const problemSpans = cell.orphanSpans + cell.clockSkewSpans + unexpectedRoots + cell.duplicatesOnly + (rootDuplicates.get(cell.service) ?? 0);
        return {
          service: cell.service,
          spans: cell.spans,
          traces: cell.traces,
          rootlessTraces: cell.rootlessTraces,
          rootSpans: cell.rootSpans,
          orphanSpans: cell.orphanSpans,
          unexpectedRoots,
          clockSkewSpans: cell.clockSkewSpans,
          duplicateSpanIds: cell.duplicateSpanIds,
          problemSpans,
          problemShare: cell.spans === 0 ? 0 : problemSpans / cell.spans,
          examples: publicExamples(roots === undefined ? cell.examples : keepExamples([...cell.examples], roots.examples)),
        };
      })
      .sort((a, b) => b.problemShare - a.problemShare || b.problemSpans - a.problemSpans || compareCodeUnits(a.service, b.service));
  }

  /**
   * Where propagation breaks, judged over the whole window (so the result does not depend on how the
   * traces were split): an orphan of operation O of service B is located to caller A when
   * (1) A's spans enclose it in the trace and A calls O with context elsewhere, else (2) A is one of the
   * services calling O with context and has spans in the trace (the one with most such calls), else
   * (3) its tightest enclosing span is an A client/producer call that has no child. A client/producer span
   * of A with no child is a lost call to B when it names B (peer.service, server.address, net.peer.name)
   * and B has spans in the window, or when the same A operation reaches B with context elsewhere.
   */
  private propagation(): TraceQuality['propagation'] {
    const breaks = new Map<
      string,
      { caller: string; callee: string; orphaned: number; unanswered: number; operations: Set<string>; examples: Example[] }
    >();
    const breakFor = (caller: string, callee: string) => {
      const key = keyOf(caller, callee);
      let entry = breaks.get(key);
      if (entry === undefined) breaks.set(key, (entry = { caller, callee, orphaned: 0, unanswered: 0, operations: new Set(), examples: [] }));
      return entry;
    };
    const unlocated = new Map<
      string,
      { service: string; operation: string; reason: ContextLossReason; spans: number; callers: string[]; examples: Example[] }
    >();
    const addUnlocated = (operation: OperationCell, reason: ContextLossReason, spans: number, examples: readonly Example[]) => {
      const key = keyOf(operation.service, operation.operation, reason);
      let entry = unlocated.get(key);
      if (entry === undefined) {
        entry = { service: operation.service, operation: operation.operation, reason, spans: 0, callers: countMax(operation.callers), examples: [] };
        unlocated.set(key, entry);
      }
      entry.spans += spans;
      entry.examples = keepExamples(entry.examples, examples);
    };

    for (const cell of this.orphans.values()) {
      const operation = this.operation(cell.service, cell.operation);
      const callers = operation.callers;
      const caller =
        cell.enclosing.find((name) => callers.has(name)) ?? countMax(callers).find((name) => cell.present.includes(name)) ?? cell.unansweredCaller;
      if (caller === null) {
        addUnlocated(operation, callers.size > 0 ? 'caller_absent' : 'no_known_caller', cell.count, cell.examples);
        continue;
      }
      const entry = breakFor(caller, cell.service);
      entry.orphaned += cell.count;
      entry.operations.add(cell.operation);
      entry.examples = keepExamples(entry.examples, cell.examples);
    }
    for (const cell of this.unanswered.values()) {
      const named = cell.calleeNames.find((name) => name !== cell.service && this.services.has(name));
      const callee = named ?? countMax(this.operation(cell.service, cell.operation).callees).find((name) => name !== cell.service);
      if (callee === undefined) continue;
      const entry = breakFor(cell.service, callee);
      entry.unanswered += cell.count;
      entry.examples = keepExamples(entry.examples, cell.examples);
    }
    for (const operation of this.operations.values()) {
      if (operation.entryRoots > 0 && this.expectsCaller(operation))
        addUnlocated(operation, 'new_trace', operation.entryRoots, operation.rootExamples);
    }

    const located = [...breaks.values()]
      .map((entry): PropagationBreak => {
        const linked = this.linked.get(keyOf(entry.caller, entry.callee))?.pairs ?? 0;
        const lost = entry.orphaned + entry.unanswered;
        return {
          caller: entry.caller,
          callee: entry.callee,
          linked,
          orphanedCalls: entry.orphaned,
          unansweredCalls: entry.unanswered,
          lost,
          calls: linked + lost,
          calleeOperations: [...entry.operations].sort(compareCodeUnits),
          examples: publicExamples(entry.examples),
        };
      })
      .sort((a, b) => b.lost - a.lost || compareCodeUnits(a.caller, b.caller) || compareCodeUnits(a.callee, b.callee));
    const rest = [...unlocated.values()]
      .map((entry): UnlocatedContextLoss => ({
        service: entry.service,
        operation: entry.operation,
        reason: entry.reason,
        spans: entry.spans,
        expectedCallers: entry.callers,
        examples: publicExamples(entry.examples),
      }))
      .sort(
        (a, b) =>
          b.spans - a.spans ||
          compareCodeUnits(a.service, b.service) ||
          compareCodeUnits(a.operation, b.operation) ||
          compareCodeUnits(a.reason, b.reason),
      );
    return { breaks: located, unlocated: rest };
  }
}

/** What each trace-quality number means, served with the answer (README "Trace quality" says the same). */
export const QUALITY_DEFINITIONS = {
  root: 'A span with no parent reference.',
  rootless: 'A trace with no root span: every span names a parent (its root was never exported, or the trace is the tail of another).',
  orphan:
    'A span whose parent ID (first CHILD_OF reference, else the first reference) is held by no span of the trace. Never also counted as clock skew.',
  propagationBreak:
    '"A → B loses context in n of N calls". N = linked + n; linked = spans of B whose parent is a span of A (the map\'s edge calls). ' +
    "n counts (1) orphans of B located to A: A's spans enclose the orphan's start and A calls that B operation with context elsewhere in the window; " +
    'else A calls it with context elsewhere and has spans in the trace (the caller with most such calls); else the tightest span enclosing it is ' +
    'an A client/producer call with no child; and (2) A client/producer spans with no child that name B (peer.service, server.address, ' +
    'net.peer.name; B has spans in the window) or whose operation reaches B with context elsewhere. An orphan and the childless call enclosing it ' +
    'are one lost call. In a trace so large that orphans × spans passes 1,000,000, the later orphans are located by the second rule only.',
  unlocated:
    'Lost context that no caller in the trace can be blamed for: "caller absent" (orphans of an operation other services call with context, none ' +
    'of which has a span in the trace: their spans were not exported or sampled out), "no known caller" (orphans nobody calls with context), ' +
    '"new trace" (server/consumer roots of an operation other services call with context elsewhere: the callee started a new trace).',
  unexpectedRoot: 'A server/consumer root span of an operation that other services call with context elsewhere in the window.',
  clockSkew:
    'A span whose parent is in the trace and that starts before it, ends after it (CHILD_OF children only; a FOLLOWS_FROM child may outlive its ' +
    'parent), or carries a Jaeger clock-skew warning ("clock skew adjustment disabled", "max clock skew adjustment delta", "timestamps were adjusted").',
  missingParentWarning:
    'Jaeger\'s "parent span ID=… is not in the trace" (older: "invalid parent span IDs=…") "; skipping clock skew adjustment" warnings: ' +
    'its own check, which can fire on many spans of one trace or while a trace is still arriving; counted apart, never as skew or as orphans.',
  duplicate: 'A copy beyond the first of a span ID within one trace.',
  distribution:
    'Spans per trace and depth (spans on the longest parent chain, root = 1; reference cycles cut) over every trace: exact nearest-rank p50/p95, the maximum, and trace counts per bucket.',
  ranking:
    "Services worst first by problem share: spans that are orphans, unexpected roots, clock-skewed or duplicate copies (each span once) ÷ the service's spans; ties by problem spans, then name.",
  examples: 'Up to 5 examples per finding: the earliest spans (by start, then IDs), one per trace.',
} as const;

export const traceQualityMetric = defineMetric({
  definition:
    'Over every fetched trace: traces without a root, orphan spans (parent not in the trace) by service, where propagation breaks ' +
    '(caller → callee calls that lost their context), duplicate span IDs, clock skew (a child outside its parent, or a Jaeger skew warning; ' +
    'never an orphan), spans-per-trace and depth distributions, and a per-service ranking by the share of problem spans.',
  create: (_context, state?: TraceQualityState) => new TraceQualityAccumulator(state),
  buffers: (state) => [state.spansPerTrace.buffer, state.depths.buffer],
});

function distribution(values: FloatList, edges: readonly number[]): QualityDistribution {
  if (values.length === 0) return { p50: 0, p95: 0, max: 0, buckets: [] };
  const sorted = values.sorted();
  const max = sorted[sorted.length - 1] as number;
  const buckets: QualityBucket[] = [];
  let at = 0;
  for (let b = 0; b < edges.length; b++) {
    const from = edges[b] as number;
    if (from > max) break;
    const next = edges[b + 1];
    let traces = 0;
    while (at < sorted.length && (next === undefined || (sorted[at] as number) < next)) {
      if ((sorted[at] as number) >= from) traces++;
      at++;
    }
    buckets.push({ from, to: next === undefined ? null : next - 1, traces });
  }
  return { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), max, buckets };
}
