#!/usr/bin/env node
// Bundles the CLI (lib/cli/main.ts) and its aggregation worker into dist/cli/ with esbuild, so that
// `spanlens` starts as one plain-JavaScript module in the Node it was started with, instead of a
// second Node compiling the TypeScript sources on every run. Run by `npm install` (prepare) and
// `npm run build`; scripts/spanlens.mjs runs it too when the bundle is missing or older than a source.
// Writes spanlens.mjs, chunks/ (with the worker, chunks/aggregate-worker.mjs) and inputs.json (the bundled source files, for that check).
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'dist/cli');

/** Builds the bundle; each file is written under a temporary name and renamed, so a concurrent run never reads half a file. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    // parallel-aggregate.ts starts `./aggregate-worker.mjs` beside its own module, which is a chunk (checked below).
    entryPoints: { spanlens: 'lib/cli/main.ts', 'chunks/aggregate-worker': 'lib/pipeline/aggregate-worker.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Shared code and the lazily imported live-Jaeger client (undici) go to chunks: `--help` and
    // `--file` never load undici.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // `import 'server-only'` resolves to its empty module, as in Next's server build.
    conditions: ['react-server'],
    // Bundled CommonJS (undici) calls require() for node built-ins: give the ES module one.
    banner: {
      js: "import { createRequire as __spanlensCreateRequire } from 'node:module'; const require = __spanlensCreateRequire(import.meta.url);",
    },
    metafile: true,
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const pool = Object.entries(result.metafile.outputs).find(([, output]) => 'lib/pipeline/parallel-aggregate.ts' in output.inputs)?.[0];
  if (pool !== undefined && dirname(join(root, pool)) !== join(outDir, 'chunks')) {
    throw new Error(`parallel-aggregate.ts was bundled into ${pool}, not a chunk beside chunks/aggregate-worker.mjs`);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/'));
  // The entry last: by the time it is there (and newer than inputs.json), every chunk it imports is.
  const entry = join(outDir, 'spanlens.mjs');
  const files = [
    ...result.outputFiles.filter((file) => file.path !== entry).map((file) => [file.path, file.contents]),
    [join(outDir, 'inputs.json'), JSON.stringify(inputs)],
    ...result.outputFiles.filter((file) => file.path === entry).map((file) => [file.path, file.contents]),
  ];
  for (const [path, contents] of files) {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  }
  // Chunks of earlier builds (their names hold a content hash): gone once no process can still be loading them.
  const written = new Set(files.map(([path]) => path));
  const chunks = join(outDir, 'chunks');
  for (const name of readdirSync(chunks)) {
    const path = join(chunks, name);
    if (!written.has(path) && Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { force: true });
  }
  return { files: files.map(([path]) => relative(root, path)) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files } = await buildCli();
  process.stdout.write(`spanlens: built dist/cli (${files.length} files)\n`);
}
