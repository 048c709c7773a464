import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Proves the import boundaries in eslint.config.mjs bite: each wrong import below, linted as if it sat
// in the named file, must be reported, and one allowed import per zone must not (so a zone that simply
// forbids everything fails here too). The files need not exist; the imports they name must, since
// import/no-restricted-paths skips what it cannot resolve (tsc reports those).
const root = fileURLToPath(new URL('..', import.meta.url));
const boundaryRules = new Set(['import/no-restricted-paths', 'no-restricted-imports']);
// Only the boundary rules run: the rest of the config has nothing to say about a one-line probe, and
// import/no-cycle cannot build its graph for a file that is not on disk.
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => boundaryRules.has(ruleId) });

async function boundaryReports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

describe('eslint import boundaries', () => {
  it.each([
    ['lib/metrics/probe.ts', "import '../env.ts';", 'import/no-restricted-paths'],
    ['lib/metrics/probe.ts', "import { x } from '../../lib/server/sources.ts';\nexport const y = x;", 'import/no-restricted-paths'],
    ['lib/metrics/probe.ts', "import '@/lib/jaeger/client';", 'import/no-restricted-paths'],
    ['lib/metrics/probe.ts', "import '../http/index.ts';", 'import/no-restricted-paths'],
    ['lib/metrics/probe.ts', "import '../../components/ui/button.tsx';", 'import/no-restricted-paths'],
    ['lib/query/probe.ts', "import '../cli/args.ts';", 'import/no-restricted-paths'],
    ['lib/metrics/probe.ts', "import 'react';", 'no-restricted-imports'],
    ['lib/links/probe.ts', "import 'next/navigation';", 'no-restricted-imports'],
    ['lib/metrics/probe.ts', "import 'undici';", 'no-restricted-imports'],
    ['lib/metrics/probe.ts', "import 'node:fs';", 'no-restricted-imports'],
    ['components/probe.tsx', "import '@/lib/jaeger/client';", 'import/no-restricted-paths'],
    ['components/probe.tsx', "import '../lib/jaeger/client.ts';", 'import/no-restricted-paths'],
    ['components/probe.tsx', "import '@/lib/server/sources';", 'import/no-restricted-paths'],
    ['components/probe.tsx', "import '../lib/env.ts';", 'import/no-restricted-paths'],
    ['app/api/probe/route.ts', "import '@/lib/jaeger/client';", 'import/no-restricted-paths'],
    ['app/api/probe/route.ts', "import '../../../lib/metrics/aggregator.ts';", 'import/no-restricted-paths'],
    ['lib/server/probe.ts', "import '@/app/api/metrics/route';", 'import/no-restricted-paths'],
    ['lib/api-client/probe.ts', "import '../../components/ui/button.tsx';", 'import/no-restricted-paths'],
  ])('reports %s: %s', async (filePath, code, rule) => {
    expect(await boundaryReports(filePath, code)).toEqual([rule]);
  });

  it.each([
    ['lib/metrics/probe.ts', "import type { Span } from '../jaeger/span.ts';\nexport type S = Span;"],
    ['lib/metrics/probe.ts', "import '../units.ts';"],
    ['components/probe.tsx', "import '@/lib/api-client';"],
    ['app/api/probe/route.ts', "import '@/lib/server/sources';"],
    ['lib/server/probe.ts', "import '../jaeger/client.ts';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await boundaryReports(filePath, code)).toEqual([]);
  });
});
