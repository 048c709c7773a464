import { downloadPiece, type DownloadRequest } from '../query/download-piece.ts';
import { parseQuery, type QueryParamsInput } from '../query/dashboard-query.ts';
import { toCsv, type CsvColumn } from './csv.ts';
import { jsonResponse } from './error-response.ts';

/**
 * `format=csv|json` for any route whose answer feeds tables. A route declares its tables once with
 * `defineDownload`, parses the request with `.parse(params)` before computing (a bad `format` or `table`
 * is a 400, nothing fetched), then answers with `.respond(request, data)`: the usual JSON when no format
 * was asked for, else a file (Content-Disposition: attachment) named after the view and its window.
 */

/** One table of an answer as CSV rows. */
export interface DownloadTable<Data> {
  readonly csv: (data: Data) => string;
}

/** `columns` may depend on the answer (one column per grouped tag key). */
export function downloadTable<Data, Row>(
  rows: (data: Data) => readonly Row[],
  columns: readonly CsvColumn<Row>[] | ((data: Data) => readonly CsvColumn<Row>[]),
): DownloadTable<Data> {
  return { csv: (data) => toCsv(typeof columns === 'function' ? columns(data) : columns, rows(data)) };
}

export interface DownloadSpec<Data, Names extends readonly [string, ...string[]]> {
  /** What the file is of, e.g. `metrics` or `overview`; a name from the answer (its service) is appended. */
  readonly view: (data: Data) => readonly (string | null | undefined)[];
  readonly window: (data: Data) => { readonly startUs: number; readonly endUs: number };
  /** `table=` names, the first the default. */
  readonly tableNames: Names;
  readonly tables: { readonly [N in Names[number]]: DownloadTable<Data> };
}

export interface TableDownloads<Data, Name extends string> {
  /** @throws InvalidQueryError (400) for a `format` or `table` that is not one of them. */
  readonly parse: (params: QueryParamsInput) => DownloadRequest<Name>;
  readonly respond: (request: DownloadRequest<Name>, data: Data) => Response;
}

/** `2026-12-02T09:30:00.000Z` → `20261202T093000Z`: sortable, and legal in every file system. */
const fileTime = (us: number): string =>
  new Date(Math.floor(us / 1_000))
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** Names from spans may hold anything: the file name keeps letters, digits, `.`, `_` and `-`, 60 of them per part. */
const filePart = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

export function downloadFileName(
  parts: readonly (string | null | undefined)[],
  window: { startUs: number; endUs: number },
  extension: string,
): string {
  const named = parts.filter((part): part is string => typeof part === 'string' && part !== '').map(filePart);
  return `${['spanlens', ...named, fileTime(window.startUs), fileTime(window.endUs)].join('-')}.${extension}`;
}

const attachment = (fileName: string) => `attachment; filename="${fileName}"`;

export function defineDownload<Data, const Names extends readonly [string, ...string[]]>(
  spec: DownloadSpec<Data, Names>,
): TableDownloads<Data, Names[number]> {
  const piece = downloadPiece(spec.tableNames);
  return {
    parse: (params) => parseQuery(piece, params),
    respond: (request, data) => {
      if (request.format === undefined) return jsonResponse(data);
      const window = spec.window(data);
      const view = spec.view(data);
      if (request.format === 'json') {
        return Response.json(data, {
          headers: { 'cache-control': 'no-store', 'content-disposition': attachment(downloadFileName(view, window, 'json')) },
        });
      }
      const table: DownloadTable<Data> = spec.tables[request.table];
      return new Response(table.csv(data), {
        headers: {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'cache-control': 'no-store',
          'content-disposition': attachment(downloadFileName([...view, request.table], window, 'csv')),
        },
      });
    },
  };
}
