#!/usr/bin/env node
// Runs the TypeScript CLI (lib/cli/main.ts) with Node's own TypeScript support: no build step.
// --experimental-transform-types (not just stripping) because lib/ uses constructor parameter
// properties; --conditions=react-server makes `import 'server-only'` (lib/jaeger's guard against
// bundling into client code) resolve to its empty module, as it does in Next's server build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 7)) {
  process.stderr.write(`spanlens needs Node 22.7 or newer (this is ${process.version}).\n`);
  process.exit(2);
}

const entry = fileURLToPath(new URL('../lib/cli/main.ts', import.meta.url));
const result = spawnSync(
  process.execPath,
  [
    '--experimental-transform-types',
    '--conditions=react-server',
    '--disable-warning=ExperimentalWarning',
    '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
    entry,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
if (result.error) {
  process.stderr.write(`spanlens: could not start Node: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
