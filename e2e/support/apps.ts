/** The app servers playwright.config.ts starts (all from the same `next build`). */
export const APP_URL = 'http://127.0.0.1:3100';
/** Pointed at the outage story's own Jaeger (e2e/support/outage-jaeger.ts). */
export const OUTAGE_APP_URL = 'http://127.0.0.1:3101';
/** No JAEGER_URL: demo mode. */
export const DEMO_APP_URL = 'http://127.0.0.1:3102';
