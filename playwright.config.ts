import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { APP_URL, DEMO_APP_URL, OUTAGE_APP_URL } from './e2e/support/apps.ts';
import { OUTAGE_JAEGER } from './e2e/support/outage-jaeger.ts';
import { harnessDefaults } from './e2e/support/harness.ts';

/**
 * e2e on Debian's Chromium against `next build` output and a real, seeded Jaeger. `npm test`
 * (scripts/test-all.sh) starts and seeds the harness once and passes SPANLENS_TEST_*; run alone,
 * e2e/global-setup.ts starts it. Playwright starts web servers BEFORE globalSetup, so the app is
 * pointed at the harness's fixed URL up front and only needs Jaeger once a test queries.
 */
const harnessFromOutside = Boolean(process.env['SPANLENS_TEST_JAEGER_URL']);
if (!harnessFromOutside) Object.assign(process.env, harnessDefaults());
const jaegerUrl = process.env['SPANLENS_TEST_JAEGER_URL'] as string;

// Saved views go to a throwaway database, never the developer's .spanlens/views.sqlite.
const viewsDb = join(tmpdir(), `spanlens-e2e-views-${process.pid}.sqlite`);
const baseEnv = {
  ...(process.env as Record<string, string>),
  NEXT_TELEMETRY_DISABLED: '1',
  JAEGER_UI_URL: '',
  SPANLENS_DB_PATH: viewsDb,
};

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One shared machine and one seeded Jaeger: run the stories one after another.
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  globalSetup: harnessFromOutside ? undefined : './e2e/global-setup.ts',
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
      command: 'next start -p 3100',
      url: `${APP_URL}/`,
      env: { ...baseEnv, JAEGER_URL: jaegerUrl },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // The home page renders without Jaeger (data loads client-side), so readiness never waits for one.
      // Its own Jaeger (e2e/outage.spec.ts stops and restarts it) and no server cache, so an outage shows at once.
      command: 'next start -p 3101',
      url: `${OUTAGE_APP_URL}/`,
      env: { ...baseEnv, JAEGER_URL: `http://127.0.0.1:${OUTAGE_JAEGER.queryPort}`, JAEGER_CACHE_TTL_MS: '0', JAEGER_TIMEOUT_MS: '5000' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // No JAEGER_URL: demo mode on the bundled data set.
      command: 'next start -p 3102',
      url: `${DEMO_APP_URL}/`,
      env: { ...baseEnv, JAEGER_URL: '' },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
