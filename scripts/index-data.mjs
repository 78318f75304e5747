#!/usr/bin/env node
/**
 * Regenerates goport's bundled facts about Go releases.
 *
 *   node scripts/index-data.mjs --xsys DIR@VERSION [--goroot DIR]...
 *       the API tables (data/api/) with `goport index`: the first GOROOT is written in full, every
 *       later one as a difference from it. --goroot defaults to `go env GOROOT`; --xsys is a checkout
 *       of golang.org/x/sys at a release tag, named DIR@VERSION (a module-cache directory already is).
 *       Needs `npm run build` first. data/api/README.md records which versions the tables came from.
 *       Also writes the raw system call tables (data/sysnum/, see its README) from the first GOROOT
 *       and x/sys.
 *
 *   node scripts/index-data.mjs decls GOROOT... [--xsys DIR@VERSION]
 *       data/decls/: the declaration tables (package-level declarations, bodies dropped;
 *       src/types/decl-tables.ts) of the whole importable std and the internal and vendored packages
 *       it imports, for each GOROOT's release (oldest first: the first whole, each later one as
 *       differences from the one before), x/sys's unix, windows (registry, svc...), cpu, plan9 (and what they import)
 *       from a checkout at a release tag, and data/decls/manifest.json (src/apiindex/decls.ts).
 *       With --xsys alone only x/sys's tables are rewritten (the releases stay).
 *       Needs `npm run build` first.
 *
 *   node scripts/index-data.mjs ports GOROOT...
 *       src/platform/ports-table.ts: `go tool dist list -json -broken` of each GOROOT's go command
 *       (Debian's golang-1.N-go puts them at /usr/lib/go-1.N). Releases without a GOROOT at hand
 *       are derived as DERIVED below says, from documented facts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);

/**
 * Go releases Debian does not package (no golang-1.20-go in any suite): their ports are an earlier
 * release's plus the release notes' additions, minus its removals. Go 1.20: "experimental support for
 * FreeBSD on RISC-V"; openbsd/mips64 was marked broken on 2023-04-04 (go.dev/issue/58110), during
 * the Go 1.21 cycle, so Go 1.20 still lists it.
 */
const DERIVED = [
  { minor: 20, version: 'go1.20', from: 19, add: { 'freebsd/riscv64': 'c' }, remove: [], note: 'Go 1.19 plus freebsd/riscv64 (Go 1.20 release notes)' },
];

function portsCommand(goroots) {
  if (goroots.length === 0) {
    process.stderr.write('usage: node scripts/index-data.mjs ports GOROOT...\n');
    process.exit(2);
  }
  const releases = [];
  for (const goroot of goroots) {
    const go = path.join(goroot, 'bin', 'go');
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOROOT: goroot, GOFLAGS: '' };
    const version = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env }).stdout.trim();
    const m = /^go1\.(\d+)/.exec(version);
    if (!m) throw new Error(`${goroot}: no go command answers`);
    const list = (extra) => {
      const r = spawnSync(go, ['tool', 'dist', 'list', '-json', ...extra], { encoding: 'utf8', env });
      return r.status === 0 ? JSON.parse(r.stdout) : null;
    };
    const supported = list([]);
    if (!supported) throw new Error(`${goroot}: go tool dist list -json failed`);
    const flags = (p) => `${p.CgoSupported ? 'c' : ''}${p.FirstClass ? 'f' : ''}`;
    const ports = Object.fromEntries(supported.map((p) => [`${p.GOOS}/${p.GOARCH}`, flags(p)]));
    let broken = {};
    const withBroken = list(['-broken']);
    if (withBroken) {
      for (const p of withBroken) if (p.Broken) broken[`${p.GOOS}/${p.GOARCH}`] = flags(p);
    } else {
      // Before Go 1.21 (no -broken): the `incomplete` ports of cmd/dist/build.go, which dist list leaves out.
      const text = fs.readFileSync(path.join(goroot, 'src', 'cmd', 'dist', 'build.go'), 'utf8');
      const maps = {};
      for (const mm of text.matchAll(/var (\w+) = map\[string\]bool\{([^}]*)\}/g)) maps[mm[1]] = Object.fromEntries([...mm[2].matchAll(/"([a-z0-9]+\/[a-z0-9]+)"\s*:\s*(true|false)/g)].map((x) => [x[1], x[2] === 'true']));
      for (const id of Object.keys(maps.incomplete ?? {})) broken[id] = maps.cgoEnabled?.[id] ? 'c' : '';
    }
    releases.push({ minor: Number(m[1]), version, source: `go tool dist list -json of ${version} (${goroot})`, ports, broken });
  }
  for (const d of DERIVED) {
    if (releases.some((r) => r.minor === d.minor)) continue;
    const from = releases.find((r) => r.minor === d.from);
    if (!from) continue;
    const ports = { ...from.ports, ...d.add };
    for (const id of d.remove) delete ports[id];
    const broken = Object.fromEntries(Object.entries(from.broken).filter(([id]) => !(id in ports)));
    releases.push({ minor: d.minor, version: d.version, source: `derived: ${d.note}`, ports, broken });
  }
  releases.sort((a, b) => a.minor - b.minor);
  const sorted = (o) => Object.keys(o).sort().map((k) => [k, o[k]]);
  const obj = (o) => {
    const items = sorted(o).map(([k, v]) => `'${k}': '${v}'`);
    const lines = [];
    for (let i = 0; i < items.length; i += 6) lines.push(`      ${items.slice(i, i + 6).join(', ')},`);
    return items.length === 0 ? '{}' : `{\n${lines.join('\n')}\n    }`;
  };
  const out = [
    '// Code generated by `node scripts/index-data.mjs ports`; DO NOT EDIT.',
    '// The ports of each Go release goport knows: `go tool dist list -json -broken` of Debian\'s golang-1.N-go.',
    '// Flags: c = cgo supported, f = first-class port.',
    "import type { ReleasePorts } from './releases.js';",
    '',
    'export const RELEASE_PORTS: readonly ReleasePorts[] = [',
    ...releases.map((r) => [
      '  {',
      `    minor: ${r.minor},`,
      `    version: '${r.version}',`,
      `    source: ${JSON.stringify(r.source.replace(/ \(\/usr\/lib\/go-1\.\d+\)$/, ", Debian's golang-" + r.version.replace(/^go(1\.\d+).*/, '$1') + '-go'))},`,
      `    ports: ${obj(r.ports)},`,
      `    broken: ${obj(r.broken)},`,
      '  },',
    ].join('\n')),
    '];',
    '',
  ].join('\n');
  const file = path.join(root, 'src', 'platform', 'ports-table.ts');
  fs.writeFileSync(file, out);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)}: ${releases.map((r) => `${r.version} ${Object.keys(r.ports).length}`).join(', ')}\n`);
}

function tablesCommand() {
  const goroots = [];
  let xsys;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--goroot') goroots.push(args[++i]);
    else if (args[i] === '--xsys') xsys = args[++i];
  }
  if (goroots.length === 0) {
    const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
    if (r.status === 0) goroots.push(r.stdout.trim());
  }
  if (goroots.length === 0 || !xsys) {
    process.stderr.write('usage: node scripts/index-data.mjs --xsys DIR@VERSION [--goroot DIR]...\n');
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [path.join(root, 'bin/goport.js'), 'index', ...goroots, xsys, '-o', path.join(root, 'data/api'), '-v'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 2);
  return sysnumTables(goroots[0], xsys);
}

/** The raw system call tables (data/sysnum/): from the first GOROOT's syscall package and x/sys/unix. */
async function sysnumTables(goroot, xsys) {
  const { generateSysnumTables } = await import(path.join(root, 'dist/src/sysnum/generate.js'));
  fs.mkdirSync(path.join(root, 'data/sysnum'), { recursive: true });
  for (const [name, text] of generateSysnumTables(goroot, xsys)) {
    fs.writeFileSync(path.join(root, 'data/sysnum', name), text);
    process.stderr.write(`data/sysnum/${name}: ${Buffer.byteLength(text)} bytes\n`);
  }
}

async function declsCommand(rest) {
  const goroots = [];
  let xsys;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--xsys') xsys = rest[++i];
    else goroots.push(rest[i]);
  }
  if (goroots.length === 0 && !xsys) {
    process.stderr.write('usage: node scripts/index-data.mjs decls GOROOT... [--xsys DIR@VERSION]\n');
    process.exit(2);
  }
  const { writeDeclTables, XSYS_DECL_ROOTS } = await import(path.join(root, 'dist/src/apiindex/decls.js'));
  const modules = [];
  if (xsys) {
    const m = /^(.*)@(v[^@/]+)$/.exec(xsys);
    if (!m) throw new Error(`--xsys ${xsys}: want DIR@VERSION`);
    const dir = fs.existsSync(xsys) ? xsys : m[1];
    modules.push({ dir, module: 'golang.org/x/sys', version: m[2], roots: XSYS_DECL_ROOTS });
  }
  writeDeclTables(path.join(root, 'data', 'decls'), goroots, modules, (s) => process.stderr.write(s));
}

if (args[0] === 'ports') portsCommand(args.slice(1));
else if (args[0] === 'decls') await declsCommand(args.slice(1));
else await tablesCommand();
