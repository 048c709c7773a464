import { errorResponse, jsonResponse } from '@/lib/http';
import { parseQuery, sourceQuerySchema } from '@/lib/query';
import { checkHealth } from '@/lib/server/health';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/health → { source, jaeger }: 200 even when Jaeger is down, so the page can say so. */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(sourceQuerySchema, new URL(request.url).searchParams);
    return jsonResponse(await checkHealth(query.source));
  } catch (error) {
    return errorResponse(error);
  }
}
