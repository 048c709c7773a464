import { getEnv } from '@/lib/env';
import { errorResponse, jsonResponse } from '@/lib/http';
import { bubbleupQuerySchema, parseQuery } from '@/lib/query';
import { computeBubbleUp } from '@/lib/server/bubbleup-service';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/bubbleup?<the data query>&cohort=<spec> → BubbleUpResponse (lib/http/bubbleup-types.ts):
 * every tag value of the cohort's spans against the rest of the window, Fisher-tested, Holm-corrected,
 * most significant first.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(bubbleupQuerySchema, new URL(request.url).searchParams);
    const env = getEnv();
    const context = { nowMs: Date.now(), maxTraces: env.JAEGER_MAX_TRACES, resultCacheTtlMs: env.JAEGER_CACHE_TTL_MS, signal: request.signal };
    const resolved = await resolveSource(query.source);
    return jsonResponse(await computeBubbleUp(query, resolved, context));
  } catch (error) {
    return errorResponse(error);
  }
}
