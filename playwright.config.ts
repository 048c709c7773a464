import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { APP_PORTS, APP_URL, DEMO_APP_URL, OUTAGE_APP_URL } from './e2e/support/apps.ts';
import { outageJaegerUrl } from './e2e/support/outage-jaeger.ts';
import { e2ePorts, loopbackUrl } from './e2e/support/ports.ts';

/**
 * e2e on Debian's Chromium against `next build` output and a real, seeded Jaeger. `npm test`
 * (scripts/test-all.sh) starts and seeds the harness once and passes SPANLENS_TEST_*; run alone,
 * e2e/global-setup.ts starts it. Every port is a free one, chosen once in the runner
 * (e2e/support/ports.ts; workers inherit the choice through the environment): the app servers, the
 * outage story's Jaeger and, run alone, the harness's. Playwright starts web servers BEFORE
 * globalSetup, so the app is pointed at the harness's chosen query port up front and only needs
 * Jaeger once a test queries.
 */
const { harness } = e2ePorts();
const jaegerUrl = harness === null ? (process.env['SPANLENS_TEST_JAEGER_URL'] as string) : loopbackUrl(harness.queryPort);

// Saved views go to a throwaway database, never the developer's .spanlens/views.sqlite.
const viewsDb = join(tmpdir(), `spanlens-e2e-views-${process.pid}.sqlite`);
const baseEnv = {
  ...(process.env as Record<string, string>),
  NEXT_TELEMETRY_DISABLED: '1',
  JAEGER_UI_URL: '',
  SPANLENS_DB_PATH: viewsDb,
  // As scripts/start.mjs: 64 KB of request headers, so a URL with 10,000-character names is not a 431.
  NODE_OPTIONS: ['--max-http-header-size=65536', process.env['NODE_OPTIONS']].filter(Boolean).join(' '),
};

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One shared machine and one seeded Jaeger: run the stories one after another.
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  globalSetup: harness === null ? undefined : './e2e/global-setup.ts',
  reporter: [['list']],
  use: {
    baseURL: APP_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: `next start -H 127.0.0.1 -p ${APP_PORTS.main}`,
      url: `${APP_URL}/`,
      // The /llm story prices the seeded models from this file (e2e/llm.spec.ts reads the same prices).
      // …and runs the /metrics exporter, with a day of backfill so its first pass counts the seeded run (e2e/metrics.spec.ts).
      env: {
        ...baseEnv,
        JAEGER_URL: jaegerUrl,
        SPANLENS_PRICES: join(process.cwd(), 'e2e/fixtures/prices.json'),
        SPANLENS_EXPORT: 'spanmetrics,llm',
        SPANLENS_EXPORT_BACKFILL_S: '86400',
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // The home page renders without Jaeger (data loads client-side), so readiness never waits for one.
      // Its own Jaeger (e2e/outage.spec.ts stops and restarts it) and no server cache, so an outage shows at once.
      command: `next start -H 127.0.0.1 -p ${APP_PORTS.outage}`,
      url: `${OUTAGE_APP_URL}/`,
      env: { ...baseEnv, JAEGER_URL: outageJaegerUrl, JAEGER_CACHE_TTL_MS: '0', JAEGER_TIMEOUT_MS: '5000' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // No JAEGER_URL: demo mode on the bundled data set.
      command: `next start -H 127.0.0.1 -p ${APP_PORTS.demo}`,
      url: `${DEMO_APP_URL}/`,
      env: { ...baseEnv, JAEGER_URL: '' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
