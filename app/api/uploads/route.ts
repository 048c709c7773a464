import { errorResponse, jsonResponse } from '@/lib/http';
import type { UploadResponse } from '@/lib/http/api-types';
import { acceptUpload } from '@/lib/server/uploads';
import { getUploadStore } from '@/lib/server/sources';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * POST /api/uploads (multipart field `file`, or the raw body with `x-file-name`): a Jaeger /api/traces
 * or /api/v3 OTLP-JSON export, optionally gzipped → 201 { upload }; then `source=upload:ID` anywhere.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const body: UploadResponse = { upload: await acceptUpload(request, getUploadStore()) };
    return jsonResponse(body, 201);
  } catch (error) {
    return errorResponse(error);
  }
}
