/**
 * `goport index`: generates the bundled API tables (data/api/) from Go source trees: a GOROOT
 * (its src/ holds the standard library) and module directories (golang.org/x/sys). Every package
 * is indexed; those whose API differs between platforms are written, plus a few always-wanted ones.
 * Several GOROOTs (Go releases) can be given: the first is written in full, each later one as the
 * difference from it (format.ts), which keeps a table per release small. Each source has its own
 * directory, `std@go1.19.8/` or `golang.org/x/sys@v0.47.0/`, holding `<import path>.json` per package.
 * The output is byte-for-byte reproducible from the same sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseGoMod } from '../loader/gomod.js';
import { goMinorOf } from '../loader/gomod.js';
import { DIST_LIST, NEWEST_GO_MINOR } from '../platform/known.js';
import { indexPackageDir } from './build.js';
import { API_FORMAT, type PackageApi, serializeApi, serializeApiDelta } from './format.js';
import { goRootPlatforms, goRootVersion, listModulePackages, listStdPackages } from './std.js';

/** Packages written even when nothing differs (their field types lead to packages that do). */
export const ALWAYS_BUNDLED: ReadonlySet<string> = new Set([
  'syscall', 'os', 'os/signal', 'os/user', 'os/exec', 'net', 'runtime', 'runtime/debug', 'time',
  'golang.org/x/sys/unix', 'golang.org/x/sys/windows', 'golang.org/x/sys/cpu',
]);

export interface IndexSource {
  kind: 'goroot' | 'module';
  dir: string;
  /** For modules: the module path (from go.mod) and version. */
  module?: string;
  version?: string;
}

export interface ManifestSource {
  module: string;
  version: string;
  /** Directory of its tables under the manifest's: `std@go1.19.8`, `golang.org/x/sys@v0.47.0`. */
  dir: string;
  /** Tables are differences from the source of this version and module (same packages' tables). */
  base?: string;
  packages: string[];
}

/** The table file of a package of a source, relative to the manifest's directory. */
export function tableFile(src: Pick<ManifestSource, 'dir'>, importPath: string): string {
  return `${src.dir}/${importPath}.json`;
}

/** The directory name of a source's tables. */
export function sourceDir(module: string, version: string): string {
  return `${module}@${version}`;
}

export interface Manifest {
  format: number;
  platforms: string[];
  sources: ManifestSource[];
}

/** True when the index says something: a name, member or whole package that some platform lacks. */
export function apiDiffers(api: PackageApi): boolean {
  if (api.present === 0n) return false; // needs a build tag everywhere: nothing portable to say
  return api.names.size > 0 || api.members.size > 0 || api.present !== api.known;
}

/** Recognizes `DIR` (a GOROOT or a module) and `DIR@VERSION` arguments. */
export function parseIndexSource(arg: string, cwd: string): IndexSource {
  let dir = path.resolve(cwd, arg);
  let version: string | undefined;
  if (!fs.existsSync(dir)) {
    const at = arg.lastIndexOf('@');
    if (at > 0) {
      version = arg.slice(at + 1);
      dir = path.resolve(cwd, arg.slice(0, at));
    }
  } else {
    const m = /@(v[^/\\]+)$/.exec(dir);
    if (m) version = m[1];
  }
  if (!fs.existsSync(dir)) throw new Error(`${arg}: no such directory`);
  if (fs.existsSync(path.join(dir, 'src', 'runtime')) || fs.existsSync(path.join(dir, 'VERSION'))) return { kind: 'goroot', dir };
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  } catch {
    throw new Error(`${arg}: neither a GOROOT (src/runtime) nor a module (go.mod)`);
  }
  const mod = parseGoMod(text).module;
  if (!mod) throw new Error(`${arg}: go.mod has no module line`);
  return { kind: 'module', dir, module: mod, version: version ?? 'devel' };
}

export interface GenerateResult {
  manifest: Manifest;
  /** Relative file name → contents. */
  files: Map<string, string>;
  /** Packages indexed per source (written or not). */
  indexed: number;
}

/** `Type.Member` and name keys of what a table records as differing, as `path.Name`. */
function differingNames(apis: Iterable<PackageApi>, into: Set<string>): Set<string> {
  for (const api of apis) {
    for (const n of [...api.names.keys(), ...api.open.keys()]) into.add(`${api.path}.${n}`);
    for (const k of api.members.keys()) into.add(`${api.path}.${k.slice(0, k.indexOf('.'))}`);
  }
  return into;
}

/** Indexes the sources; `only` restricts to these import paths (and always writes them). */
export function generateIndexes(sources: readonly IndexSource[], only?: ReadonlySet<string>): GenerateResult {
  const manifest: Manifest = { format: API_FORMAT, platforms: [...DIST_LIST], sources: [] };
  const files = new Map<string, string>();
  const written: { src: ManifestSource; std: boolean; apis: Map<string, PackageApi> }[] = [];
  let indexed = 0;
  for (const src of sources) {
    let module: string;
    let version: string;
    let known: readonly string[] | undefined;
    let goMinor: number;
    let packages: { importPath: string; dir: string }[];
    if (src.kind === 'goroot') {
      module = 'std';
      version = goRootVersion(src.dir) ?? 'devel';
      const plats = goRootPlatforms(src.dir);
      if (plats) known = DIST_LIST.filter((p) => plats.includes(p));
      goMinor = goMinorOf(version.replace(/^go/, '')) ?? NEWEST_GO_MINOR;
      const srcDir = path.join(src.dir, 'src');
      packages = listStdPackages(srcDir).map((p) => ({ importPath: p, dir: path.join(srcDir, p) }));
    } else {
      module = src.module!;
      version = src.version ?? 'devel';
      goMinor = NEWEST_GO_MINOR;
      packages = listModulePackages(src.dir, module).map((p) => ({
        importPath: p,
        dir: path.join(src.dir, p === module ? '' : p.slice(module.length + 1)),
      }));
    }
    const apis = new Map<string, PackageApi>();
    for (const p of packages) {
      if (only && !only.has(p.importPath)) continue;
      const api = indexPackageDir(p.dir, {
        importPath: p.importPath,
        source: { module, version },
        platforms: DIST_LIST,
        ...(known ? { known } : {}),
        goMinor,
      });
      indexed++;
      if (!api || api.name === 'main') continue;
      if (!only && !apiDiffers(api) && !ALWAYS_BUNDLED.has(p.importPath)) continue;
      apis.set(p.importPath, api);
    }
    const entry: ManifestSource = { module, version, dir: sourceDir(module, version), packages: [...apis.keys()] };
    manifest.sources.push(entry);
    written.push({ src: entry, std: src.kind === 'goroot', apis });
  }
  // Field types into other packages are kept only when they lead to a difference the tables record:
  // for a std release, its own tables' and the modules'; for a module, every source's.
  const modules = differingNames(written.filter((w) => !w.std).flatMap((w) => [...w.apis.values()]), new Set());
  const everything = differingNames(written.flatMap((w) => [...w.apis.values()]), new Set());
  for (const w of written) {
    const differing = w.std ? differingNames(w.apis.values(), new Set(modules)) : everything;
    for (const api of w.apis.values()) for (const [k, v] of api.fieldTypes) if (v.includes('.') && !differing.has(v)) api.fieldTypes.delete(k);
  }
  // The first std release is written in full; each later one as the difference from the release
  // before it, package by package (a package new to a release is written in full).
  let prev: (typeof written)[number] | undefined;
  for (const w of written) {
    const base = w.std ? prev : undefined;
    if (base) w.src.base = base.src.version;
    for (const [ip, api] of w.apis) {
      const b = base?.apis.get(ip);
      files.set(tableFile(w.src, ip), b ? serializeApiDelta(api, b) : serializeApi(api));
    }
    if (w.std) prev = w;
  }
  return { manifest, files, indexed };
}

export function serializeManifest(m: Manifest): string {
  const lines = [
    '{',
    `  "format": ${m.format},`,
    `  "platforms": ${JSON.stringify(m.platforms)},`,
    '  "sources": [',
    m.sources
      .map((s) => [
        '    {',
        `      "module": ${JSON.stringify(s.module)},`,
        `      "version": ${JSON.stringify(s.version)},`,
        `      "dir": ${JSON.stringify(s.dir)},`,
        ...(s.base !== undefined ? [`      "base": ${JSON.stringify(s.base)},`] : []),
        `      "packages": ${JSON.stringify(s.packages)}`,
        '    }',
      ].join('\n'))
      .join(',\n'),
    '  ]',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Removes the tables an earlier run listed in `dir`/manifest.json (nothing else), and folders left empty. */
function removeTables(dir: string): void {
  let old: Manifest;
  try {
    old = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return;
  }
  for (const src of old.sources ?? []) {
    // Format 1 manifests had no dir: their tables lay directly under `dir`.
    const sdir = typeof src.dir === 'string' ? src.dir : '';
    if (sdir.split('/').some((e) => e === '.' || e === '..')) continue;
    for (const p of src.packages ?? []) {
      if (typeof p !== 'string' || p.split('/').some((e) => e === '' || e === '.' || e === '..')) continue;
      const file = path.join(dir, sdir, `${p}.json`);
      fs.rmSync(file, { force: true });
      for (let d = path.dirname(file); d.startsWith(dir + path.sep); d = path.dirname(d)) {
        try {
          fs.rmdirSync(d); // only when empty
        } catch {
          break;
        }
      }
    }
  }
}

/** Writes the tables under `outDir`, replacing the tables (not the other files) already there. */
export function writeIndexes(outDir: string, r: GenerateResult): void {
  removeTables(outDir);
  for (const [rel, text] of r.files) {
    const p = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'manifest.json'), serializeManifest(r.manifest));
}
