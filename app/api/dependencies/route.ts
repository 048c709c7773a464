import { getEnv } from '@/lib/env';
import { errorResponse, jsonResponse } from '@/lib/http';
import { parseDependenciesQuery } from '@/lib/query';
import { computeDependencies } from '@/lib/server/dependencies-service';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/dependencies?<window>[&service=S][&level=service|operation][&limit=N][&source=upload:ID]
 * → DependenciesResponse (lib/http/api-types.ts): the service map's edges, each span pair counted once.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseDependenciesQuery(new URL(request.url).searchParams);
    const env = getEnv();
    const resolved = await resolveSource(query.source);
    return jsonResponse(await computeDependencies(query, resolved, { nowMs: Date.now(), maxTraces: env.JAEGER_MAX_TRACES, signal: request.signal }));
  } catch (error) {
    return errorResponse(error);
  }
}
