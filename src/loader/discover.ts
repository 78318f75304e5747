/**
 * Discovery: turns command-line arguments (directories, files, Go patterns such as `./...`)
 * into package directories with their Go files and modules, following the go command's rules:
 * `testdata`, `_x` and `.x` directories are skipped, `vendor/` too unless asked for,
 * a directory with its own go.mod starts a module of its own, which `dir/...` does not enter (the go
 * command's rule) unless it is named or `allModules` is set; symbolic links to directories are not
 * followed (so no loops).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type GoMod, parseGoMod, parseModulesTxt, readModuleFile, type VendoredModule } from './gomod.js';

export interface ModuleInfo {
  /** Absolute directory holding go.mod. */
  dir: string;
  path: string | null;
  goMod: GoMod;
  /** vendor/modules.txt entries, when the module vendors its dependencies. */
  vendor: VendoredModule[] | null;
  /** A module read from the module cache: the main module whose requirements and replaces apply to its imports. */
  cacheOf?: ModuleInfo;
}

export interface PackageDir {
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the working directory, `/`-separated ("." for the cwd). */
  relDir: string;
  /** Names of the `.go` files Go considers (not starting with `_` or `.`), sorted. */
  goFiles: string[];
  module: ModuleInfo | null;
  importPath: string | null;
  /** The directory lies under some module's vendor/. */
  vendored: boolean;
}

export interface DiscoverOptions {
  cwd: string;
  vendor: boolean;
  /** `dir/...` also walks into nested modules (directories with their own go.mod). */
  allModules?: boolean;
}

export interface DiscoverResult {
  packages: PackageDir[];
  /** Files named explicitly on the command line (absolute): report only on those when non-empty. */
  onlyFiles: Set<string>;
  errors: { file: string; message: string }[];
  /** Every module found (by dir). */
  modules: Map<string, ModuleInfo>;
  /** Nested modules a `...` pattern did not enter (relative directories, sorted), for --verbose. */
  skippedModules: string[];
}

export function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

export function relPath(cwd: string, abs: string): string {
  const r = toSlash(path.relative(cwd, abs));
  return r === '' ? '.' : r;
}

export class ModuleCache {
  private readonly byDir = new Map<string, ModuleInfo | null>();
  readonly modules = new Map<string, ModuleInfo>();

  /**
   * A module of the module cache, rooted at `dir` (not one of the tree's `modules`: the tree's
   * imports never resolve to it as to a tree module).
   */
  seedCacheModule(dir: string, info: ModuleInfo): void {
    if (!this.byDir.has(dir)) this.byDir.set(dir, info);
  }

  /** The module whose go.mod (or vendor.mod, see readModuleFile) is nearest above (or at) `dir`. */
  moduleFor(dir: string): ModuleInfo | null {
    const hit = this.byDir.get(dir);
    if (hit !== undefined) return hit;
    let result: ModuleInfo | null;
    const file = readModuleFile(dir);
    if (file) {
      const goMod = parseGoMod(file.text);
      let vendor: VendoredModule[] | null = null;
      try {
        vendor = parseModulesTxt(fs.readFileSync(path.join(dir, 'vendor', 'modules.txt'), 'utf8'));
      } catch {
        vendor = null;
      }
      result = { dir, path: goMod.module, goMod, vendor };
      this.modules.set(dir, result);
    } else {
      const parent = path.dirname(dir);
      result = parent === dir ? null : this.moduleFor(parent);
    }
    this.byDir.set(dir, result);
    return result;
  }
}

/** The import path of a directory inside a module (or under its vendor/). */
export function importPathOf(dir: string, mod: ModuleInfo | null): { importPath: string | null; vendored: boolean } {
  if (!mod) return { importPath: null, vendored: false };
  const rel = toSlash(path.relative(mod.dir, dir));
  const parts = rel === '' ? [] : rel.split('/');
  const vi = parts.indexOf('vendor');
  if (vi >= 0) return { importPath: parts.slice(vi + 1).join('/') || null, vendored: true };
  if (mod.path === null) return { importPath: null, vendored: false };
  return { importPath: rel === '' ? mod.path : `${mod.path}/${rel}`, vendored: false };
}

/** Names of the `.go` files go/build considers in a directory (regular files or links to them), sorted. */
export function listGoFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const n = e.name;
    if (!n.endsWith('.go') || n.startsWith('_') || n.startsWith('.')) continue;
    if (e.isFile()) out.push(n);
    else if (e.isSymbolicLink()) {
      try {
        if (fs.statSync(path.join(dir, n)).isFile()) out.push(n);
      } catch {
        /* dangling link: not a Go file */
      }
    }
  }
  return out.sort();
}

/** Expands the arguments into package directories. */
export async function discover(args: readonly string[], opts: DiscoverOptions): Promise<DiscoverResult> {
  const cwd = opts.cwd;
  const mods = new ModuleCache();
  const dirs = new Map<string, string[]>();
  const onlyFiles = new Set<string>();
  const errors: DiscoverResult['errors'] = [];
  const skipped = new Set<string>();
  const patterns = args.length === 0 ? ['./...'] : args;

  for (const arg of patterns) {
    const recursive = arg === '...' || arg.endsWith('/...');
    const base = recursive ? arg.slice(0, -3).replace(/\/$/, '') || '.' : arg;
    const abs = path.resolve(cwd, base);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      errors.push({ file: toSlash(arg), message: 'no such file or directory' });
      continue;
    }
    if (st.isFile()) {
      if (!abs.endsWith('.go')) {
        errors.push({ file: toSlash(arg), message: 'not a Go file' });
        continue;
      }
      const dir = path.dirname(abs);
      onlyFiles.add(abs);
      if (!dirs.has(dir)) dirs.set(dir, listGoFiles(dir));
      continue;
    }
    if (!recursive) {
      const files = listGoFiles(abs);
      if (files.length === 0) errors.push({ file: relPath(cwd, abs), message: 'no Go files in directory' });
      else dirs.set(abs, files);
      continue;
    }
    const ignore = ['**/testdata/**', '**/_*/**'];
    if (!opts.vendor) ignore.push('**/vendor/**');
    // Loaded here, not at start-up: a run on named files (pre-commit) walks no directory.
    const { default: fg } = await import('fast-glob');
    const found = await fg(['**/*.go', '**/go.mod'], {
      cwd: abs,
      onlyFiles: true,
      followSymbolicLinks: false,
      dot: false,
      suppressErrors: true,
      ignore,
    });
    // `./...` stays in the module it starts in, as the go command's does: a directory below with its
    // own go.mod is another module. Outside any module there is none to stay in: every module is walked.
    const nested: string[] = [];
    if (!opts.allModules && mods.moduleFor(abs) !== null) {
      // (vendor/ holds packages of other modules, never modules of the tree)
      for (const f of found) if (f.endsWith('/go.mod') && !/(^|\/)vendor\//.test(f)) nested.push(f.slice(0, -'/go.mod'.length));
      nested.sort();
      for (const n of nested) skipped.add(relPath(cwd, path.join(abs, n)));
    }
    const inNested = (f: string) => nested.some((n) => f.startsWith(n + '/'));
    // A walk that descends into a skipped root (e.g. `vendor/...` given explicitly) is allowed.
    const before = dirs.size;
    let goFound = 0;
    for (const f of found) {
      const name = f.slice(f.lastIndexOf('/') + 1);
      if (!name.endsWith('.go') || name.startsWith('_') || inNested(f)) continue;
      goFound++;
      const dir = path.join(abs, path.dirname(f));
      if (!dirs.has(dir)) dirs.set(dir, listGoFiles(dir));
    }
    if (dirs.size === before && goFound === 0) {
      const hint = nested.length > 0 ? ` (${nested.length} nested module${nested.length === 1 ? '' : 's'} not entered: name ${nested.length === 1 ? 'it' : 'them'} or use --all-modules)` : '';
      errors.push({ file: relPath(cwd, abs), message: `pattern ${arg}: matched no Go files${hint}` });
    }
  }

  const packages: PackageDir[] = [];
  for (const [dir, goFiles] of [...dirs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (goFiles.length === 0) continue;
    const module = mods.moduleFor(dir);
    const { importPath, vendored } = importPathOf(dir, module);
    packages.push({ dir, relDir: relPath(cwd, dir), goFiles, module, importPath, vendored });
  }
  return { packages, onlyFiles, errors, modules: mods.modules, skippedModules: [...skipped].sort() };
}
