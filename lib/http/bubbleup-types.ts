/**
 * The JSON of `GET /api/bubbleup` (lib/server/bubbleup-service.ts), shared by the route and the
 * browser client. Pure types, beside api-types.ts.
 */
import type { BubbleUpResult, BUBBLEUP_DEFINITIONS } from '../metrics/bubbleup.ts';
import type { Coverage, SourceInfo } from './api-types.ts';

export type { BubbleUpAttribute } from '../metrics/bubbleup.ts';

export interface BubbleUpResponse extends BubbleUpResult {
  readonly source: SourceInfo;
  /** The parsed query written back in canonical form, cohort included. */
  readonly query: string;
  readonly cohort: {
    /** The cohort as asked (lib/query/cohort.ts grammar). */
    readonly spec: string;
    /** As matched: `slowerThan:pN` replaced by the minDuration it meant in this window. */
    readonly resolved: string;
    /** `baselineCohort` as matched, when the baseline is not simply the rest. */
    readonly baseline?: string;
  };
  readonly windowStartUs: number;
  readonly windowEndUs: number;
  readonly coverage: Coverage;
  readonly definitions: { readonly [K in keyof typeof BUBBLEUP_DEFINITIONS]: string } & { readonly errorRule: string };
}
