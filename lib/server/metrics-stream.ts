import type { MetricsResponse, MetricsStreamLine } from '../http/api-types.ts';
import { mapError } from '../http/error-response.ts';
import type { SearchProgress } from '../jaeger/source.ts';

/**
 * NDJSON for `/api/metrics?stream=1`: a progress line per finished sub-window, then one result or
 * error line. The status is already 200 once the first byte is out, so a failure after that travels
 * in-band, with the status it would have had.
 */
export function metricsStreamResponse(run: (onProgress: (progress: SearchProgress) => void) => Promise<MetricsResponse>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (line: MetricsStreamLine) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        } catch {
          open = false; // the browser went away; the computation ends on its own abort signal
        }
      };
      try {
        const data = await run((progress) =>
          send({ type: 'progress', subWindowsDone: progress.subWindowsDone, subWindowsPlanned: progress.subWindowsPlanned }),
        );
        send({ type: 'result', data });
      } catch (error) {
        const { status, body: errorBody } = mapError(error);
        send({ type: 'error', status, error: errorBody });
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
