import { OVERVIEW_DOWNLOAD } from '@/lib/http/download-tables';
import { errorResponse } from '@/lib/http';
import { overviewQuerySchema, parseQuery } from '@/lib/query';
import { comparedWindows, computeComparedOverview } from '@/lib/server/compare-service';
import { overviewStreamResponse } from '@/lib/server/overview-service';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/overview?<window>[&limit=N per service][&source=…] → OverviewResponse (lib/http/api-types.ts):
 * every service's RED metrics, whole-system totals, and the slowest spans and latest errors across them.
 * With `stream=1` the answer is NDJSON: one line per service as it completes, then the result.
 * With `baseline=` each service is compared with the baseline window (lib/server/compare-service.ts).
 * `format=json|csv` answers the finished result as a file; CSV: `table=services|slowest|latestErrors|errorGroups`.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseQuery(overviewQuerySchema, params);
    const download = OVERVIEW_DOWNLOAD.parse(params);
    const context = requestContext(request);
    comparedWindows(query, context.nowMs); // a baseline that overlaps the window answers a plain 400
    const resolved = await resolveSource(query.source);
    if (params.get('stream') === '1' && download.format === undefined) {
      return overviewStreamResponse((callbacks) => computeComparedOverview(query, resolved, { ...context, ...callbacks }));
    }
    return OVERVIEW_DOWNLOAD.respond(download, await computeComparedOverview(query, resolved, context));
  } catch (error) {
    return errorResponse(error);
  }
}
