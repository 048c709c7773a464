import { z } from 'zod';

/**
 * `format=csv|json` and `table=NAME` on the routes that feed tables (lib/http/table-download.ts).
 * Unset format = the route's usual JSON; `json` = the same JSON as a file; `csv` = one of the answer's
 * tables, chosen by `table` (default the route's first). Read like every piece: first value, empty = unset.
 */
export const DOWNLOAD_FORMATS = ['csv', 'json'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

const first = (value: unknown): unknown => {
  const picked = Array.isArray(value) ? value[0] : value;
  return picked === '' ? undefined : picked;
};

export interface DownloadRequest<Table extends string> {
  readonly format: DownloadFormat | undefined;
  readonly table: Table;
}

/** The piece for a route whose answer holds `tables` (the first is the default). */
export function downloadPiece<const Tables extends readonly [string, ...string[]]>(tables: Tables) {
  return z
    .object({
      format: z.preprocess(first, z.enum(DOWNLOAD_FORMATS, { error: `format must be one of ${DOWNLOAD_FORMATS.join(', ')}` }).optional()),
      table: z.preprocess(first, z.enum(tables, { error: `table must be one of ${tables.join(', ')}` }).optional()),
    })
    .transform((raw): DownloadRequest<Tables[number]> => ({ format: raw.format, table: raw.table ?? tables[0] }));
}
