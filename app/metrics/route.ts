import { configuredExporter } from '@/lib/server/export/configured';

/**
 * GET /metrics: Prometheus text exposition of the metrics derived from Jaeger's spans (SPANLENS_EXPORT,
 * lib/server/export/). Off → 404 with the sentence that says how to turn it on.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

export async function GET(): Promise<Response> {
  const status = await configuredExporter();
  if (status.state === 'off') return new Response(`${status.message}\n`, { status: 404, headers: TEXT });
  if (status.state === 'failed') return new Response(`${status.message}\n`, { status: 503, headers: TEXT });
  const { contentType, body } = await status.exporter.scrape();
  return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
