/**
 * vitest globalSetup of the integration project. When SPANLENS_TEST_JAEGER_URL is already set
 * (scripts/test-all.sh started and seeded the harness once for integration + e2e), it does nothing.
 * Otherwise it starts a fresh `test` Jaeger on free ports, seeds it (workload + HotROD), exports the
 * contract env vars (URLs with the ports chosen) to the test workers, and stops the instance when the
 * run ends.
 */
import { acquireTestJaegerLock, harnessUp, stopTestJaeger } from './jaeger-harness.ts';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if ((process.env['SPANLENS_TEST_JAEGER_URL'] ?? '') !== '') return undefined;
  // Ports are chosen afresh (free ones) for each instance, but the `test` instance name, its pid
  // files and its manifest are shared, so concurrent integration runs (several developers on one
  // machine) take turns instead of restarting the instance under each other.
  const release = await acquireTestJaegerLock();
  try {
    // Workers are started after globalSetup and inherit this process's environment.
    Object.assign(process.env, await harnessUp());
  } catch (error) {
    release();
    throw error;
  }
  return async () => {
    try {
      await stopTestJaeger();
    } finally {
      release();
    }
  };
}
