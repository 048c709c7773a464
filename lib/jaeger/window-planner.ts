/**
 * Splits a search window into sub-windows so that a capped sample is spread over the whole window.
 *
 * Why: Jaeger answers a search with the `limit` most recently received matching traces and nothing
 * more; it does not say how many it left out (`total` is always 0, jaeger-api.md §2.4, §8.1). One
 * query over a busy hour therefore sees only its last minutes. Asking k sub-windows for limit/k each
 * stratifies the sample by time: every part of the window is represented, and a sub-window that
 * comes back with fewer traces than it asked for is known to be complete.
 *
 * Adaptive: a sub-window that comes back full is still a newest-first cut of its own stretch. If the
 * request budget allows, it is split in two and each half asked again, with half of its share plus a
 * share of the traces that complete sub-windows did not use; the full answer is then dropped in favour
 * of the halves. This repeats until nothing is full, the halves would become too short or too small
 * to be worth a request, or the budget runs out. The total asked for never exceeds the caller's limit.
 *
 * Pure: no I/O, no clock; lib/jaeger/jaeger-source.ts drives it.
 */

export interface SubWindow {
  readonly startUs: number;
  readonly endUs: number;
  /** Traces this sub-window asks Jaeger for. */
  readonly limit: number;
}

export interface PlannerOptions {
  /**
   * Sub-windows of the first round. 8 slices a busy hour into 7.5-minute strata: enough to see a
   * trend inside the window, few enough that the default 2,000-trace limit still gives each 250.
   */
  readonly initialSubWindows?: number | undefined;
  /**
   * Fewest traces a sub-window asks for. Below ~20 a stratum's sample says little, and the request
   * costs as much as a bigger one.
   */
  readonly minTracesPerSubWindow?: number | undefined;
  /** Shortest sub-window. Below a second, span start times (µs) cluster and splitting gains nothing. */
  readonly minSubWindowUs?: number | undefined;
}

export const DEFAULT_INITIAL_SUB_WINDOWS = 8;
export const DEFAULT_MIN_TRACES_PER_SUB_WINDOW = 20;
export const DEFAULT_MIN_SUB_WINDOW_US = 1_000_000;

const resolved = (options: PlannerOptions) => ({
  initialSubWindows: options.initialSubWindows ?? DEFAULT_INITIAL_SUB_WINDOWS,
  minTraces: options.minTracesPerSubWindow ?? DEFAULT_MIN_TRACES_PER_SUB_WINDOW,
  minDurationUs: options.minSubWindowUs ?? DEFAULT_MIN_SUB_WINDOW_US,
});

/** `total` split into `parts` whole shares that differ by at most one and sum to `total`. */
export function shareLimit(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < remainder ? 1 : 0));
}

/** `[startUs, endUs]` cut into `parts` contiguous pieces with whole-µs boundaries. */
function slice(startUs: number, endUs: number, limits: readonly number[]): SubWindow[] {
  const parts = limits.length;
  const durationUs = endUs - startUs;
  return limits.map((limit, index) => ({
    startUs: startUs + Math.round((durationUs * index) / parts),
    endUs: index === parts - 1 ? endUs : startUs + Math.round((durationUs * (index + 1)) / parts),
    limit,
  }));
}

/** The first round: as many sub-windows as the options allow, each with its share of `limit`. */
export function planSubWindows(startUs: number, endUs: number, limit: number, options: PlannerOptions = {}): SubWindow[] {
  if (!(endUs > startUs)) throw new RangeError(`the window must end after it starts (start ${startUs} µs, end ${endUs} µs)`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the trace limit must be a whole number ≥ 1, got ${limit}`);
  const { initialSubWindows, minTraces, minDurationUs } = resolved(options);
  const count = Math.max(1, Math.min(initialSubWindows, Math.floor(limit / minTraces), Math.floor((endUs - startUs) / minDurationUs)));
  return slice(startUs, endUs, shareLimit(limit, count));
}

/**
 * Upper bound on sub-window requests for one search: the first round plus three more rounds' worth,
 * so a window whose every stratum is full can still be refined about twice over, while one dashboard
 * load stays a bounded number of requests however busy the service is.
 */
export function defaultRequestBudget(initialCount: number): number {
  return initialCount * 4;
}

export interface Refinement {
  /** Sub-windows to ask next, replacing the parents they came from. */
  readonly children: SubWindow[];
  /** Full sub-windows left as they are: their answers are kept and reported as sampled. */
  readonly kept: SubWindow[];
  /** Unused traces handed to the children. */
  readonly spareUsed: number;
}

/**
 * Which full sub-windows to split next. Each split costs two requests; when the budget does not cover
 * all, the longest are split first (the longest unseen stretch gains most), ties by start time so the
 * plan is deterministic. `spareTraces` (what complete sub-windows asked for but did not get) is
 * divided evenly among the splits.
 */
export function refineFullSubWindows(
  full: readonly SubWindow[],
  spareTraces: number,
  requestsLeft: number,
  options: PlannerOptions = {},
): Refinement {
  const { minTraces, minDurationUs } = resolved(options);
  const affordable = Math.max(0, Math.floor(requestsLeft / 2));
  const order = [...full].sort((a, b) => b.endUs - b.startUs - (a.endUs - a.startUs) || a.startUs - b.startUs);
  const splittable = order.filter((window) => window.endUs - window.startUs >= 2 * minDurationUs);
  const chosen = new Set<SubWindow>();
  for (const window of splittable) {
    if (chosen.size >= affordable) break;
    chosen.add(window);
  }
  const sparePerSplit = chosen.size > 0 ? Math.floor(Math.max(0, spareTraces) / chosen.size) : 0;
  const children: SubWindow[] = [];
  const kept: SubWindow[] = [];
  let spareUsed = 0;
  for (const window of full) {
    const halves = shareLimit(window.limit + sparePerSplit, 2);
    if (!chosen.has(window) || (halves[1] ?? 0) < minTraces) {
      kept.push(window);
      continue;
    }
    spareUsed += sparePerSplit;
    children.push(...slice(window.startUs, window.endUs, halves));
  }
  return { children, kept, spareUsed };
}
