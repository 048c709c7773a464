/**
 * Plans a search so that it costs what Jaeger costs when the window fits the limit, and spreads the
 * sample over the window when it does not (docs/adr/0004-window-planner.md).
 *
 * Why: Jaeger answers a search with the `limit` most recently received matching traces and nothing
 * more; it does not say how many it left out (`total` is always 0, jaeger-api.md §2.4, §8.1). The
 * memory store keeps traces in a ring buffer in the order their trace ID first arrived and walks it
 * backwards from the newest arrival, stopping at `limit` matches (§2.4 "Ordering and limit";
 * Elasticsearch/OpenSearch keep the `limit` traces whose matching spans started latest). So:
 *
 * 1. **One request first**, for the whole window at the full limit. Fewer traces than asked → that is
 *    every matching trace: complete and exact, one upstream request.
 * 2. **Full → a newest-first cut.** Since traces arrive about when they start, its traces cover
 *    `[t0, end]`, t0 the earliest matching span start among them (on the memory store only about:
 *    arrival order is not start order, so the stretch itself may miss some; it is a sample anyway).
 *    Its density says the window holds ≈ limit · W / (end − t0) traces, more than the limit, so the
 *    result can only be a sample, at the rate f = (end − t0) / W if it is to be `limit` traces spread
 *    evenly. The first answer's stretch keeps only its proportional share: the traces whose trace-ID
 *    hash is below f (`traceHash`), a deterministic uniform sample of that stretch (no newest-first
 *    bias inside it, and the same traces on every run). Re-planning the whole window instead would
 *    throw away a full answer already paid for.
 * 3. **The rest, `[start, t0)`,** goes out as follow-up sub-windows at once (the client bounds
 *    concurrency), each as long as the first answer's stretch where the budget allows (so each is
 *    expected to hold about `limit` traces, like the first), sharing what the first answer did not keep
 *    in proportion to their length. At the density seen, each holds ≈ its share / f traces, so each
 *    is expected to come back full: a newest-first cut of its own stretch, at the same rate as the
 *    rest, and reported as sampled. No share can be "expected to come back under it" once the window
 *    holds more than the limit: the shares add up to the limit, the traces to more. One that comes back
 *    under its share (traffic was thinner there) is complete for its stretch.
 *
 * The total asked for never exceeds the caller's limit; the request budget caps the follow-ups.
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
   * Fewest traces a follow-up sub-window asks for. Below ~20 a stratum's sample says little, and the
   * request costs as much as a bigger one.
   */
  readonly minTracesPerSubWindow?: number | undefined;
  /** Shortest follow-up sub-window. Below a second, span start times (µs) cluster and splitting gains nothing. */
  readonly minSubWindowUs?: number | undefined;
}

export const DEFAULT_MIN_TRACES_PER_SUB_WINDOW = 20;
export const DEFAULT_MIN_SUB_WINDOW_US = 1_000_000;
/** Follow-ups after a full first answer: 16 strata of a busy hour are under 4 minutes each. */
export const DEFAULT_MAX_FOLLOW_UPS = 16;

/** Upper bound on sub-window requests for one search: the first plus the follow-ups. */
export function defaultRequestBudget(): number {
  return 1 + DEFAULT_MAX_FOLLOW_UPS;
}

/** `total` split into `parts` whole shares that differ by at most one and sum to `total`. */
export function shareLimit(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < remainder ? 1 : 0));
}

/** `[startUs, endUs]` cut into contiguous pieces with whole-µs boundaries, one per limit. */
function slice(startUs: number, endUs: number, limits: readonly number[]): SubWindow[] {
  const parts = limits.length;
  const durationUs = endUs - startUs;
  return limits.map((limit, index) => ({
    startUs: startUs + Math.round((durationUs * index) / parts),
    endUs: index === parts - 1 ? endUs : startUs + Math.round((durationUs * (index + 1)) / parts) - 1,
    limit,
  }));
}

/** The first request: the whole window at the full limit. */
export function firstRequest(startUs: number, endUs: number, limit: number): SubWindow {
  if (!(endUs > startUs)) throw new RangeError(`the window must end after it starts (start ${startUs} µs, end ${endUs} µs)`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the trace limit must be a whole number ≥ 1, got ${limit}`);
  return { startUs, endUs, limit };
}

/**
 * FNV-1a of the trace ID (lower-cased hex, as normalised), as a number in [0, 1). Trace IDs are
 * random, so this is a uniform, deterministic draw per trace: "keep the traces whose hash is below f"
 * is a sample at rate f that is the same on every run and needs no state.
 */
export function traceHash(traceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < traceId.length; i++) {
    hash ^= traceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 4_294_967_296;
}

/**
 * The share of the window a newest-first answer reaching back to `oldestStartUs` covers, which is also
 * the rate at which it is kept: (end − t0) / W, in [0, 1].
 */
export function keepFraction(window: SubWindow, oldestStartUs: number): number {
  const widthUs = window.endUs - window.startUs;
  if (!(oldestStartUs > window.startUs)) return 1;
  return Math.max(0, Math.min(1, (window.endUs - oldestStartUs) / widthUs));
}

/**
 * The follow-ups of a full first answer whose earliest matching span started at `oldestStartUs`:
 * `[start, t0 − 1 µs]` cut into k equal sub-windows, k = as many as it takes for each to be no longer
 * than the first answer's stretch, capped by `requestsLeft`, by `minTracesPerSubWindow` per share and
 * by `minSubWindowUs` per sub-window; at least 1. They share `limit − keptFromFirst`.
 */
export function planFollowUps(
  window: SubWindow,
  oldestStartUs: number,
  keptFromFirst: number,
  requestsLeft: number,
  options: PlannerOptions = {},
): SubWindow[] {
  const minTraces = options.minTracesPerSubWindow ?? DEFAULT_MIN_TRACES_PER_SUB_WINDOW;
  const minDurationUs = options.minSubWindowUs ?? DEFAULT_MIN_SUB_WINDOW_US;
  const restEndUs = Math.ceil(oldestStartUs) - 1;
  const share = window.limit - keptFromFirst;
  if (restEndUs <= window.startUs || share < 1 || requestsLeft < 1) return [];
  const restUs = restEndUs - window.startUs;
  const stretchUs = Math.max(1, window.endUs - oldestStartUs);
  const count = Math.max(1, Math.min(requestsLeft, Math.ceil(restUs / stretchUs), Math.floor(share / minTraces), Math.floor(restUs / minDurationUs)));
  return slice(window.startUs, restEndUs, shareLimit(share, count));
}
