/**
 * The reference for "Where the time goes": jaeger-ui's own code, transcribed as it reads, over the
 * legacy JSON a Jaeger `/api/traces` answer holds — the very input the UI works on. Pinned to
 * jaeger-ui v1.76.0 (commit 1ceadb6f), the UI bundled with Jaeger v2.13; paths are under
 * packages/jaeger-ui/src/. It keeps upstream's shape (span maps keyed by ID, recursion, copies and
 * mutation where upstream has them) on purpose: lib/metrics/critical-path.ts is written differently,
 * so the two agreeing on real traces is evidence, not a tautology. Test support only.
 */

export interface RawReference {
  readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  readonly spanID: string;
}

export interface RawSpan {
  readonly spanID: string;
  readonly operationName: string;
  readonly processID: string;
  readonly references: readonly RawReference[] | null;
  readonly startTime: number;
  readonly duration: number;
}

export interface RawTrace {
  readonly traceID: string;
  readonly spans: readonly RawSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
}

interface UiSpan {
  spanID: string;
  operationName: string;
  serviceName: string;
  references: RawReference[];
  startTime: number;
  duration: number;
  depth: number;
  hasChildren: boolean;
  childSpanIds: string[];
}

interface UiTrace {
  readonly spans: UiSpan[];
  readonly duration: number;
}

interface TreeNode {
  readonly value: string;
  readonly children: TreeNode[];
}

/** model/transform-trace-data.tsx:62-157, the parts the critical path and Trace Statistics read. */
function transformTraceData(trace: RawTrace): UiTrace {
  const data = trace.spans.filter((span) => Boolean(span.startTime)); // :75
  let traceEndTime = 0;
  let traceStartTime = Number.MAX_SAFE_INTEGER;
  const spanIdCounts = new Map<string, number>();
  const spanMap = new Map<string, UiSpan>();
  const inOrder: UiSpan[] = [];
  for (const raw of data) {
    if (raw.startTime < traceStartTime) traceStartTime = raw.startTime;
    if (raw.startTime + raw.duration > traceEndTime) traceEndTime = raw.startTime + raw.duration;
    let spanID = raw.spanID;
    const idCount = spanIdCounts.get(spanID);
    if (idCount != null) {
      spanIdCounts.set(spanID, idCount + 1);
      spanID = `${spanID}_${idCount}`; // :88-98
    } else {
      spanIdCounts.set(spanID, 1);
    }
    const span: UiSpan = {
      spanID,
      operationName: raw.operationName,
      serviceName: trace.processes[raw.processID]?.serviceName ?? '',
      references: (raw.references ?? []).map((ref) => ({ ...ref })),
      startTime: raw.startTime,
      duration: raw.duration,
      depth: 0,
      hasChildren: false,
      childSpanIds: [],
    };
    spanMap.set(spanID, span);
    inOrder.push(span);
  }

  // selectors/trace.tsx:24-62 getTraceSpanIdsAsTree
  const nodesById = new Map(inOrder.map((span) => [span.spanID, { value: span.spanID, children: [] as TreeNode[] }]));
  const root: TreeNode = { value: '__root__', children: [] };
  for (const span of inOrder) {
    const node = nodesById.get(span.spanID) as TreeNode;
    if (span.references.length) {
      const parent = nodesById.get((span.references[0] as RawReference).spanID) || root;
      parent.children.push(node);
    } else {
      root.children.push(node);
    }
  }
  const comparator = (nodeA: TreeNode, nodeB: TreeNode): number => {
    const a = spanMap.get(nodeA.value) as UiSpan;
    const b = spanMap.get(nodeB.value) as UiSpan;
    return +(a.startTime > b.startTime) || +(a.startTime === b.startTime) - 1;
  };
  for (const span of inOrder) {
    const node = nodesById.get(span.spanID) as TreeNode;
    if (node.children.length > 1) node.children.sort(comparator);
  }
  root.children.sort(comparator);

  // utils/TreeNode.tsx walk (pre-order) and transform-trace-data.tsx:111-157
  const spans: UiSpan[] = [];
  const stack: { node: TreeNode; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop() as { node: TreeNode; depth: number };
    if (node.value !== '__root__') {
      const span = spanMap.get(node.value) as UiSpan;
      span.depth = depth - 1;
      span.hasChildren = node.children.length > 0;
      span.childSpanIds = node.children
        .slice()
        .sort((a, b) => {
          const spanA = spanMap.get(a.value) as UiSpan;
          const spanB = spanMap.get(b.value) as UiSpan;
          return spanB.startTime + spanB.duration - (spanA.startTime + spanA.duration);
        })
        .map((each) => each.value);
      spans.push(span);
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as TreeNode, depth: depth + 1 });
  }
  return { spans, duration: traceEndTime - traceStartTime };
}

export interface ReferenceSection {
  readonly spanId: string;
  readonly section_start: number;
  readonly section_end: number;
}

/** components/TracePage/CriticalPath/utils/getChildOfSpans.tsx */
function getChildOfSpans(spanMap: Map<string, UiSpan>): Map<string, UiSpan> {
  const followFromSpanIds: string[] = [];
  const followFromSpansDescendantIds: string[] = [];
  spanMap.forEach((each) => {
    if (each.references[0]?.refType === 'FOLLOWS_FROM') {
      followFromSpanIds.push(each.spanID);
      const parentSpan = spanMap.get(each.references[0].spanID);
      if (parentSpan === undefined) throw new TypeError('parent of a FOLLOWS_FROM span is not in the trace'); // upstream: `!` then a property read
      parentSpan.childSpanIds = parentSpan.childSpanIds.filter((a) => a !== each.spanID);
      spanMap.set(parentSpan.spanID, { ...parentSpan });
    }
  });
  const findDescendantSpans = (spanIds: string[]) => {
    spanIds.forEach((spanId) => {
      const span = spanMap.get(spanId) as UiSpan;
      if (span.hasChildren) {
        followFromSpansDescendantIds.push(...span.childSpanIds);
        findDescendantSpans(span.childSpanIds);
      }
    });
  };
  findDescendantSpans(followFromSpanIds);
  [...followFromSpanIds, ...followFromSpansDescendantIds].forEach((id) => spanMap.delete(id));
  return spanMap;
}

/** components/TracePage/CriticalPath/utils/sanitizeOverFlowingChildren.tsx:14-88 (the reference re-linking after it changes nothing read here). */
function sanitizeOverFlowingChildren(spanMap: Map<string, UiSpan>): Map<string, UiSpan> {
  [...spanMap.keys()].forEach((spanId) => {
    const span = spanMap.get(spanId);
    if (!(span && span.references.length)) return;
    const parentSpan = spanMap.get((span.references[0] as RawReference).spanID);
    if (!parentSpan) {
      spanMap.delete(span.spanID);
      return;
    }
    const childEndTime = span.startTime + span.duration;
    const parentEndTime = parentSpan.startTime + parentSpan.duration;
    if (span.startTime >= parentSpan.startTime) {
      if (span.startTime >= parentEndTime) {
        spanMap.delete(span.spanID);
        parentSpan.childSpanIds = parentSpan.childSpanIds.filter((id) => id !== span.spanID);
        return;
      }
      if (childEndTime > parentEndTime) {
        spanMap.set(span.spanID, { ...span, duration: parentEndTime - span.startTime });
      }
      return;
    }
    if (childEndTime <= parentSpan.startTime) {
      spanMap.delete(span.spanID);
      parentSpan.childSpanIds = parentSpan.childSpanIds.filter((id) => id !== span.spanID);
    } else if (childEndTime <= parentEndTime) {
      spanMap.set(span.spanID, { ...span, startTime: parentSpan.startTime, duration: childEndTime - parentSpan.startTime });
    } else {
      spanMap.set(span.spanID, { ...span, startTime: parentSpan.startTime, duration: parentEndTime - parentSpan.startTime });
    }
  });
  return spanMap;
}

/** components/TracePage/CriticalPath/utils/findLastFinishingChildSpan.tsx */
function findLastFinishingChildSpan(spanMap: Map<string, UiSpan>, currentSpan: UiSpan, returningChildStartTime?: number): UiSpan | undefined {
  let lastFinishingChildSpanId: string | undefined;
  if (returningChildStartTime) {
    lastFinishingChildSpanId = currentSpan.childSpanIds.find(
      (each) => spanMap.has(each) && (spanMap.get(each) as UiSpan).startTime + (spanMap.get(each) as UiSpan).duration < returningChildStartTime,
    );
  } else {
    lastFinishingChildSpanId = currentSpan.childSpanIds[0];
  }
  return lastFinishingChildSpanId ? spanMap.get(lastFinishingChildSpanId) : undefined;
}

/** components/TracePage/CriticalPath/index.tsx:30-73 */
function computeCriticalPath(
  spanMap: Map<string, UiSpan>,
  spanId: string,
  criticalPath: ReferenceSection[],
  returningChildStartTime?: number,
): ReferenceSection[] {
  const currentSpan = spanMap.get(spanId);
  if (currentSpan === undefined) throw new TypeError('span left the map'); // upstream: `!`, then a property read throws
  const lastFinishingChildSpan = findLastFinishingChildSpan(spanMap, currentSpan, returningChildStartTime);
  if (lastFinishingChildSpan) {
    const section = {
      spanId: currentSpan.spanID,
      section_start: lastFinishingChildSpan.startTime + lastFinishingChildSpan.duration,
      section_end: returningChildStartTime || currentSpan.startTime + currentSpan.duration,
    };
    if (section.section_start !== section.section_end) criticalPath.push(section);
    computeCriticalPath(spanMap, lastFinishingChildSpan.spanID, criticalPath);
  } else {
    const section = {
      spanId: currentSpan.spanID,
      section_start: currentSpan.startTime,
      section_end: returningChildStartTime || currentSpan.startTime + currentSpan.duration,
    };
    if (section.section_start !== section.section_end) criticalPath.push(section);
    if (currentSpan.references.length) {
      const parentSpanId = (currentSpan.references.filter((reference) => reference.refType === 'CHILD_OF')[0] as RawReference).spanID;
      computeCriticalPath(spanMap, parentSpanId, criticalPath, currentSpan.startTime);
    }
  }
  return criticalPath;
}

/** components/TracePage/CriticalPath/index.tsx:75-94 criticalPathForTrace (its catch returns what was built: nothing, at every throw above). */
function criticalPathForTrace(trace: UiTrace): ReferenceSection[] {
  let criticalPath: ReferenceSection[] = [];
  const rootSpanId = trace.spans[0]?.spanID;
  if (rootSpanId) {
    const spanMap = trace.spans.reduce((map, span) => map.set(span.spanID, span), new Map<string, UiSpan>());
    try {
      criticalPath = computeCriticalPath(sanitizeOverFlowingChildren(getChildOfSpans(spanMap)), rootSpanId, criticalPath);
    } catch {
      // as upstream: the path stays as far as it got
    }
  }
  return criticalPath;
}

/** The critical path of one legacy-JSON trace, as jaeger-ui v1.76.0 draws it. */
export function referenceCriticalPath(trace: RawTrace): ReferenceSection[] {
  return criticalPathForTrace(transformTraceData(trace));
}

/** components/TracePage/TraceStatistics/tableValues.tsx:12-78 computeSelfTime, per span ID. */
function selfTimes(trace: UiTrace): Map<string, number> {
  const parentChildOfMap: Record<string, UiSpan[]> = {};
  trace.spans.forEach((s) => {
    s.references
      .filter((r) => r.refType === 'CHILD_OF')
      .map((r) => r.spanID)
      .forEach((pID) => {
        parentChildOfMap[pID] = parentChildOfMap[pID] || [];
        parentChildOfMap[pID].push(s);
      });
  });
  const result = new Map<string, number>();
  for (const parentSpan of trace.spans) {
    if (!parentSpan.hasChildren) {
      result.set(parentSpan.spanID, parentSpan.duration);
      continue;
    }
    let parentSpanSelfTime = parentSpan.duration;
    let previousChildEndTime = parentSpan.startTime;
    const children = (parentChildOfMap[parentSpan.spanID] || []).slice().sort((a, b) => a.startTime - b.startTime);
    const parentSpanEndTime = parentSpan.startTime + parentSpan.duration;
    for (const child of children) {
      const childEndTime = child.startTime + child.duration;
      if (child.startTime > parentSpanEndTime || childEndTime < previousChildEndTime) continue;
      const nonOverlappingStartTime = Math.max(previousChildEndTime, child.startTime);
      const childEndTimeOrParentEndTime = Math.min(parentSpanEndTime, childEndTime);
      parentSpanSelfTime -= childEndTimeOrParentEndTime - nonOverlappingStartTime;
      if (childEndTimeOrParentEndTime === parentSpanEndTime) break;
      previousChildEndTime = childEndTime;
    }
    result.set(parentSpan.spanID, parentSpanSelfTime);
  }
  return result;
}

export interface ReferenceBreakdown {
  readonly traces: number;
  /** By `service\toperation`. */
  readonly criticalPath: ReadonlyMap<string, { traces: number; spans: number; totalCriticalUs: number; averageShare: number }>;
  readonly selfTime: ReadonlyMap<string, { spans: number; totalSelfUs: number; p95SelfUs: number; shareOfTraceTime: number }>;
  readonly slowVsFast: {
    readonly entryP50Us: number;
    readonly entryP90Us: number;
    readonly slowTraces: number;
    readonly fastTraces: number;
    readonly growthUs: ReadonlyMap<string, number>;
  };
}

const nearestRank = (sorted: readonly number[], q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;

/**
 * The drill-down's numbers, from the reference alone: the traces holding a counted span, each one's
 * critical path and self times as jaeger-ui computes them, summed by hand. The entry span of a trace
 * is its counted span of least UI depth, earliest first.
 */
export function referenceBreakdown(
  traces: readonly RawTrace[],
  counted: (service: string, operation: string, startTime: number) => boolean,
): ReferenceBreakdown {
  const criticalPath = new Map<string, { traces: number; spans: number; totalCriticalUs: number; shares: number[] }>();
  const selfValues = new Map<string, number[]>();
  const perTrace: { entryUs: number; criticalByKey: Map<string, number> }[] = [];
  let tracedUs = 0;
  for (const raw of traces) {
    const trace = transformTraceData(raw);
    const countedSpans = trace.spans.filter((span) => counted(span.serviceName, span.operationName, span.startTime));
    if (countedSpans.length === 0) continue;
    tracedUs += trace.duration;
    const self = selfTimes(trace);
    for (const span of countedSpans) {
      const key = `${span.serviceName}\t${span.operationName}`;
      selfValues.set(key, [...(selfValues.get(key) ?? []), self.get(span.spanID) as number]);
    }
    const entry = countedSpans.reduce((best, span) =>
      span.depth < best.depth || (span.depth === best.depth && span.startTime < best.startTime) ? span : best,
    );
    const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
    const criticalByKey = new Map<string, number>();
    const spansByKey = new Map<string, Set<string>>();
    for (const section of referenceCriticalPath(raw)) {
      const span = byId.get(section.spanId) as UiSpan;
      const key = `${span.serviceName}\t${span.operationName}`;
      criticalByKey.set(key, (criticalByKey.get(key) ?? 0) + section.section_end - section.section_start);
      spansByKey.set(key, (spansByKey.get(key) ?? new Set()).add(section.spanId));
    }
    for (const [key, us] of criticalByKey) {
      const row = criticalPath.get(key) ?? { traces: 0, spans: 0, totalCriticalUs: 0, shares: [] };
      row.traces += 1;
      row.spans += (spansByKey.get(key) as Set<string>).size;
      row.totalCriticalUs += us;
      row.shares.push(us / trace.duration);
      criticalPath.set(key, row);
    }
    perTrace.push({ entryUs: entry.duration, criticalByKey });
  }
  const n = perTrace.length;
  const entries = perTrace.map((t) => t.entryUs).sort((a, b) => a - b);
  const entryP50Us = nearestRank(entries, 0.5);
  const entryP90Us = nearestRank(entries, 0.9);
  const slow = perTrace.filter((t) => t.entryUs > entryP90Us);
  const fast = perTrace.filter((t) => t.entryUs < entryP50Us);
  const mean = (cohort: typeof perTrace, key: string) => cohort.reduce((sum, t) => sum + (t.criticalByKey.get(key) ?? 0), 0) / cohort.length;
  const growthUs = new Map<string, number>();
  for (const key of criticalPath.keys()) {
    if (slow.length > 0 && fast.length > 0 && [...slow, ...fast].some((t) => t.criticalByKey.has(key))) {
      growthUs.set(key, Math.round(mean(slow, key) - mean(fast, key)));
    }
  }
  return {
    traces: n,
    criticalPath: new Map(
      [...criticalPath].map(([key, row]) => [
        key,
        { traces: row.traces, spans: row.spans, totalCriticalUs: row.totalCriticalUs, averageShare: row.shares.reduce((a, b) => a + b, 0) / n },
      ]),
    ),
    selfTime: new Map(
      [...selfValues].map(([key, values]) => {
        const sorted = values.slice().sort((a, b) => a - b);
        const total = sorted.reduce((a, b) => a + b, 0);
        return [key, { spans: values.length, totalSelfUs: total, p95SelfUs: nearestRank(sorted, 0.95), shareOfTraceTime: total / tracedUs }];
      }),
    ),
    slowVsFast: { entryP50Us, entryP90Us, slowTraces: slow.length, fastTraces: fast.length, growthUs },
  };
}
