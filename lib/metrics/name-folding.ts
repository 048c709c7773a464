/**
 * Folding of ID-laden span names (`GET /items/12345` → `GET /items/{id}`), so that one route is one series in
 * GET /metrics and one row on the dashboard instead of one per customer, order or trace.
 *
 * Only whole tokens fold, never part of a word: a name is cut at `/`, whitespace and the query-string
 * punctuation `? & = ; , #`, and a token folds only when all of it is one of the kinds below. Each kind keeps its
 * own placeholder, so `/orders/{id}` and `/orders/{uuid}` stay two names (they are usually two routes) and a
 * reader sees what was there.
 *
 * | kind   | placeholder | a token that is…                                                          |
 * |--------|-------------|---------------------------------------------------------------------------|
 * | uuid   | `{uuid}`    | 8-4-4-4-12 hex digits (`3f2b…-…`)                                          |
 * | date   | `{date}`    | `YYYY-MM-DD`, optionally with a `T…` time of day                           |
 * | email  | `{email}`   | `local@domain.tld`                                                         |
 * | hex    | `{hex}`     | ≥ 8 hex digits of one case with at least one digit and one letter (Mongo object IDs, trace IDs, hashes) |
 * | number | `{id}`      | digits only: any length right after `/` or `=` (`/owners/8`), ≥ 6 digits elsewhere |
 *
 * Names already templated by their instrumentation (`GET /api/users/:id`, `/api/services/{service}/operations`)
 * and words such as `v1`, `okey-dokey-0`, `books:3009`, `deadbeef` (no digit) or `HTTP/1.1` are left alone.
 */

const DELIMITERS = /([/\s?&=;,#]+)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;
const HEX_LOWER = /^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$/;
const HEX_UPPER = /^(?=[0-9A-F]*\d)(?=[0-9A-F]*[A-F])[0-9A-F]{8,}$/;
const DIGITS = /^\d+$/;
/** Outside a path segment or a query value a short number is more likely part of the name (`SELECT 1`, `HTTP 200`). */
const MIN_FREE_STANDING_DIGITS = 6;

function placeholderFor(token: string, delimiterBefore: string): string | null {
  if (UUID.test(token)) return '{uuid}';
  if (DATE.test(token)) return '{date}';
  if (EMAIL.test(token)) return '{email}';
  if (DIGITS.test(token)) {
    const inPathOrValue = delimiterBefore.endsWith('/') || delimiterBefore.endsWith('=');
    return inPathOrValue || token.length >= MIN_FREE_STANDING_DIGITS ? '{id}' : null;
  }
  if (HEX_LOWER.test(token) || HEX_UPPER.test(token)) return '{hex}';
  return null;
}

/** The name with every ID-like token replaced by its kind's placeholder; the name itself when nothing folds. */
export function foldSpanName(name: string): string {
  // split with a capturing group alternates token, delimiter, token, …: even indexes are tokens.
  const parts = name.split(DELIMITERS);
  let changed = false;
  for (let index = 0; index < parts.length; index += 2) {
    const token = parts[index] as string;
    if (token === '') continue;
    const placeholder = placeholderFor(token, index > 0 ? (parts[index - 1] as string) : '');
    if (placeholder !== null) {
      parts[index] = placeholder;
      changed = true;
    }
  }
  return changed ? parts.join('') : name;
}

const PLACEHOLDER = /\{(?:id|uuid|hex|date|email)\}/;

/** Whether a name carries a placeholder foldSpanName writes, i.e. may stand for many raw names. */
export const isFoldedName = (name: string): boolean => PLACEHOLDER.test(name);
