/**
 * `goport index`: generates the bundled API tables (data/api/) from Go source trees: a GOROOT
 * (its src/ holds the standard library) and module directories (golang.org/x/sys). Every package
 * is indexed; those whose API differs between platforms are written, plus a few always-wanted ones.
 * The output is byte-for-byte reproducible from the same sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseGoMod } from '../loader/gomod.js';
import { goMinorOf } from '../loader/gomod.js';
import { DIST_LIST, NEWEST_GO_MINOR } from '../platform/known.js';
import { indexPackageDir } from './build.js';
import { API_FORMAT, type PackageApi, serializeApi } from './format.js';
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
  packages: string[];
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

/** Indexes the sources; `only` restricts to these import paths (and always writes them). */
export function generateIndexes(sources: readonly IndexSource[], only?: ReadonlySet<string>): GenerateResult {
  const manifest: Manifest = { format: API_FORMAT, platforms: [...DIST_LIST], sources: [] };
  const files = new Map<string, string>();
  const apis = new Map<string, PackageApi>();
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
    const written: string[] = [];
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
      written.push(p.importPath);
    }
    manifest.sources.push({ module, version, packages: written });
  }
  // Field types into other packages are kept only when they lead to a difference the tables record.
  const differing = new Set<string>();
  for (const [ip, api] of apis) {
    for (const n of [...api.names.keys(), ...api.open.keys()]) differing.add(`${ip}.${n}`);
    for (const k of api.members.keys()) differing.add(`${ip}.${k.slice(0, k.indexOf('.'))}`);
  }
  for (const [ip, api] of apis) {
    for (const [k, v] of api.fieldTypes) if (v.includes('.') && !differing.has(v)) api.fieldTypes.delete(k);
    files.set(`${ip}.json`, serializeApi(api));
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
      .map((s) => `    {\n      "module": ${JSON.stringify(s.module)},\n      "version": ${JSON.stringify(s.version)},\n      "packages": ${JSON.stringify(s.packages)}\n    }`)
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
    for (const p of src.packages ?? []) {
      if (typeof p !== 'string' || p.split('/').some((e) => e === '' || e === '.' || e === '..')) continue;
      const file = path.join(dir, `${p}.json`);
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
