#!/usr/bin/env node
// A thin reverse proxy that makes the Jaeger we can build (v2.13) look like Jaeger main after
// jaeger#9260 (commit 639eefe0), which removed the legacy search API: /api/services,
// /api/operations, /api/services/{s}/operations and GET /api/traces (search) answer with main's
// catch-all for unknown /api paths, Go's http.NotFound: 404, text/plain, "404 page not found\n"
// (jaeger:cmd/jaeger/internal/extension/jaegerquery/internal/server.go). Everything else, including
// /api/traces/{id}, /api/dependencies and /api/v3/*, streams through to the real Jaeger unchanged.
//
//   node scripts/v3-only-proxy.mjs --listen PORT --upstream http://127.0.0.1:16686
//
// Plain Node, no dependencies: scripts/jaeger-up.sh starts it with JAEGER_VERSION=latest.
import http from 'node:http';

function parseArgs(argv) {
  const args = { listen: 16687, upstream: 'http://127.0.0.1:16686', host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--listen' && value) {
      args.listen = Number(value);
      i += 1;
    } else if (flag === '--upstream' && value) {
      args.upstream = value;
      i += 1;
    } else if (flag === '--host' && value) {
      args.host = value;
      i += 1;
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: v3-only-proxy.mjs --listen PORT --upstream URL [--host 127.0.0.1]\n');
      process.exit(0);
    } else {
      process.stderr.write(`v3-only-proxy: unknown argument ${flag}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.listen) || args.listen <= 0 || args.listen > 65535) {
    process.stderr.write('v3-only-proxy: --listen needs a port number\n');
    process.exit(2);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const upstream = new URL(args.upstream);
// A base path on the upstream (Jaeger's base_path) is kept: /x/api/... on the proxy → /x/api/... upstream.
const upstreamBase = upstream.pathname.replace(/\/$/, '');

/** The routes jaeger#9260 removed, relative to the base path. /api/traces/{id} stays. */
function isRemovedLegacyRoute(method, pathname) {
  const path = upstreamBase && pathname.startsWith(upstreamBase) ? pathname.slice(upstreamBase.length) : pathname;
  const normalised = path.replace(/\/+$/, '') || '/';
  if (normalised === '/api/services' || normalised === '/api/operations') return true;
  if (/^\/api\/services\/[^/]+\/operations$/.test(normalised)) return true;
  // Only GET search was removed; gorilla/mux on main would also 404 any other method here.
  return normalised === '/api/traces' && (method === 'GET' || method === 'HEAD');
}

const server = http.createServer((req, res) => {
  const incoming = new URL(req.url ?? '/', 'http://proxy.invalid');
  if (isRemovedLegacyRoute(req.method ?? 'GET', incoming.pathname)) {
    const body = '404 page not found\n';
    res.writeHead(404, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }

  const headers = { ...req.headers, host: upstream.host };
  const upstreamRequest = http.request(
    {
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port || 80,
      method: req.method,
      path: incoming.pathname + incoming.search,
      headers,
    },
    (upstreamResponse) => {
      res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
      upstreamResponse.pipe(res);
      upstreamResponse.on('error', () => res.destroy());
    },
  );
  upstreamRequest.on('error', (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = `v3-only-proxy: upstream ${args.upstream} failed: ${error.message}\n`;
    res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  // The client going away cancels the upstream call instead of leaving it running.
  res.on('close', () => {
    if (!res.writableFinished) upstreamRequest.destroy();
  });
  req.pipe(upstreamRequest);
});

server.listen(args.listen, args.host, () => {
  process.stdout.write(`v3-only-proxy: http://${args.host}:${args.listen} → ${args.upstream} (legacy search answers 404)\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
