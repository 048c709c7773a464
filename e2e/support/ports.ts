import { choosePortsSync } from '../../lib/testing/free-ports.ts';
import type { TestJaegerPorts } from '../../lib/testing/jaeger-harness.ts';

/**
 * Every port the e2e run needs, free ones chosen once. Playwright evaluates playwright.config.ts in
 * the runner and again in every worker, and starts the web servers before globalSetup: so the runner
 * chooses (synchronously, while the config loads) and puts the choice in SPANLENS_E2E_PORTS, which
 * the workers inherit and read instead of choosing again.
 */
export interface E2ePorts {
  /** The runner that chose: a value left in a shell's environment by another run is not reused. */
  readonly runnerPid: number;
  readonly apps: { readonly main: number; readonly outage: number; readonly demo: number };
  readonly outageJaeger: { readonly queryPort: number; readonly grpcPort: number; readonly otlpHttpPort: number; readonly otlpGrpcPort: number };
  /**
   * The harness's ports when e2e starts it itself (no SPANLENS_TEST_JAEGER_URL from `npm test`):
   * the app is pointed at them before e2e/global-setup.ts starts the harness on them.
   */
  readonly harness: TestJaegerPorts | null;
}

const E2E_PORTS_ENV = 'SPANLENS_E2E_PORTS';
/** Read by lib/testing/jaeger-harness.ts (`up`); the type keeps the two names equal. */
export const HARNESS_PORTS_ENV: typeof import('../../lib/testing/jaeger-harness.ts').HARNESS_PORTS_ENV = 'SPANLENS_HARNESS_PORTS';

let cached: E2ePorts | undefined;

function inherited(): E2ePorts | undefined {
  const text = process.env[E2E_PORTS_ENV];
  if (text === undefined || text === '') return undefined;
  const ports = JSON.parse(text) as E2ePorts;
  // Playwright sets TEST_WORKER_INDEX in its workers before it loads the config there.
  const inWorker = process.env['TEST_WORKER_INDEX'] !== undefined;
  return inWorker || ports.runnerPid === process.pid ? ports : undefined;
}

function choose(): E2ePorts {
  const harnessFromOutside = (process.env['SPANLENS_TEST_JAEGER_URL'] ?? '') !== '';
  const { single, runs } = choosePortsSync({ single: harnessFromOutside ? 7 : 12, runs: harnessFromOutside ? [] : [4] });
  const port = (index: number): number => {
    const value = single[index];
    if (value === undefined) throw new Error(`e2e ports: free-ports returned ${single.length} ports`);
    return value;
  };
  const harness = (): TestJaegerPorts => {
    const hotrodPortBase = runs[0]?.[0];
    if (hotrodPortBase === undefined) throw new Error('e2e ports: free-ports returned no HotROD run');
    return { queryPort: port(7), grpcPort: port(8), otlpHttpPort: port(9), otlpGrpcPort: port(10), v3OnlyPort: port(11), hotrodPortBase };
  };
  return {
    runnerPid: process.pid,
    apps: { main: port(0), outage: port(1), demo: port(2) },
    outageJaeger: { queryPort: port(3), grpcPort: port(4), otlpHttpPort: port(5), otlpGrpcPort: port(6) },
    harness: harnessFromOutside ? null : harness(),
  };
}

export function e2ePorts(): E2ePorts {
  if (cached !== undefined) return cached;
  cached = inherited() ?? choose();
  process.env[E2E_PORTS_ENV] = JSON.stringify(cached);
  if (cached.harness !== null) process.env[HARNESS_PORTS_ENV] = JSON.stringify(cached.harness);
  return cached;
}

export const loopbackUrl = (port: number): string => `http://127.0.0.1:${port}`;
