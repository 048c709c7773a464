import { harnessUp, stopTestJaeger } from '../lib/testing/jaeger-harness.ts';

/** Only when e2e runs alone (no SPANLENS_TEST_JAEGER_URL): a fresh seeded `test` Jaeger, stopped afterwards. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await harnessUp();
  return () => stopTestJaeger();
}
