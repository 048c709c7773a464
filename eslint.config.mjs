import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Zones are matched against the *resolved* file, so `../env.ts` and `@/lib/env` are the same import.
// basePath is this folder, not process.cwd(): the rule would otherwise resolve zones against wherever
// eslint happens to be started (the boundary probe test lints from another cwd).
const root = import.meta.dirname;

// Tests wire real pieces together (routes called in-process, fixtures read with node:fs, the real
// Jaeger source in integration tests); the boundaries guard the code that ships, so tests are exempt.
const tests = ['**/*.test.ts', '**/*.test.tsx'];

// House style §2: the pure core. lib/jaeger/span.ts and span-rules.ts are the span types and the
// pure rules over them, shared by the whole app; the rest of lib/jaeger does I/O.
const pureLib = ['lib/metrics', 'lib/query', 'lib/links', 'lib/units.ts'];

const zones = [
  {
    // An allow-list: a pure module may import other pure modules and the span types, nothing else in lib/
    // (not lib/server, lib/http, lib/api-client, lib/env.ts, lib/cli, lib/pipeline, the Jaeger client…).
    // app/ and components/ are kept out of all of lib/ by the last zone.
    target: pureLib,
    from: ['lib'],
    except: ['./metrics', './query', './links', './units.ts', './jaeger/span.ts', './jaeger/span-rules.ts'],
    message:
      'Pure modules import only lib/metrics, lib/query, lib/links, lib/units.ts and lib/jaeger/span(-rules).ts; configuration arrives as arguments.',
  },
  {
    target: ['components'],
    from: ['lib/server', 'lib/jaeger', 'lib/env.ts', 'lib/cli'],
    message: 'Components take plain props: no server, Jaeger, env or CLI code (data comes through lib/api-client).',
  },
  {
    // House style §1/§7: routes go through the service layer.
    target: ['app'],
    from: ['lib/jaeger', 'lib/metrics'],
    message: 'app/ reaches Jaeger and the metrics only through lib/server (the service layer).',
  },
  {
    target: ['lib'],
    from: ['app', 'components'],
    message: 'Data walks one way: lib/ never imports app/ or components/.',
  },
];

const config = [
  ...next,
  ...nextTs,
  {
    ignores: ['.next/**', 'dist/**', 'node_modules/**', 'test-results/**', 'test-reports/**', 'playwright-report/**', 'coverage/**', 'next-env.d.ts'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: tests,
    rules: {
      'import/no-restricted-paths': ['error', { basePath: root, zones }],
    },
  },
  {
    // Bare package specifiers: no-restricted-paths only sees files it can place in the tree.
    files: pureLib.map((path) => (path.endsWith('.ts') ? path : `${path}/**`)),
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'next', 'undici', 'server-only', 'node:fs', 'node:net', 'node:http', 'fs', 'net', 'http'].map((name) => ({
            name,
            message: 'lib/metrics, lib/query and lib/links stay pure: no React, Next, network or file I/O.',
          })),
          patterns: [
            {
              group: ['react/*', 'react-dom/*', 'next/*', 'undici/*', 'node:fs/*', 'fs/*'],
              message: 'lib/metrics, lib/query and lib/links stay pure: no React, Next, network or file I/O.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
