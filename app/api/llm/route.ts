import { getEnv } from '@/lib/env';
import { errorResponse } from '@/lib/http';
import { LLM_DOWNLOAD } from '@/lib/http/download-tables';
import { parseLlmQuery } from '@/lib/query';
import { computeSharedLlm } from '@/lib/server/llm-service';
import { configuredPriceFile } from '@/lib/server/price-file';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/llm?<window>[&service=S][&operation=O][&tags=k=v][&groupBy=tag:actor_name][&limit=N][&source=upload:ID]
 * → LlmResponse (lib/http/api-types.ts): LLM calls, tokens and cost per model, over time and per group.
 * Identical requests in flight share one fan-out (lib/server/llm-service.ts computeSharedLlm).
 * `format=json|csv` answers a file; CSV: `table=models|spenders`.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseLlmQuery(params);
    const download = LLM_DOWNLOAD.parse(params);
    const priceFile = getEnv().SPANLENS_PRICES;
    const prices = await configuredPriceFile(priceFile);
    const resolved = await resolveSource(query.source);
    return LLM_DOWNLOAD.respond(download, await computeSharedLlm(query, resolved, { ...requestContext(request), prices, priceFile }));
  } catch (error) {
    return errorResponse(error);
  }
}
