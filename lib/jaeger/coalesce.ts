/**
 * Identical queries that are in flight at the same time share one upstream call. The shared call runs
 * under its own AbortController, so one caller giving up (closing a tab) does not fail the others; it
 * is cancelled only when every caller has gone.
 */
export class RequestCoalescer {
  private readonly inFlight = new Map<string, { promise: Promise<unknown>; controller: AbortController; waiters: number }>();

  run<T>(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    let entry = this.inFlight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const promise = work(controller.signal).finally(() => {
        if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
      });
      // The shared promise may settle with no caller left to observe it.
      promise.catch(() => undefined);
      entry = { promise, controller, waiters: 0 };
      this.inFlight.set(key, entry);
    }
    const shared = entry;
    shared.waiters += 1;
    if (!signal) return shared.promise as Promise<T>;

    return raceSignal(shared.promise as Promise<T>, signal, () => {
      shared.waiters -= 1;
      if (shared.waiters === 0) {
        shared.controller.abort(signal.reason);
        if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
      }
    });
  }

  get size(): number {
    return this.inFlight.size;
  }
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as the caller aborts (after
 * `onAbort`), without cancelling the shared work behind `promise`.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort?.();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
