import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { e2ePorts, loopbackUrl } from './ports.ts';

/**
 * A Jaeger of its own for the outage story, so stopping it never disturbs the other specs. Free
 * ports chosen once per run (./ports.ts); it keeps them across the story's stop and restart.
 */
export const OUTAGE_JAEGER = { name: 'e2e-outage', ...e2ePorts().outageJaeger } as const;
export const outageJaegerUrl = loopbackUrl(OUTAGE_JAEGER.queryPort);
export const outageOtlpUrl = loopbackUrl(OUTAGE_JAEGER.otlpHttpPort);

const repoRoot = resolve(__dirname, '../..');

function run(script: string): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn('bash', [script], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        SPANLENS_JAEGER_NAME: OUTAGE_JAEGER.name,
        SPANLENS_JAEGER_QUERY_PORT: String(OUTAGE_JAEGER.queryPort),
        SPANLENS_JAEGER_GRPC_PORT: String(OUTAGE_JAEGER.grpcPort),
        SPANLENS_OTLP_HTTP_PORT: String(OUTAGE_JAEGER.otlpHttpPort),
        SPANLENS_OTLP_GRPC_PORT: String(OUTAGE_JAEGER.otlpGrpcPort),
      },
    });
    child.on('error', failed);
    child.on('close', (code) => (code === 0 ? done() : failed(new Error(`${script} exited with ${code}`))));
  });
}

export const startOutageJaeger = () => run('scripts/jaeger-up.sh');
export const stopOutageJaeger = () => run('scripts/jaeger-down.sh');
