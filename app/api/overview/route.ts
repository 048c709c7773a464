import { getEnv } from '@/lib/env';
import { OVERVIEW_DOWNLOAD } from '@/lib/http/download-tables';
import { errorResponse } from '@/lib/http';
import { overviewQuerySchema, parseQuery } from '@/lib/query';
import { computeOverview, overviewStreamResponse } from '@/lib/server/overview-service';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/overview?<window>[&limit=N per service][&source=…] → OverviewResponse (lib/http/api-types.ts):
 * every service's RED metrics, whole-system totals, and the slowest spans and latest errors across them.
 * With `stream=1` the answer is NDJSON: one line per service as it completes, then the result.
 * `format=json|csv` answers the finished result as a file; CSV: `table=services|slowest|latestErrors|errorGroups`.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const query = parseQuery(overviewQuerySchema, params);
    const download = OVERVIEW_DOWNLOAD.parse(params);
    const env = getEnv();
    const context = { nowMs: Date.now(), maxTraces: env.JAEGER_MAX_TRACES, signal: request.signal };
    const resolved = await resolveSource(query.source);
    if (params.get('stream') === '1' && download.format === undefined) {
      return overviewStreamResponse((callbacks) => computeOverview(query, resolved, { ...context, ...callbacks }));
    }
    return OVERVIEW_DOWNLOAD.respond(download, await computeOverview(query, resolved, context));
  } catch (error) {
    return errorResponse(error);
  }
}
