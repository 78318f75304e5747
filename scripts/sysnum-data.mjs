#!/usr/bin/env node
/**
 * Regenerates the bundled raw system call tables (data/sysnum/) from the zsysnum_*.go files.
 *
 *   node scripts/sysnum-data.mjs --xsys DIR@VERSION [--goroot DIR]
 *
 * --goroot defaults to `go env GOROOT`; --xsys is golang.org/x/sys at a release tag (the same one
 * data/api was indexed from). Needs `npm run build` first. data/sysnum/README.md records the versions.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
  process.stderr.write('usage: node scripts/sysnum-data.mjs --xsys DIR@VERSION [--goroot DIR]\n');
  process.exit(2);
}
const { generateSysnumTables } = await import(path.join(root, 'dist/src/sysnum/generate.js'));
const out = path.join(root, 'data/sysnum');
fs.mkdirSync(out, { recursive: true });
for (const [name, text] of generateSysnumTables(goroot, xsys)) {
  fs.writeFileSync(path.join(out, name), text);
  process.stderr.write(`data/sysnum/${name}: ${Buffer.byteLength(text)} bytes\n`);
}
