/**
 * What proxy.ts checks before any page or route runs (design §9: loopback by default, no writes from
 * other origins). Pure: the request's method, path and headers in, a refusal (status, code, sentence)
 * or null out.
 *
 * 1. Host (and X-Forwarded-Host, when a proxy sets it) must be an allowed name — the loopback names, HOST
 *    and SPANLENS_ALLOWED_HOSTS — so a DNS-rebinding page (evil.example resolving to 127.0.0.1) is
 *    refused: 421.
 * 2. A write (any method but GET, HEAD, OPTIONS) must come from the app's own origin: `Origin`, else
 *    `Sec-Fetch-Site`, else `Referer`; a client that sends none of them is not a browser, so no CSRF: 403.
 * 3. A method an /api route does not export: 405 with a JSON body and `Allow` (Next's own is empty).
 * 4. A JSON write must say `content-type: application/json` — a cross-origin page cannot send that
 *    without a CORS preflight, which Spanlens never grants: 415. Uploads take multipart or a raw body.
 */
import { allowedMethods, findApiRoute } from './api-routes.ts';
import { formatHostAndPort, parseHostAndPort, parseHostName, type HostAndPort } from './host-names.ts';

export interface GuardedRequest {
  readonly method: string;
  readonly pathname: string;
  readonly headers: Headers;
}

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const LOOPBACK: readonly HostAndPort[] = ['localhost', '127.0.0.1', '::1'].map((name) => ({ name, port: null }));
/** Addresses that mean "every interface": never a name a browser sends. */
const WILDCARD = new Set(['0.0.0.0', '::']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The names the Host header may carry: loopback, the bound HOST (unless a wildcard) and SPANLENS_ALLOWED_HOSTS. */
export function allowedHostsFor(env: { readonly HOST: string; readonly SPANLENS_ALLOWED_HOSTS: readonly HostAndPort[] }): HostAndPort[] {
  const bound = parseHostName(env.HOST);
  const hosts = [...LOOPBACK, ...env.SPANLENS_ALLOWED_HOSTS];
  if (bound !== null && !WILDCARD.has(bound) && !hosts.some((host) => host.name === bound && host.port === null)) {
    hosts.push({ name: bound, port: null });
  }
  return hosts;
}

/** An entry without a port allows the name on any port; one with a port only that port. */
export function isAllowedHost(header: string, allowed: readonly HostAndPort[]): boolean {
  const host = parseHostAndPort(header);
  if (host === null) return false;
  return allowed.some((entry) => entry.name === host.name && (entry.port === null || entry.port === host.port));
}

const firstValue = (value: string | null): string | null => (value === null ? null : (value.split(',')[0]?.trim() ?? ''));

const quoted = (value: string): string => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

function checkHost(headers: Headers, allowed: readonly HostAndPort[]): Refusal | null {
  const names = allowed.map(formatHostAndPort).join(', ');
  for (const [header, value] of [
    ['Host', headers.get('host')],
    ['X-Forwarded-Host', firstValue(headers.get('x-forwarded-host'))],
  ] as const) {
    if (value === null && header === 'X-Forwarded-Host') continue;
    if (value !== null && isAllowedHost(value, allowed)) continue;
    return {
      status: 421,
      code: 'host_not_allowed',
      message:
        `Spanlens does not answer for the ${header} ${value === null ? '(none)' : quoted(value)}: it answers for ${names}. ` +
        'Reached through a name of your own (a reverse proxy, a LAN address), add that name to SPANLENS_ALLOWED_HOSTS.',
    };
  }
  return null;
}

const DEFAULT_PORT: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * Whether a URL (an Origin or a Referer) is on one of the hosts this request was sent to: name and
 * port, not the scheme (behind a TLS proxy the page is https and the app sees http; one host:port
 * cannot serve two origins at once).
 */
function isOwnOrigin(value: string, own: readonly HostAndPort[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const defaultPort = DEFAULT_PORT[url.protocol];
  if (defaultPort === undefined) return false;
  const name = parseHostName(url.hostname);
  const port = url.port === '' ? defaultPort : Number(url.port);
  return own.some((host) => host.name === name && (host.port ?? defaultPort) === port);
}

function checkOrigin(headers: Headers): Refusal | null {
  const own = [headers.get('host'), firstValue(headers.get('x-forwarded-host'))]
    .map((value) => (value === null ? null : parseHostAndPort(value)))
    .filter((host): host is HostAndPort => host !== null);
  const refuse = (what: string): Refusal => ({
    status: 403,
    code: 'cross_origin_write',
    message: `Spanlens refuses a write from ${what}: saving views and uploading files only work from Spanlens's own pages.`,
  });
  const origin = headers.get('origin');
  if (origin !== null) return isOwnOrigin(origin, own) ? null : refuse(`the origin ${quoted(origin)}`);
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' || site === 'none' ? null : refuse(`a ${site} page`);
  const referer = headers.get('referer');
  if (referer !== null) return isOwnOrigin(referer, own) ? null : refuse('another site (by its Referer)');
  return null;
}

function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function checkApi(request: GuardedRequest): Refusal | null {
  const route = findApiRoute(request.pathname);
  // Unknown /api paths go on to app/api/[...slug], which answers the JSON 404.
  if (route === null) return null;
  const methods = allowedMethods(route);
  if (!methods.includes(request.method)) {
    return {
      status: 405,
      code: 'method_not_allowed',
      message: `${route.path} does not take ${request.method}; it takes ${methods.join(', ')}.`,
      headers: { allow: methods.join(', ') },
    };
  }
  if (route.body === 'json' && ['POST', 'PUT', 'PATCH'].includes(request.method) && mediaType(request.headers) !== 'application/json') {
    return {
      status: 415,
      code: 'unsupported_media_type',
      message: `${request.method} ${route.path} takes a JSON body sent with content-type: application/json.`,
    };
  }
  return null;
}

/** The first rule the request breaks, or null to let it through. */
export function checkRequest(request: GuardedRequest, allowedHosts: readonly HostAndPort[]): Refusal | null {
  const host = checkHost(request.headers, allowedHosts);
  if (host) return host;
  if (!SAFE_METHODS.has(request.method)) {
    const origin = checkOrigin(request.headers);
    if (origin) return origin;
  }
  return request.pathname === '/api' || request.pathname.startsWith('/api/') ? checkApi(request) : null;
}
