/**
 * Every /api route and the methods its route.ts exports, for the request guard (405 with a JSON body,
 * 415 for a JSON write without a JSON content type). `api-routes.test.ts` checks this list against the
 * route files, so a new route or method cannot be forgotten here.
 */

export interface ApiRoute {
  /** As app/api spells it, e.g. `/api/views/[id]`. */
  readonly path: string;
  /** The handlers route.ts exports (Next adds HEAD for GET, and OPTIONS). */
  readonly methods: readonly string[];
  /** What its writes carry: a small JSON document, or a file (multipart or raw). */
  readonly body: 'json' | 'file' | 'none';
}

export const API_ROUTES: readonly ApiRoute[] = [
  { path: '/api/bubbleup', methods: ['GET'], body: 'none' },
  { path: '/api/dependencies', methods: ['GET'], body: 'none' },
  { path: '/api/health', methods: ['GET'], body: 'none' },
  { path: '/api/llm', methods: ['GET'], body: 'none' },
  { path: '/api/metrics', methods: ['GET'], body: 'none' },
  { path: '/api/operations', methods: ['GET'], body: 'none' },
  { path: '/api/overview', methods: ['GET'], body: 'none' },
  { path: '/api/quality', methods: ['GET'], body: 'none' },
  { path: '/api/services', methods: ['GET'], body: 'none' },
  { path: '/api/snapshots', methods: ['GET', 'POST'], body: 'json' },
  { path: '/api/snapshots/[id]', methods: ['GET', 'DELETE'], body: 'none' },
  { path: '/api/spm', methods: ['GET'], body: 'none' },
  { path: '/api/tag-keys', methods: ['GET'], body: 'none' },
  { path: '/api/uploads', methods: ['POST'], body: 'file' },
  { path: '/api/views', methods: ['GET', 'POST'], body: 'json' },
  { path: '/api/views/[id]', methods: ['PATCH', 'DELETE'], body: 'json' },
];

const patterns = API_ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\[[^\]/]+\]/g, '[^/]+')}/?$`),
}));

/** The route a path is served by, or null for a path no route.ts serves (the catch-all's JSON 404). */
export function findApiRoute(pathname: string): ApiRoute | null {
  return patterns.find(({ pattern }) => pattern.test(pathname))?.route ?? null;
}

/** What Next answers on the route: its handlers, HEAD where GET is, and OPTIONS. */
export function allowedMethods(route: ApiRoute): string[] {
  return [...route.methods, ...(route.methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
}
