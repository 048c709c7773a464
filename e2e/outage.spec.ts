import { expect, test } from '@playwright/test';
import { hex, type OtlpTestSpan } from '../lib/testing/post-otlp.ts';
import { OverviewPage } from './models/overview-page.ts';
import { startOutageJaeger, stopOutageJaeger } from './support/outage-jaeger.ts';
import { onOutageJaegerWith, sendToOutageJaeger } from './support/outage-story.ts';

const SERVICE = 'outage-checkout';

/** Five real OTLP spans, one an error, a minute ago (an in-memory Jaeger forgets them when stopped). */
const checkoutSpans = (nowUs: number): OtlpTestSpan[] =>
  Array.from({ length: 5 }, (_, i) => ({
    traceId: hex(0xe2e000 + i, 32),
    spanId: hex(0xe2e000 + i, 16),
    service: SERVICE,
    name: 'POST /checkout',
    kind: 2,
    startUs: nowUs - 60_000_000 + i * 1_000_000,
    durationUs: 1_000 * (i + 1),
    error: i === 0,
  }));

test.describe('Jaeger goes away in the middle of a session', () => {
  onOutageJaegerWith(SERVICE, checkoutSpans);

  test('the page says Jaeger is unreachable, offers Retry, and recovers once Jaeger is back', async ({ page }) => {
    test.setTimeout(180_000);
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}&lookback=15m`);
    await overview.waitForRows();
    await expect(overview.row('POST /checkout')).toBeVisible();

    await stopOutageJaeger();
    await page.reload();
    const banner = overview.errorBanner();
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(banner).toContainText('Jaeger');
    await expect(banner).toContainText('JAEGER_URL');
    await overview.screenshot('outage');

    await startOutageJaeger();
    await sendToOutageJaeger(SERVICE, checkoutSpans);
    await banner.getByRole('button', { name: 'Retry' }).click();
    await expect(overview.row('POST /checkout')).toBeVisible({ timeout: 60_000 });
    await overview.assertNoErrorState();
    expect(await overview.table()).toEqual(new Map([['POST /checkout', { count: 5, errors: 1 }]]));
  });
});
