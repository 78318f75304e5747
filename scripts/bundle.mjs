#!/usr/bin/env node
/**
 * Bundles tsc's output (dist/src) into dist/bundle: the CLI entry and the parse worker, with their
 * shared code in common chunks. Node 20 has no module compile cache, and loading the ~140 ES modules
 * one by one (resolve, open, read, compile each) is most of goport's start-up: `goport version` and
 * every `--staged` run pay it before any work, each parse worker once more. Packages from
 * node_modules stay external (tree-sitter is a native addon; the others are loaded as installed).
 * Run by `npm run build` after tsc; the code is tsc's, byte for byte in behaviour.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Chunk names carry a content hash: the chunks of an earlier build would stay beside the new ones.
fs.rmSync(path.join(root, 'dist/bundle'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js', 'parse-worker': 'dist/src/engine/parse-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // No keepNames: it wraps every closure made in a hot loop in a call that sets its name (cold run
  // on the generated bench tree: CPU 17.6-18.2 s against 16.9-17.6 s without). esbuild keeps names
  // anyway except where two would collide, and no code reads a function's name.
  logLevel: 'warning',
});
