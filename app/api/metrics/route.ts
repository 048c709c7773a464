import { METRICS_DOWNLOAD, metricsQueryForDownload } from '@/lib/http/download-tables';
import { errorResponse } from '@/lib/http';
import { parseMetricsQuery } from '@/lib/query';
import { traceSearchFor } from '@/lib/server/metrics-service';
import { comparedWindows, computeComparedMetrics } from '@/lib/server/compare-service';
import { metricsStreamResponse } from '@/lib/server/metrics-stream';
import { requestContext } from '@/lib/server/request-context';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/metrics?<the data query>[&include=groups,heatmap,…] → MetricsResponse (lib/http/api-types.ts).
 * With `stream=1` the answer is NDJSON: progress lines, then the result (lib/server/metrics-stream.ts).
 * Identical views share one computation, in flight and for a moment after (lib/server/shared-metrics.ts).
 * With `baseline=` each group is compared with the baseline window (lib/server/compare-service.ts).
 * `format=json|csv` answers a file; CSV is one table, `table=groups|slowest|errors` (lib/http/download-tables.ts).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const download = METRICS_DOWNLOAD.parse(params);
    const query = metricsQueryForDownload(parseMetricsQuery(params), download);
    // Finished answers are reused for at most JAEGER_CACHE_TTL_MS (and one alignment step): 0 turns it off.
    const context = requestContext(request);
    traceSearchFor(query, context); // a bad query answers a plain 400 before any streaming starts
    comparedWindows(query, context.nowMs); // so does a baseline that overlaps the window
    const resolved = await resolveSource(query.source);
    // A download is the finished answer, never the progress stream.
    if (params.get('stream') === '1' && download.format === undefined) {
      return metricsStreamResponse((onProgress) => computeComparedMetrics(query, resolved, { ...context, onProgress }));
    }
    return METRICS_DOWNLOAD.respond(download, await computeComparedMetrics(query, resolved, context));
  } catch (error) {
    return errorResponse(error);
  }
}
