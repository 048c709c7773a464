import { safeParseDashboardQuery, type ParseResult } from '@/lib/query';

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Every page parses its URL exactly once, here, on the server. */
export async function parsePageQuery(searchParams: PageSearchParams): Promise<ParseResult> {
  return safeParseDashboardQuery(await searchParams);
}
