import { JaegerError } from './errors.ts';

/**
 * One process-wide budget of Jaeger response bytes in flight. JAEGER_MAX_RESPONSE_MB caps one answer,
 * but JAEGER_MAX_CONCURRENCY answers (times every client in the process) may stream at once; this caps
 * their sum. A response reserves each chunk as it comes off the socket and releases it once its reader
 * has consumed it (asked for the next chunk), or, for a reader that keeps the whole body (http-get.ts
 * `readText`), when the response ends.
 *
 * When the budget is full the reading waits: the chunk stays unread-on, so the socket stops being
 * drained and TCP slows Jaeger down (back-pressure), and the chunk goes on as soon as others release
 * enough, first come first served. A streamed search releases every chunk within one parse run, so
 * waiting is the normal, short outcome. It fails with InflightBudgetError instead when waiting cannot
 * end well: the request's own deadline passes while it waits (JAEGER_TIMEOUT_MS), one answer alone
 * would need more than the whole budget, or every answer holding bytes is itself waiting (answers read
 * whole, waiting on each other: nobody would ever release).
 *
 * Not counted: the one chunk a waiting reader has in hand (what the socket buffered, ~64–128 KiB) and
 * what readers build from the bytes (a streamed search's current run, ~1 MB; parsed traces). A chunk
 * larger than the whole budget goes on alone when nothing else is reserved.
 */
export class InflightBudget {
  private reservedBytes = 0;
  private peakBytes = 0;
  private waitCount = 0;
  private readonly queue: Waiter[] = [];
  private readonly leases = new Set<InflightLease>();

  constructor(private limitBytes: number) {
    checkLimit(limitBytes);
  }

  get limit(): number {
    return this.limitBytes;
  }

  /** Bytes reserved now, over every open response. */
  get reserved(): number {
    return this.reservedBytes;
  }

  /** The most ever reserved at once. */
  get peak(): number {
    return this.peakBytes;
  }

  /** How many reservations had to wait for released bytes. */
  get waits(): number {
    return this.waitCount;
  }

  /** Changes the limit (JAEGER_MAX_INFLIGHT_MB on start-up); waiters that now fit go on. */
  setLimit(limitBytes: number): void {
    checkLimit(limitBytes);
    this.limitBytes = limitBytes;
    this.grant();
  }

  /** One response's account; `close` it when the response is done, however it ends. */
  open(url: string): InflightLease {
    const lease = new InflightLease(this, url);
    this.leases.add(lease);
    return lease;
  }

  /** @internal */
  reserve(lease: InflightLease, bytes: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    // Holding bytes already and needing more than the whole budget: no release by others can help.
    if (lease.held > 0 && lease.held + bytes > this.limitBytes) {
      return Promise.reject(
        new InflightBudgetError(
          `Jaeger's answer to ${lease.url} needs more than the whole response budget of ${mb(this.limitBytes)} MB held at once, so it cannot be read; ` +
            'narrow the window or lower the limit (or raise JAEGER_MAX_INFLIGHT_MB).',
        ),
      );
    }
    if (this.queue.length === 0 && this.fits(bytes)) {
      this.take(lease, bytes);
      return Promise.resolve();
    }
    this.waitCount += 1;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        lease,
        bytes,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          lease.waiting = false;
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          lease.waiting = false;
          reject(error);
        },
      };
      const onAbort = (): void => {
        this.remove(waiter);
        waiter.reject(
          new InflightBudgetError(
            `Jaeger's answers in flight held the whole response budget of ${mb(this.limitBytes)} MB for ${timeoutMs} ms, so the answer to ${lease.url} ` +
              'could not be read in time; try again, narrow the window, or raise JAEGER_MAX_INFLIGHT_MB.',
          ),
        );
        this.grant();
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      lease.waiting = true;
      this.queue.push(waiter);
      this.breakDeadlock();
    });
  }

  /** @internal */
  release(lease: InflightLease, bytes: number): void {
    const amount = Math.min(bytes, lease.held);
    if (amount <= 0) return;
    lease.held -= amount;
    this.reservedBytes -= amount;
    this.grant();
  }

  /** @internal */
  close(lease: InflightLease): void {
    for (const waiter of this.queue.filter((entry) => entry.lease === lease)) {
      this.remove(waiter);
      waiter.reject(new InflightBudgetError(`the answer to ${lease.url} ended while it waited for the response budget`));
    }
    this.leases.delete(lease);
    this.release(lease, lease.held);
  }

  /**
   * A chunk bigger than the whole budget (the stream hands over what it has buffered, so its size
   * varies) still goes on, alone, once nothing else is reserved: it is one chunk, not a flood.
   */
  private fits(bytes: number): boolean {
    return this.reservedBytes + bytes <= this.limitBytes || this.reservedBytes === 0;
  }

  private take(lease: InflightLease, bytes: number): void {
    lease.held += bytes;
    this.reservedBytes += bytes;
    if (this.reservedBytes > this.peakBytes) this.peakBytes = this.reservedBytes;
  }

  private remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** First come first served: a big reservation at the head is not overtaken by small ones behind it. */
  private grant(): void {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || !this.fits(head.bytes)) break;
      this.queue.shift();
      this.take(head.lease, head.bytes);
      head.resolve();
    }
    this.breakDeadlock();
  }

  /**
   * Bytes come back only from a response whose reader is not itself waiting. If every response holding
   * bytes waits, none ever will: the newest waiter gives up (and its release lets the others on).
   */
  private breakDeadlock(): void {
    if (this.queue.length === 0) return;
    for (const lease of this.leases) if (lease.held > 0 && !lease.waiting) return;
    const newest = this.queue.pop();
    if (newest === undefined) return;
    newest.reject(
      new InflightBudgetError(
        `Jaeger's answers in flight filled the whole response budget of ${mb(this.limitBytes)} MB while each waited for more, so the answer to ${newest.lease.url} ` +
          'was given up; try again, narrow the window, or raise JAEGER_MAX_INFLIGHT_MB.',
      ),
    );
  }
}

/** One response's bytes reserved in an InflightBudget. */
export class InflightLease {
  /** Bytes this response holds reserved now. */
  held = 0;
  /** @internal Waiting in the budget's queue. */
  waiting = false;
  /** The reader keeps every chunk: nothing is released before the response ends (`close`). */
  holdsWhole = false;

  constructor(
    private readonly budget: InflightBudget,
    readonly url: string,
  ) {}

  /**
   * Reserves `bytes`, waiting while the budget is full. `signal` is the request's own (its deadline of
   * `timeoutMs` and the caller's abort); when it aborts while waiting, InflightBudgetError.
   */
  reserve(bytes: number, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    return this.budget.reserve(this, bytes, signal, timeoutMs);
  }

  release(bytes: number): void {
    this.budget.release(this, bytes);
  }

  /** Releases everything this response holds and leaves the budget. */
  close(): void {
    this.budget.close(this);
  }
}

interface Waiter {
  readonly lease: InflightLease;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The response budget could not hold an answer's bytes. Like JaegerResponseTooLargeError (same code,
 * a 502 at the route) and, like it, not retried: trying the same GET at once meets the same full budget.
 */
export class InflightBudgetError extends JaegerError {
  override readonly name = 'InflightBudgetError';
  readonly code = 'jaeger_response_too_large';
}

const DEFAULT_INFLIGHT_BYTES = 512 * 1_048_576;

const mb = (bytes: number): string => String(Math.round((bytes / 1_048_576) * 10) / 10);

function checkLimit(limitBytes: number): void {
  if (!Number.isFinite(limitBytes) || limitBytes < 1) throw new RangeError(`the response budget must be at least 1 byte, got ${limitBytes}`);
}

// On globalThis: `next dev` re-evaluates modules on change, and responses in flight must release into
// the budget they reserved from.
const holder = globalThis as { __spanlensInflightBudget?: InflightBudget };

/** The budget every Jaeger response in this process reserves from (http-get.ts). */
export function processInflightBudget(): InflightBudget {
  return (holder.__spanlensInflightBudget ??= new InflightBudget(DEFAULT_INFLIGHT_BYTES));
}
