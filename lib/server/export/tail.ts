import 'server-only';
import type { TraceSource } from '../../jaeger/source.ts';
import type { Span } from '../../jaeger/span.ts';
import { isDue, planPass, searchPieces, spanEndUs, splitRange, type PassPlan, type StartRange } from '../../metrics/export/pass-window.ts';
import { SpanLedger } from '../../metrics/export/span-ledger.ts';
import { mapLimited, SERVICE_CONCURRENCY } from '../per-service.ts';

/**
 * The exporter's tail of a Jaeger: every pass, for every service, the spans that ended since that
 * service's last pass (pass-window.ts), each counted once (span-ledger.ts), handed to `count`.
 *
 * Never silently short: a search Jaeger cut at its limit is thrown away and its start range split in
 * two, down to `minSplitUs`; one still cut there is counted as it is and reported (`limit`). A search
 * that fails leaves the service's cursor where it was, so the next pass reads the interval again
 * (reported as `error`; the ledger keeps what was already counted from being counted twice).
 */

export interface TailConfig {
  readonly tailStartUs: number;
  readonly intervalMs: number;
  readonly settleUs: number;
  readonly lateHorizonUs: number;
  readonly maxSpanUs: number;
  readonly maxTrackedSpans: number;
  /** Traces asked for per search: a search that comes back with this many is cut. */
  readonly traceLimit: number;
  readonly minSplitUs: number;
}

export type IncompleteReason = 'limit' | 'error';

export interface TailEvents {
  /** One span to count, of the service its pass searched. */
  count(span: Span, late: boolean): void;
  upstreamError(service: string | null, message: string): void;
  incomplete(service: string, reason: IncompleteReason, range: StartRange): void;
  passDone(stats: PassStats): void;
}

export interface PassStats {
  readonly durationS: number;
  readonly services: number;
  /** Seconds from the earliest service cursor to now: how far behind the counts are. */
  readonly lagS: number;
  readonly trackedSpans: number;
  readonly evictedSpans: number;
}

interface ServiceState {
  cursorUs: number;
  readonly ledger: SpanLedger;
  /** The last pass failed: part of [cursor, …) may already be counted, so the ledger's floor applies there too. */
  retrying: boolean;
}

export class ExportTail {
  private readonly services = new Map<string, ServiceState>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  private readonly source: TraceSource;
  private readonly config: TailConfig;
  private readonly events: TailEvents;
  private readonly clockMs: () => number;

  constructor(source: TraceSource, config: TailConfig, events: TailEvents, clockMs: () => number = Date.now) {
    this.source = source;
    this.config = config;
    this.events = events;
    this.clockMs = clockMs;
  }

  /** Passes every intervalMs (start to start) until stop(); the first one at once. */
  start(): void {
    const loop = (): void => {
      const startedMs = this.clockMs();
      this.running = this.runPass().finally(() => {
        this.running = null;
        if (this.stopped) return;
        this.timer = setTimeout(loop, Math.max(0, this.config.intervalMs - (this.clockMs() - startedMs)));
        // The tail must never keep a process (a test, a CLI) alive on its own.
        this.timer.unref();
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every service Jaeger lists now. */
  async runPass(): Promise<void> {
    const startedMs = this.clockMs();
    let names: string[];
    try {
      names = await this.source.listServices();
    } catch (error) {
      this.events.upstreamError(null, messageOf(error));
      names = [];
    }
    for (const name of names) {
      if (!this.services.has(name))
        this.services.set(name, { cursorUs: this.config.tailStartUs, ledger: new SpanLedger(this.config.maxTrackedSpans), retrying: false });
    }
    const nowUs = this.clockMs() * 1_000;
    await mapLimited(names, SERVICE_CONCURRENCY, (name) => this.passService(name, this.services.get(name) as ServiceState, nowUs));
    let earliestCursorUs = Number.POSITIVE_INFINITY;
    let trackedSpans = 0;
    let evictedSpans = 0;
    for (const state of this.services.values()) {
      earliestCursorUs = Math.min(earliestCursorUs, state.cursorUs);
      trackedSpans += state.ledger.size;
      evictedSpans += state.ledger.evicted;
    }
    const endedMs = this.clockMs();
    this.events.passDone({
      durationS: (endedMs - startedMs) / 1_000,
      services: names.length,
      lagS: Number.isFinite(earliestCursorUs) ? Math.max(0, endedMs / 1_000 - earliestCursorUs / 1_000_000) : 0,
      trackedSpans,
      evictedSpans,
    });
  }

  private async passService(service: string, state: ServiceState, nowUs: number): Promise<void> {
    const { settleUs, lateHorizonUs, maxSpanUs, tailStartUs } = this.config;
    const plan = planPass({ cursorUs: state.cursorUs, nowUs, settleUs, lateHorizonUs, maxSpanUs, floorUs: this.floorUs(state), tailStartUs });
    if (plan === null) return;
    try {
      for (const piece of searchPieces(plan)) await this.countRange(service, state, plan, piece);
    } catch (error) {
      this.events.upstreamError(service, messageOf(error));
      this.events.incomplete(service, 'error', plan.search);
      state.retrying = true;
      return;
    }
    state.retrying = false;
    state.cursorUs = plan.toUs;
    state.ledger.prune(plan.toUs - lateHorizonUs);
  }

  /**
   * Ends below this are not counted: the ledger may have forgotten them. Only the re-read horizon (before
   * the cursor) can hold spans counted earlier, unless the last pass failed part-way through.
   */
  private floorUs(state: ServiceState): number {
    return state.retrying ? state.ledger.floorUs : Math.min(state.ledger.floorUs, state.cursorUs);
  }

  private async countRange(service: string, state: ServiceState, plan: PassPlan, range: StartRange): Promise<void> {
    const due: Span[] = [];
    const coverage = await this.source.searchTraces(
      {
        service,
        tags: {},
        startUs: range.startUs,
        endUs: range.endUs,
        minDurationUs: range.minDurationUs > 0 ? range.minDurationUs : undefined,
        limit: this.config.traceLimit,
      },
      (traces) => {
        // Whole traces come back: only this service's own spans count here (the others in their own service's pass).
        for (const trace of traces) for (const span of trace.spans) if (span.service === service && isDue(plan, range, span)) due.push(span);
      },
    );
    if (coverage.subWindowsAtLimit > 0) {
      const halves = splitRange(range, this.config.minSplitUs);
      if (halves !== null) {
        for (const half of halves) await this.countRange(service, state, plan, half);
        return;
      }
      this.events.incomplete(service, 'limit', range);
    }
    for (const span of due) {
      const endUs = spanEndUs(span);
      const key = SpanLedger.key(span.traceId, span.spanId);
      // Below the floor the ledger has forgotten what it counted: such a span may have been counted already.
      if (state.ledger.has(key) || endUs < this.floorUs(state)) continue;
      state.ledger.add(key, endUs);
      this.events.count(span, endUs < plan.cursorUs);
    }
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
