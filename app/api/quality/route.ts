import { errorResponse } from '@/lib/http';
import { QUALITY_DOWNLOAD } from '@/lib/http/download-tables';
import { parseQualityQuery } from '@/lib/query';
import { computeQuality } from '@/lib/server/quality-service';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/quality?<window>[&service=S][&limit=N][&source=upload:ID]
 * → QualityResponse (lib/http/api-types.ts): orphans, rootless traces, where propagation breaks,
 * distributions, duplicates and clock skew over every trace of the window, each trace once.
 * `format=json|csv` answers a file (CSV: the per-service table).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseQualityQuery(params);
    const download = QUALITY_DOWNLOAD.parse(params);
    const resolved = await resolveSource(query.source);
    return QUALITY_DOWNLOAD.respond(download, await computeQuality(query, resolved, requestContext(request)));
  } catch (error) {
    return errorResponse(error);
  }
}
