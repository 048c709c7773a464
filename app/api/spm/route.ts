import { errorResponse, jsonResponse } from '@/lib/http';
import { parseQuery } from '@/lib/query';
import { spmQuerySchema } from '@/lib/query/spm-query';
import { computeSpm } from '@/lib/server/spm-service';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/spm?[service=S]&<window> → SpmResponse (lib/http/api-types.ts): Jaeger's SPM numbers (Monitor tab)
 * per operation of S, or per service without S; `{"available":false,"reason":…}` when there are none.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(spmQuerySchema, new URL(request.url).searchParams);
    return jsonResponse(await computeSpm(query, { nowMs: Date.now(), signal: request.signal }));
  } catch (error) {
    return errorResponse(error);
  }
}
