import { test } from '@playwright/test';
import { postOtlpSpans, waitForTraces, type OtlpTestSpan } from '../../lib/testing/post-otlp.ts';
import { OUTAGE_APP_URL } from './apps.ts';
import { outageJaegerUrl, outageOtlpUrl, startOutageJaeger, stopOutageJaeger } from './outage-jaeger.ts';

/** Sends `makeSpans(nowUs)` (real OTLP spans of `service`, timed from now) to the outage Jaeger and waits until all are searchable. */
export async function sendToOutageJaeger(service: string, makeSpans: (nowUs: number) => OtlpTestSpan[]): Promise<void> {
  const nowUs = Date.now() * 1_000;
  const spans = makeSpans(nowUs);
  await postOtlpSpans(outageOtlpUrl, spans);
  await waitForTraces(outageJaegerUrl, service, nowUs - 120_000_000, nowUs + 1_000_000, spans.length);
}

/**
 * Call inside a describe: its tests run against the outage app, whose own Jaeger is started before
 * them holding `makeSpans(nowUs)` (sendToOutageJaeger) and stopped after them. An in-memory Jaeger forgets them when stopped.
 */
export function onOutageJaegerWith(service: string, makeSpans: (nowUs: number) => OtlpTestSpan[]): void {
  test.use({ baseURL: OUTAGE_APP_URL });
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    await startOutageJaeger();
    await sendToOutageJaeger(service, makeSpans);
  });
  test.afterAll(async () => {
    await stopOutageJaeger();
  });
}
