import { errorResponse, jsonResponse } from '@/lib/http';
import type { OperationsResponse } from '@/lib/http/api-types';
import { operationsQuerySchema, parseQuery } from '@/lib/query';
import { resolveSource } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/operations?service=S[&source=upload:ID] → { source, service, operations: [{ name, spanKind }] } */
export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(operationsQuerySchema, new URL(request.url).searchParams);
    const resolved = await resolveSource(query.source);
    const operations = await resolved.source.listOperations(query.service, { signal: request.signal });
    const body: OperationsResponse = { source: resolved.info, service: query.service, operations };
    return jsonResponse(body);
  } catch (error) {
    return errorResponse(error);
  }
}
