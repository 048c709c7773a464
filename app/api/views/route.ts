import { errorResponse, jsonResponse, readJsonBody } from '@/lib/http';
import type { ViewResponse, ViewsResponse } from '@/lib/http/api-types';
import { getViewsStore, idempotencyKeyOf, idempotencyKeyReused, newViewSchema } from '@/lib/server/views';

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

/**
 * POST /api/views { name, query, path? } → 201 { view }; the query is validated and stored canonical.
 * With an `Idempotency-Key` header (≤ 200 characters) the create happens at most once per key: the
 * same key with the same view again → 200 with the first answer (same id); with another view → 409.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const key = idempotencyKeyOf(request);
    const input = await readJsonBody(request, newViewSchema);
    const store = getViewsStore();
    if (key === undefined) {
      const body: ViewResponse = { view: store.create(input) };
      return jsonResponse(body, 201);
    }
    const result = store.createOnce(key, input);
    if (result.kind === 'conflict') throw idempotencyKeyReused();
    const body: ViewResponse = { view: result.view };
    return jsonResponse(body, result.kind === 'created' ? 201 : 200);
  } catch (error) {
    return errorResponse(error);
  }
}
