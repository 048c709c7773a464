/**
 * Next.js runs register() once when the server starts: the Prometheus exporter's tail starts here, so it
 * counts what ends from start-up on rather than from the first scrape (lib/server/export/configured.ts).
 * The edge runtime has no exporter (it needs node:fs and the Jaeger client); `process.env.NEXT_RUNTIME` is
 * written out so the bundler replaces it and leaves the import out of the edge build.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { configuredExporter } = await import('./lib/server/export/configured');
  await configuredExporter();
}
