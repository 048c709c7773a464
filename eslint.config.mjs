import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Data walks one way (house style §1): pure lib modules never import the app, React or I/O edges.
const pureLib = ['lib/metrics/**', 'lib/query/**', 'lib/links/**'];

const config = [
  ...next,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
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
    files: pureLib,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/app/*', '@/components/*', 'next', 'next/*', 'react', 'react-dom', 'undici'],
              message: 'lib/metrics, lib/query and lib/links stay pure: no app, React or I/O imports.',
            },
            { group: ['@/lib/env', '**/env'], message: 'Pure modules take configuration as arguments, not from lib/env.' },
            {
              group: ['@/lib/jaeger/client*', '@/lib/jaeger/source-*', '**/jaeger/client*'],
              message: 'Pure modules may import span types only, not the Jaeger client.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
