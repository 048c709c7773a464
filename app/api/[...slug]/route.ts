import { errorResponse, HttpError } from '@/lib/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Any /api path no route serves: the JSON 404 envelope (never the HTML not-found page). */
function notFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  const path = pathname.length > 100 ? `${pathname.slice(0, 100)}…` : pathname;
  return errorResponse(new HttpError(404, 'not_found', `No API route answers ${path}; the routes are listed in app/api/README.md.`));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
