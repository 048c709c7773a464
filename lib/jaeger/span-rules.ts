/**
 * The span rules every part of Spanlens shares: which spans a search matches, how a tag filter
 * compares, what counts as an error, how a grouping key reads a tag, and how strings sort.
 * Pure: no I/O, no env; imports only the span types.
 */

/**
 * Orders strings by UTF-16 code units, the order `Array.prototype.sort` uses without a comparator
 * (and Go's string `<` for ASCII), so results do not depend on the runtime's locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
