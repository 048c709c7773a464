/**
 * Human durations as Jaeger's own search form writes them (`250ms`, `1.5s`, `500us`), converted to
 * integer microseconds. Go's time.ParseDuration units minus `ns`, which the UI never offers.
 */

const UNIT_US = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 } as const;
type Unit = keyof typeof UNIT_US;

const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;

/** Integer µs, or null when the text is not a duration. Sub-µs remainders round to the nearest µs. */
export function parseHumanDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const [, amount, unit] = match as unknown as [string, string, Unit];
  const [whole, fraction = ''] = amount.split('.');
  const scale = UNIT_US[unit];
  // Whole and fraction apart, rounded: 1.005s must be 1005000 µs, not 1.005 * 1e6 = 1004999.9999999999.
  const fractionUs = fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * scale);
  const us = Number(whole) * scale + fractionUs;
  return Number.isSafeInteger(us) ? us : null;
}

/** The shortest exact spelling: whole seconds or ms get `s`/`ms` (with up to 3 decimals), else `us`. */
export function formatHumanDuration(us: number): string {
  if (us >= 1_000_000 && us % 1_000 === 0) return `${trimDecimals(us / 1_000_000)}s`;
  if (us >= 1_000) return `${trimDecimals(us / 1_000)}ms`;
  return `${us}us`;
}

function trimDecimals(value: number): string {
  return String(Number(value.toFixed(3)));
}
