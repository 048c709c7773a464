/**
 * CSV for the table downloads (`format=csv`): RFC 4180 (CRLF between records, a field holding a comma,
 * a quote, CR or LF is quoted and its quotes doubled) with every text cell neutralised against CSV
 * injection. Pure string work.
 */

/** What a cell holds: text from spans (untrusted), or a number, flag or nothing that Spanlens computed. */
export type CsvValue = string | number | boolean | null;

export interface CsvColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => CsvValue;
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and Excel also after a
 * leading tab or CR (OWASP "CSV Injection"). Service, operation and tag names and error types come from
 * spans anyone can send, so such a text cell gets a leading `'`, which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A field that must be quoted: it holds the separator, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as CSV text. Numbers are written as JSON writes them (the CSV equals the JSON answer) and are
 * never prefixed: a negative number such as a client − server gap of `-1200` is a number to a spreadsheet,
 * not a formula. A text cell that merely looks like a number (`-5` as a tag value) is text and is prefixed.
 * A non-finite number or null is an empty cell.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header record and one record per row, each ended by CRLF (RFC 4180 §2). */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => csvCell(column.header)), ...rows.map((row) => columns.map((column) => csvCell(column.value(row))))];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
