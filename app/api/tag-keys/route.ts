import { errorResponse, jsonResponse } from '@/lib/http';
import { parseQuery, tagKeysQuerySchema } from '@/lib/query';
import { resolveSource } from '@/lib/server/sources';
import { listTagKeys } from '@/lib/server/tag-keys-service';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/tag-keys?service=S[&lookback=…|start=…&end=…][&source=…] → { source, service, keys, spansSampled }:
 * keys on the service's spans in a recent sample of traces (span tags, and process tags as `process.KEY`).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(tagKeysQuerySchema, new URL(request.url).searchParams);
    const resolved = await resolveSource(query.source);
    return jsonResponse(await listTagKeys(query, resolved, { nowMs: Date.now(), signal: request.signal }));
  } catch (error) {
    return errorResponse(error);
  }
}
