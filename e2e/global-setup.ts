import { runHarness } from './support/harness.ts';

/** Only when e2e runs alone (no SPANLENS_TEST_JAEGER_URL): a fresh seeded `test` Jaeger, stopped afterwards. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  runHarness('up');
  return async () => runHarness('down');
}
