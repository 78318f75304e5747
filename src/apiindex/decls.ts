/**
 * Generates the declaration tables (data/decls/, read by src/types/decl-tables.ts): for each GOROOT
 * the whole importable standard library (every package listStdPackages finds but `builtin`) and
 * the internal and vendored packages their files import, transitively; for a module checkout (x/sys)
 * the packages asked for and the packages of the module they import. The oldest and the newest
 * release are written whole, the others as differences from a neighbour (diffDeclPackage, see
 * writeDeclTables); a module is written whole. scripts/index-data.mjs decls calls this; the regeneration test calls the same
 * buildDeclPackageAt and compares the JSON text.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DECL_EXCLUDE, DECLS_MANIFEST_FORMAT } from '../types/decl-bundle.js';
import { buildDeclPackageAt, type DeclPackage, type DeclRelease, declPackageJson, diffDeclPackage, writeDeclPackage } from '../types/decl-tables.js';
import { goRootVersion, isStdPath, listStdPackages } from './std.js';

/** The x/sys packages code imports (and what they import of x/sys follows). */
export const XSYS_DECL_ROOTS: readonly string[] = [
  'golang.org/x/sys/cpu', 'golang.org/x/sys/execabs', 'golang.org/x/sys/plan9', 'golang.org/x/sys/unix', 'golang.org/x/sys/windows',
  'golang.org/x/sys/windows/registry', 'golang.org/x/sys/windows/svc', 'golang.org/x/sys/windows/svc/debug',
  'golang.org/x/sys/windows/svc/eventlog', 'golang.org/x/sys/windows/svc/mgr',
];

/** Std packages that are not importable though listStdPackages finds them. */
const NOT_IMPORTABLE = new Set(['builtin']);

/** The import paths a std release's tables hold, from the std roots and what they import. */
export function stdDeclPackages(goroot: string, version: string): Map<string, DeclPackage> {
  const src = path.join(goroot, 'src');
  const out = new Map<string, DeclPackage>();
  const seen = new Set<string>();
  const todo = listStdPackages(src).filter((p) => !NOT_IMPORTABLE.has(p));
  while (todo.length > 0) {
    const p = todo.shift()!;
    if (seen.has(p) || p === 'unsafe' || p === 'C' || DECL_EXCLUDE.has(p)) continue;
    seen.add(p);
    const t = buildDeclPackageAt(path.join(src, ...p.split('/')), p, version);
    if (!t) continue;
    out.set(p, t);
    for (const f of t.files) {
      for (const [imp] of f.imports) {
        if (isStdPath(imp)) todo.push(imp);
        // std's vendored packages (golang.org/x/net/...): `vendor/<path>`, as go/types names them.
        else if (fs.existsSync(path.join(src, 'vendor', ...imp.split('/')))) todo.push(`vendor/${imp}`);
      }
    }
  }
  return out;
}

/** The tables of a module checkout's `roots` and the packages of the module they import. */
export function moduleDeclPackages(dir: string, modulePath: string, version: string, roots: readonly string[]): Map<string, DeclPackage> {
  const out = new Map<string, DeclPackage>();
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const p = todo.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const rest = p === modulePath ? '' : p.slice(modulePath.length + 1);
    const t = buildDeclPackageAt(path.join(dir, ...rest.split('/').filter(Boolean)), p, version);
    if (!t) continue;
    out.set(p, t);
    for (const f of t.files) for (const [imp] of f.imports) if (imp === modulePath || imp.startsWith(`${modulePath}/`)) todo.push(imp);
  }
  return out;
}

export interface DeclModuleSource {
  dir: string;
  module: string;
  version: string;
  roots: readonly string[];
}

export interface DeclsWritten {
  releases: (DeclRelease & { bytes: number; stored: number })[];
  /** `sha256`: of each package's JSON text (declPackageJson), which the tests check without the source. */
  modules: (DeclRelease & { module: string; sha256: Record<string, string>; bytes: number })[];
}

/**
 * Writes `out` (data/decls): the releases of `goroots` (oldest first; the first and the last whole,
 * the others as differences from a neighbour) and the modules, and out/manifest.json. Old release and module
 * directories are removed first. Without GOROOTs the releases already written stay as they are
 * (only the modules are regenerated).
 */
export function writeDeclTables(out: string, goroots: readonly string[], modules: readonly DeclModuleSource[], log: (s: string) => void = () => {}): DeclsWritten {
  const written: DeclsWritten = { releases: [], modules: [] };
  // The oldest and the newest release are written whole; the ones between as differences from
  // the neighbour nearer to one of them (forward from the oldest for the first half, backward
  // from the newest for the second), so reading any release applies at most half the chain.
  const all: { version: string; tables: Map<string, DeclPackage> }[] = [];
  for (const goroot of goroots) {
    const version = goRootVersion(goroot);
    if (!version) throw new Error(`${goroot}: no VERSION file`);
    all.push({ version, tables: stdDeclPackages(goroot, version) });
    log(`std@${version}: read\n`);
  }
  const n = all.length;
  for (const [i, { version, tables }] of all.entries()) {
    const baseIndex = i === 0 || i === n - 1 ? -1 : i <= (n - 1) / 2 ? i - 1 : i + 1;
    const base = baseIndex >= 0 ? all[baseIndex]! : null;
    const dir = `std@${version}`;
    fs.rmSync(path.join(out, dir), { recursive: true, force: true });
    fs.mkdirSync(path.join(out, dir), { recursive: true });
    let bytes = 0;
    let stored = 0;
    for (const [p, t] of [...tables].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (base === null) {
        bytes += writeDeclPackage(path.join(out, dir), t);
        stored++;
        continue;
      }
      const d = diffDeclPackage(base.tables.get(p) ?? { ...t, version: base.version, files: [] }, t);
      if (d === null) continue;
      bytes += writeDeclPackage(path.join(out, dir), d);
      stored++;
    }
    const rel: DeclRelease & { bytes: number; stored: number } = { version, dir, ...(base ? { base: base.version } : {}), packages: [...tables.keys()].sort(), bytes, stored };
    written.releases.push(rel);
    log(`${dir}: ${tables.size} packages, ${stored} tables stored${base ? ` (differences from ${base.version})` : ''}, ${bytes} bytes\n`);
  }
  for (const m of modules) {
    const dir = `${m.module}@${m.version}`;
    fs.rmSync(path.join(out, dir), { recursive: true, force: true });
    const tables = moduleDeclPackages(m.dir, m.module, m.version, m.roots);
    let bytes = 0;
    const sums: Record<string, string> = {};
    for (const [p, t] of [...tables].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      bytes += writeDeclPackage(path.join(out, dir), t);
      sums[p] = createHash('sha256').update(declPackageJson(t)).digest('hex');
    }
    written.modules.push({ module: m.module, version: m.version, dir, packages: Object.keys(sums), sha256: sums, bytes });
    log(`${dir}: ${tables.size} packages, ${bytes} bytes\n`);
  }
  const strip = <T extends { bytes?: number; stored?: number }>({ bytes: _b, stored: _s, ...r }: T) => r;
  let releases: DeclRelease[] = written.releases.map(strip);
  if (goroots.length === 0) {
    const old = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { format: number; releases: DeclRelease[] };
    if (old.format !== DECLS_MANIFEST_FORMAT) throw new Error(`${out}/manifest.json: format ${old.format}, want ${DECLS_MANIFEST_FORMAT}: regenerate the releases too`);
    releases = old.releases;
  }
  const manifest = { format: DECLS_MANIFEST_FORMAT, releases, modules: written.modules.map(strip) };
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return written;
}
