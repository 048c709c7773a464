import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP server that misbehaves on purpose, for the faults a real Jaeger cannot be made to
 * produce on demand: dropped connections, stalls, garbage, truncation, HTML, 5xx, huge bodies, wrong
 * shapes. Everything that Jaeger can produce is tested against the real Jaeger instead.
 */
export type FaultyResponse =
  | { readonly kind: 'json'; readonly body: unknown; readonly status?: number; readonly contentType?: string }
  | { readonly kind: 'text'; readonly body: string; readonly status?: number; readonly contentType?: string }
  /** Closes the socket before any byte of a response. */
  | { readonly kind: 'drop' }
  /** Announces `announcedBytes`, sends `body`, then closes the socket. */
  | { readonly kind: 'drop-mid-body'; readonly body: string; readonly announcedBytes: number }
  /** Never sends headers. */
  | { readonly kind: 'stall-headers' }
  /** Sends headers and `firstChunk`, then nothing more. */
  | { readonly kind: 'stall-body'; readonly firstChunk: string }
  /** Streams `bytes` of a JSON array in 64 KiB chunks, announcing the length only if asked to. */
  | { readonly kind: 'huge'; readonly bytes: number; readonly announceLength: boolean };

export interface RecordedRequest {
  readonly method: string;
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
}

export interface FaultyServer {
  readonly url: string;
  /** Answers `pathname` with these responses in turn; the last one repeats. */
  respond(pathname: string, ...responses: FaultyResponse[]): void;
  /** Requests received for `pathname` (all requests when omitted). */
  requests(pathname?: string): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/**
 * A success body in Jaeger's legacy envelope exactly as v2.13 writes it (JQ/http_handler.go: every
 * field present, `errors` null), for fakes of an answer the client must accept as Jaeger's.
 */
export function legacyEnvelope(data: unknown, total = 0): { data: unknown; total: number; limit: 0; offset: 0; errors: null } {
  return { data, total, limit: 0, offset: 0, errors: null };
}

export async function startFaultyServer(): Promise<FaultyServer> {
  const routes = new Map<string, FaultyResponse[]>();
  const hits = new Map<string, number>();
  const log: RecordedRequest[] = [];
  const stalled = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://faulty.invalid');
    log.push({ method: req.method ?? 'GET', pathname: url.pathname, searchParams: url.searchParams, headers: req.headers });
    const sequence = routes.get(url.pathname);
    const index = hits.get(url.pathname) ?? 0;
    hits.set(url.pathname, index + 1);
    const response = sequence?.[Math.min(index, sequence.length - 1)];
    if (!response) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    switch (response.kind) {
      case 'json': {
        const body = JSON.stringify(response.body);
        res.writeHead(response.status ?? 200, { 'content-type': response.contentType ?? 'application/json' });
        res.end(body);
        return;
      }
      case 'text':
        res.writeHead(response.status ?? 200, { 'content-type': response.contentType ?? 'text/plain; charset=utf-8' });
        res.end(response.body);
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'drop-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(response.announcedBytes) });
        res.write(response.body, () => setTimeout(() => req.socket.destroy(), 10));
        return;
      case 'stall-headers':
        stalled.add(res);
        return;
      case 'stall-body':
        stalled.add(res);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(response.firstChunk);
        return;
      case 'huge': {
        const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
        if (response.announceLength) headers['content-length'] = String(response.bytes);
        res.writeHead(200, headers);
        let sent = 0;
        const pump = (): void => {
          while (sent < response.bytes && !res.destroyed) {
            const size = Math.min(CHUNK, response.bytes - sent);
            sent += size;
            const chunk = sent === size ? `[${' '.repeat(size - 1)}` : sent === response.bytes ? `${' '.repeat(size - 1)}]` : ' '.repeat(size);
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    respond(pathname, ...responses) {
      routes.set(pathname, responses);
      hits.set(pathname, 0);
    },
    requests(pathname) {
      return pathname === undefined ? [...log] : log.filter((request) => request.pathname === pathname);
    },
    reset() {
      routes.clear();
      hits.clear();
      log.length = 0;
    },
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
