import { e2ePorts, loopbackUrl } from './ports.ts';

/** The app servers playwright.config.ts starts (all from the same `next build`), on free ports (./ports.ts). */
const { apps } = e2ePorts();
export const APP_PORTS = apps;
export const APP_URL = loopbackUrl(apps.main);
/** Pointed at the outage story's own Jaeger (e2e/support/outage-jaeger.ts). */
export const OUTAGE_APP_URL = loopbackUrl(apps.outage);
/** No JAEGER_URL: demo mode. */
export const DEMO_APP_URL = loopbackUrl(apps.demo);
