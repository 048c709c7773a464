import 'server-only';
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { HttpError } from '../http/http-error.ts';
import type { PriceTable } from '../metrics/llm-prices.ts';

/** A price table is a few kB; anything near this is not one. */
const MAX_PRICE_FILE_BYTES = 1_048_576;

const perMTok = z.number({ error: 'must be a number (USD per million tokens)' }).refine((n) => Number.isFinite(n) && n >= 0, 'must be 0 or more');

const modelPriceSchema = z.strictObject(
  {
    inputPerMTok: perMTok,
    outputPerMTok: perMTok,
    cachedInputPerMTok: perMTok.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `has an unknown field ${issue.keys.join(', ')}` : 'must be an object') },
);

/** The one schema of the `SPANLENS_PRICES` file. */
export const priceFileSchema = z.strictObject(
  {
    models: z.record(z.string().min(1, 'a model name must not be empty'), modelPriceSchema, { error: 'must be an object of model names to prices' }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `has an unknown field ${issue.keys.join(', ')} (only "models")` : 'must be an object') },
);

/** Where in the file an issue is: `models["gpt-4o"].inputPerMTok`. */
function entryPath(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  if (head === undefined) return 'the file';
  // The second key is a model name: any text, so quoted.
  return rest.reduce<string>((text, key, i) => (i === 0 ? `${text}[${JSON.stringify(String(key))}]` : `${text}.${String(key)}`), String(head));
}

const badFile = (path: string, reason: string) =>
  new HttpError(500, 'invalid_price_file', `The price file SPANLENS_PRICES=${path} cannot be used: ${reason}. Fix it and restart Spanlens.`);

/** Reads and validates a price file. @throws HttpError naming the file and the bad entry. */
export async function readPriceFile(path: string): Promise<PriceTable> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_PRICE_FILE_BYTES) throw badFile(path, `it is larger than ${MAX_PRICE_FILE_BYTES} bytes`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw badFile(path, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw badFile(path, `it is not JSON (${(error as Error).message})`);
  }
  const parsed = priceFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badFile(path, issue === undefined ? 'it is not a price table' : `${entryPath(issue.path)} ${issue.message}`);
  }
  return parsed.data;
}

let loaded: { readonly path: string; readonly table: Promise<PriceTable> } | undefined;

/** The configured price file, read once per process (a bad one keeps failing with its reason); null when unset. */
export function configuredPriceFile(path: string | undefined): Promise<PriceTable> | null {
  if (path === undefined) return null;
  if (loaded?.path !== path) loaded = { path, table: readPriceFile(path) };
  return loaded.table;
}
