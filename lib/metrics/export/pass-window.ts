/**
 * Which spans one exporter pass counts, for one service. A span belongs to the pass whose end-time
 * interval holds its end (start + duration): passes tile time as [cursor, to) with `to` = now − settle
 * (late spans have that long to reach Jaeger and join their traces), so each span falls in exactly one.
 * The pass also re-reads the `lateHorizonUs` before its cursor for spans that arrived later than the
 * settle delay; the ledger (span-ledger.ts) tells those apart from spans already counted.
 *
 * Jaeger searches by span start, so the search reaches back `maxSpanUs` before the earliest end it
 * counts: a span longer than that, starting before the search, is not seen. Pure: times in, plan out.
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

/** Inclusive range of span start times, whole µs (Jaeger's search bounds are inclusive). */
export interface StartRange {
  readonly startUs: number;
  readonly endUs: number;
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
  return { countFromUs, toUs, cursorUs: input.cursorUs, search: { startUs: Math.floor(countFromUs - input.maxSpanUs), endUs: toUs - 1 } };
}

export const spanEndUs = (span: { readonly startUs: number; readonly durationUs: number }): number => span.startUs + span.durationUs;

/** Whether a span (of the pass's service) is due in this pass and this start range: its start picks one range. */
export function isDue(plan: PassPlan, range: StartRange, span: { readonly startUs: number; readonly durationUs: number }): boolean {
  if (span.startUs < range.startUs || span.startUs > range.endUs) return false;
  const endUs = spanEndUs(span);
  return endUs >= plan.countFromUs && endUs < plan.toUs;
}

/** Two halves of a start range that came back cut at Jaeger's limit, or null when it is too short to split. */
export function splitRange(range: StartRange, minWidthUs: number): readonly [StartRange, StartRange] | null {
  const widthUs = range.endUs - range.startUs;
  if (widthUs < 2 * minWidthUs) return null;
  const middleUs = range.startUs + Math.floor(widthUs / 2);
  return [
    { startUs: range.startUs, endUs: middleUs },
    { startUs: middleUs + 1, endUs: range.endUs },
  ];
}
