import { harnessDown, harnessUp } from './support/harness.ts';
import { e2ePorts, loopbackUrl } from './support/ports.ts';

/**
 * Only when e2e runs alone (no SPANLENS_TEST_JAEGER_URL): a fresh seeded `test` Jaeger on the ports
 * playwright.config.ts chose (the app servers already point at them), stopped afterwards. The
 * contract variables go into process.env, which the workers (started after this) inherit.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const { harness } = e2ePorts();
  if (harness === null) throw new Error('e2e/global-setup.ts runs only when playwright.config.ts chose the harness ports');
  const env = harnessUp();
  const expected = loopbackUrl(harness.queryPort);
  if (env.SPANLENS_TEST_JAEGER_URL !== expected) {
    harnessDown();
    throw new Error(`the harness came up on ${env.SPANLENS_TEST_JAEGER_URL}, but the app servers were pointed at ${expected}`);
  }
  Object.assign(process.env, env);
  return async () => harnessDown();
}
