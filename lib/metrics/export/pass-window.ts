/**
 * Which spans one exporter pass counts, for one service. A span belongs to the pass whose end-time
 * interval holds its end (start + duration): passes tile time as [cursor, to) with `to` = now − settle
 * (late spans have that long to reach Jaeger and join their traces), so each span falls in exactly one.
 * The pass also re-reads the `lateHorizonUs` before its cursor for spans that arrived later than the
 * settle delay; the ledger (span-ledger.ts) tells those apart from spans already counted.
 *
 * Jaeger searches by span start, so the search reaches back `maxSpanUs` before the earliest end it
 * counts: a span longer than that, starting before the search, is not seen. That look-back is searched in
 * pieces with a minimum duration (`searchPieces`), so each pass downloads little more than its new spans.
 * Pure: times in, plan out.
 */

export interface PassInput {
  /** End of what this service has counted so far (µs): the previous pass's `toUs`. */
  readonly cursorUs: number;
  readonly nowUs: number;
  readonly settleUs: number;
  readonly lateHorizonUs: number;
  readonly maxSpanUs: number;
  /** The ledger's floor: spans ending before it may have been counted and forgotten. */
  readonly floorUs: number;
  /** The tail's first instant (start-up minus backfill): nothing before it is ever counted. */
  readonly tailStartUs: number;
}

/** Inclusive range of span start times, whole µs (Jaeger's search bounds are inclusive), and the shortest span it needs. */
export interface StartRange {
  readonly startUs: number;
  readonly endUs: number;
  /** Spans starting in this range can only be due if at least this long (0: any). */
  readonly minDurationUs: number;
}

export interface PassPlan {
  /** Spans ending in [countFromUs, toUs) are due (unless already counted). */
  readonly countFromUs: number;
  readonly toUs: number;
  /** Due spans ending before this arrived after the settle delay of their own pass. */
  readonly cursorUs: number;
  readonly search: StartRange;
}

/** The plan for one pass, or null when the settled time has not moved past the cursor. */
export function planPass(input: PassInput): PassPlan | null {
  const toUs = Math.floor(input.nowUs - input.settleUs);
  if (toUs <= input.cursorUs) return null;
  const countFromUs = Math.max(input.cursorUs - input.lateHorizonUs, input.floorUs, input.tailStartUs);
  return {
    countFromUs,
    toUs,
    cursorUs: input.cursorUs,
    search: { startUs: Math.floor(countFromUs - input.maxSpanUs), endUs: toUs - 1, minDurationUs: 0 },
  };
}

export const spanEndUs = (span: { readonly startUs: number; readonly durationUs: number }): number => span.startUs + span.durationUs;

/** Whether a span (of the pass's service) is due in this pass and this start range: its start picks one range. */
export function isDue(plan: PassPlan, range: StartRange, span: { readonly startUs: number; readonly durationUs: number }): boolean {
  if (span.startUs < range.startUs || span.startUs > range.endUs) return false;
  const endUs = spanEndUs(span);
  return endUs >= plan.countFromUs && endUs < plan.toUs;
}

/** The look-back piece nearest the counted interval: spans starting this shortly before it are searched whatever their length. */
export const FIRST_LOOKBACK_US = 10_000_000;
const LOOKBACK_GROWTH = 4;

/**
 * The plan's search as start ranges with minimum durations: [countFrom − 10 s, to) takes any span, then
 * [countFrom − 40 s, countFrom − 10 s) only spans ≥ 10 s, [countFrom − 160 s, countFrom − 40 s) ≥ 40 s, …
 * down to the plan's search start. A span starting d before countFrom ends in the pass only if it lasts
 * more than d, so no due span is left out, and the long look-back costs only the few long spans.
 */
export function searchPieces(plan: PassPlan): StartRange[] {
  const pieces: StartRange[] = [
    { startUs: Math.max(plan.search.startUs, plan.countFromUs - FIRST_LOOKBACK_US), endUs: plan.search.endUs, minDurationUs: 0 },
  ];
  for (let nearUs = FIRST_LOOKBACK_US; plan.countFromUs - nearUs > plan.search.startUs; nearUs *= LOOKBACK_GROWTH) {
    const farStartUs = Math.max(plan.search.startUs, plan.countFromUs - nearUs * LOOKBACK_GROWTH);
    pieces.push({ startUs: farStartUs, endUs: plan.countFromUs - nearUs - 1, minDurationUs: nearUs });
  }
  return pieces;
}

/** Two halves of a start range that came back cut at Jaeger's limit, or null when it is too short to split. */
export function splitRange(range: StartRange, minWidthUs: number): readonly [StartRange, StartRange] | null {
  const widthUs = range.endUs - range.startUs;
  if (widthUs < 2 * minWidthUs) return null;
  const middleUs = range.startUs + Math.floor(widthUs / 2);
  return [
    { startUs: range.startUs, endUs: middleUs, minDurationUs: range.minDurationUs },
    { startUs: middleUs + 1, endUs: range.endUs, minDurationUs: range.minDurationUs },
  ];
}
