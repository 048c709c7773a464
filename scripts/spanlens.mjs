#!/usr/bin/env node
// The `spanlens` command. Runs the CLI bundle dist/cli/spanlens.mjs (scripts/build-cli.mjs, built by
// `npm install` and `npm run build`) in this Node: no second process, no compiling at start.
// In a checkout whose bundle is missing (npm install --ignore-scripts) or older than one of the
// sources it was built from, it is built first (esbuild, a devDependency, ~0.3 s). Without esbuild it
// falls back to running lib/cli/main.ts with Node's TypeScript support in a second Node, and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 7)) {
  process.stderr.write(`spanlens needs Node 22.7 or newer (this is ${process.version}).\n`);
  process.exit(2);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/cli/spanlens.mjs');
const args = process.argv.slice(2);

/** True when the bundle exists and no source it was built from changed since (a few dozen stat calls). */
function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  const builtAt = statSync(bundle).mtimeMs;
  try {
    const inputs = JSON.parse(readFileSync(join(root, 'dist/cli/inputs.json'), 'utf8'));
    return inputs.every((path) => {
      const stat = statSync(join(root, path), { throwIfNoEntry: false });
      return stat === undefined || stat.mtimeMs <= builtAt;
    });
  } catch {
    return false;
  }
}

async function ensureBundle() {
  if (bundleIsFresh()) return true;
  try {
    const { buildCli } = await import('./build-cli.mjs');
    await buildCli();
    return true;
  } catch (error) {
    process.stderr.write(`spanlens: could not build the CLI bundle (${error.message.split('\n')[0]}); running the TypeScript sources instead.\n`);
    return false;
  }
}

if (await ensureBundle()) {
  const { runCli } = await import(pathToFileURL(bundle).href);
  process.exitCode = await runCli(args, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    nowUs: () => Date.now() * 1_000,
  });
} else {
  // --experimental-transform-types (not just stripping) because lib/ uses constructor parameter
  // properties; --conditions=react-server makes `import 'server-only'` resolve to its empty module.
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-transform-types',
      '--conditions=react-server',
      '--disable-warning=ExperimentalWarning',
      '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
      join(root, 'lib/cli/main.ts'),
      ...args,
    ],
    { stdio: 'inherit' },
  );
  if (result.error) {
    process.stderr.write(`spanlens: could not start Node: ${result.error.message}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
