import { errorResponse } from '@/lib/http';
import { BUBBLEUP_DOWNLOAD } from '@/lib/http/download-tables';
import { bubbleupQuerySchema, parseQuery } from '@/lib/query';
import { computeBubbleUp } from '@/lib/server/bubbleup-service';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/bubbleup?<the data query>&cohort=<spec> → BubbleUpResponse (lib/http/bubbleup-types.ts):
 * every tag value of the cohort's spans against the rest of the window, Fisher-tested, Holm-corrected,
 * most significant first. `format=json|csv` answers a file (CSV: the attributes).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseQuery(bubbleupQuerySchema, params);
    const download = BUBBLEUP_DOWNLOAD.parse(params);
    const resolved = await resolveSource(query.source);
    return BUBBLEUP_DOWNLOAD.respond(download, await computeBubbleUp(query, resolved, requestContext(request)));
  } catch (error) {
    return errorResponse(error);
  }
}
