import { DEPENDENCIES_DOWNLOAD } from '@/lib/http/download-tables';
import { errorResponse } from '@/lib/http';
import { parseDependenciesQuery } from '@/lib/query';
import { computeDependencies } from '@/lib/server/dependencies-service';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/dependencies?<window>[&service=S][&level=service|operation][&limit=N][&source=upload:ID]
 * → DependenciesResponse (lib/http/api-types.ts): the service map's edges, each span pair counted once.
 * `format=json|csv` answers a file (CSV: the edges).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseDependenciesQuery(params);
    const download = DEPENDENCIES_DOWNLOAD.parse(params);
    const resolved = await resolveSource(query.source);
    return DEPENDENCIES_DOWNLOAD.respond(download, await computeDependencies(query, resolved, requestContext(request)));
  } catch (error) {
    return errorResponse(error);
  }
}
