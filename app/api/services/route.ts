import { errorResponse, jsonResponse } from '@/lib/http';
import type { ServicesResponse } from '@/lib/http/api-types';
import { parseQuery, sourceQuerySchema } from '@/lib/query';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/services[?source=upload:ID] → { source, services } */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(sourceQuerySchema, new URL(request.url).searchParams);
    const resolved = await resolveSource(query.source);
    const services = await resolved.source.listServices({ signal: request.signal });
    const body: ServicesResponse = { source: resolved.info, services };
    return jsonResponse(body);
  } catch (error) {
    return errorResponse(error);
  }
}
