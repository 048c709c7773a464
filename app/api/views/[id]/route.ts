import { errorResponse, jsonResponse, readJsonBody } from '@/lib/http';
import type { ViewResponse } from '@/lib/http/api-types';
import { getViewsStore, renameViewSchema, viewNotFound } from '@/lib/server/views';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface Context {
  readonly params: Promise<{ id: string }>;
}

/** PATCH /api/views/ID { name } → { view } */
export async function PATCH(request: Request, context: Context): Promise<Response> {
  try {
    const { id } = await context.params;
    const { name } = await readJsonBody(request, renameViewSchema);
    const view = getViewsStore().rename(id, name);
    if (!view) throw viewNotFound(id);
    const body: ViewResponse = { view };
    return jsonResponse(body);
  } catch (error) {
    return errorResponse(error);
  }
}

/** DELETE /api/views/ID → { deleted: ID } */
export async function DELETE(_request: Request, context: Context): Promise<Response> {
  try {
    const { id } = await context.params;
    if (!getViewsStore().delete(id)) throw viewNotFound(id);
    return jsonResponse({ deleted: id });
  } catch (error) {
    return errorResponse(error);
  }
}
