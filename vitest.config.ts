import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const sources = ['lib/**/*', 'app/**/*', 'scripts/**/*', 'bench/**/*', 'components/**/*'];

export default defineConfig({
  resolve: { alias: { '@': root.replace(/\/$/, ''), 'server-only': `${root}lib/testing/server-only-stub.ts` } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Component tests (.test.tsx) pick happy-dom per file with `// @vitest-environment happy-dom`.
          include: sources.flatMap((glob) => [`${glob}.test.ts`, `${glob}.test.tsx`]),
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        // Real Jaeger, real OTLP spans: lib/testing/jaeger-harness.ts starts (or reuses) it and seeds it.
        extends: true,
        test: {
          name: 'integration',
          include: sources.map((glob) => `${glob}.integration.test.ts`),
          exclude: ['node_modules/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          globalSetup: ['lib/testing/integration-global-setup.ts'],
        },
      },
    ],
  },
});
