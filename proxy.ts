import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from './lib/env';
import type { ApiErrorEnvelope } from './lib/http/api-types';
import { allowedHostsFor, checkRequest } from './lib/http/request-guard';

/**
 * Next 16's proxy (the former middleware), before every page and route: the Host allow-list, the
 * same-origin rule for writes, JSON 405s and the JSON content type (lib/http/request-guard.ts).
 */
export function proxy(request: NextRequest): Response {
  const refusal = checkRequest({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers }, allowedHostsFor(getEnv()));
  if (refusal === null) return NextResponse.next();
  const envelope: ApiErrorEnvelope = { error: { code: refusal.code, message: refusal.message } };
  return Response.json(envelope, {
    status: refusal.status,
    headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...refusal.headers },
  });
}

export const config = {
  // Everything but the build's static files (hashed JS/CSS, which hold nothing to protect).
  matcher: ['/((?!_next/static/).*)'],
};
