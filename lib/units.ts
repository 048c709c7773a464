/** Durations and instants carry their unit in the type so µs and ms never mix silently. */
export type Microseconds = number & { readonly __unit: 'us' };
export type Milliseconds = number & { readonly __unit: 'ms' };

export const asMicroseconds = (value: number): Microseconds => value as Microseconds;
export const asMilliseconds = (value: number): Milliseconds => value as Milliseconds;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
