import { errorResponse, jsonResponse, readJsonBody } from '@/lib/http';
import type { ViewResponse, ViewsResponse } from '@/lib/http/api-types';
import { getViewsStore, newViewSchema } from '@/lib/server/views';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/views → { views } (by name). */
export async function GET(): Promise<Response> {
  try {
    const body: ViewsResponse = { views: getViewsStore().list() };
    return jsonResponse(body);
  } catch (error) {
    return errorResponse(error);
  }
}

/** POST /api/views { name, query, path? } → 201 { view }; the query is validated and stored canonical. */
export async function POST(request: Request): Promise<Response> {
  try {
    const input = await readJsonBody(request, newViewSchema);
    const body: ViewResponse = { view: getViewsStore().create(input) };
    return jsonResponse(body, 201);
  } catch (error) {
    return errorResponse(error);
  }
}
