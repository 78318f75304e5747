#!/usr/bin/env node
/**
 * Regenerates the bundled API tables (data/api/) with `goport index`.
 *
 *   node scripts/index-data.mjs --xsys DIR@VERSION [--goroot DIR]
 *
 * --goroot defaults to `go env GOROOT`. --xsys is a checkout of golang.org/x/sys at a release tag,
 * named DIR@VERSION (a module-cache directory already is). Needs `npm run build` first.
 * data/api/README.md records which versions the committed tables came from: update it too.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
let goroot = opt('goroot');
if (!goroot) {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  goroot = r.status === 0 ? r.stdout.trim() : undefined;
}
const xsys = opt('xsys');
if (!goroot || !xsys) {
  process.stderr.write('usage: node scripts/index-data.mjs --xsys DIR@VERSION [--goroot DIR]\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, [path.join(root, 'bin/goport.js'), 'index', goroot, xsys, '-o', path.join(root, 'data/api'), '-v'], { stdio: 'inherit' });
process.exit(r.status ?? 2);
