/**
 * Units and the one grammar for durations and instants, shared by the URL, the routes, the CLI and
 * the Jaeger links. Every duration is an integer number of µs, every instant µs since the epoch.
 */

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;

const UNIT_US = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
  w: 604_800_000_000,
} as const;
type Unit = keyof typeof UNIT_US;

// Longer units first inside the alternation: `ms` must win over `m`.
const TERM = /(\d+(?:\.\d+)?)(ms|us|µs|s|m|h|d|w)/y;

/**
 * `250ms`, `1.5s`, `500us`/`500µs`, `2m`, `1h30m`, `2d`, `1w` → integer µs; null when the text is
 * not such a duration. Go's time.ParseDuration units (what Jaeger's own search form takes) plus
 * `d` and `w`, minus `ns`. Sub-µs remainders round to the nearest µs.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  TERM.lastIndex = 0;
  let total = 0;
  while (TERM.lastIndex < trimmed.length) {
    const at = TERM.lastIndex;
    const match = TERM.exec(trimmed);
    if (match === null || match.index !== at) return null;
    const [, amount, unit] = match as unknown as [string, string, Unit];
    const [whole, fraction = ''] = amount.split('.');
    const scale = UNIT_US[unit];
    // Whole and fraction apart, rounded: 1.005s must be 1005000 µs, not 1.005 * 1e6 = 1004999.9999999999.
    total += Number(whole) * scale + (fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * scale));
  }
  return Number.isSafeInteger(total) ? total : null;
}

/**
 * The shortest exact spelling that Go's time.ParseDuration also reads (Jaeger's search links take
 * it): whole seconds or ms get `s`/`ms` with up to 3 decimals, else `us`.
 */
export function formatDuration(us: number): string {
  if (us >= US_PER_SECOND && us % 1_000 === 0) return `${trimDecimals(us / US_PER_SECOND)}s`;
  if (us >= US_PER_MS) return `${trimDecimals(us / US_PER_MS)}ms`;
  return `${us}us`;
}

/** Whole minutes and more as `2d`, `1h30m`, `90s`…; anything else as formatDuration. For lookbacks. */
export function formatCompactDuration(us: number): string {
  if (us < UNIT_US.m || us % US_PER_SECOND !== 0) return formatDuration(us);
  let rest = us;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const count = Math.floor(rest / UNIT_US[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * UNIT_US[unit];
  }
  return text;
}

function trimDecimals(value: number): string {
  return String(Number(value.toFixed(3)));
}

// A date alone (UTC midnight), or a date and time with a zone: a zoneless time would mean something
// different in every browser and shell that reads it.
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * `2026-11-23`, `2026-11-23T09:00Z`, `2026-11-23T09:00:00.123456+01:00` (a space may stand for the T,
 * `+0100` for `+01:00`) → µs since the epoch, keeping the µs digits typed; null when it is none of these.
 */
export function parseInstant(text: string): number | null {
  const match = INSTANT.exec(text.trim());
  if (match === null) return null;
  const [, date, hoursMinutes, seconds = '00', fraction = '', zone] = match;
  const normalisedZone = zone === undefined || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = hoursMinutes === undefined ? `${date}T00:00:00Z` : `${date}T${hoursMinutes}:${seconds}${normalisedZone}`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0 || !isCalendarDate(date as string)) return null;
  return ms * US_PER_MS + Number(fraction.slice(0, 6).padEnd(6, '0'));
}

/** Date.parse rolls 2026-02-30 over to March 2; a date that does not exist is not an instant. */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

/** ISO 8601 in UTC with ms, and the µs digits when there are any: parseInstant reads it back exactly. */
export function formatInstant(us: number): string {
  const ms = Math.floor(us / US_PER_MS);
  const iso = new Date(ms).toISOString();
  const extraUs = us - ms * US_PER_MS;
  return extraUs === 0 ? iso : `${iso.slice(0, -1)}${String(extraUs).padStart(3, '0')}Z`;
}
