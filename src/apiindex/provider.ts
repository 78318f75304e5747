/**
 * Finds the API index of an imported package, preferring the real source the user builds with:
 *
 * 1. the tree itself: golang.org/x/sys in vendor/ (the exact version the project builds with) or
 *    in a module of the tree;
 * 2. the standard library of `go env GOROOT`, when it is the release the run analyzes for (the
 *    configured Go version's go1.N);
 * 3. the module cache (`go env GOMODCACHE`, the version the importing module's go.mod requires,
 *    after non-local `replace` directives);
 * 4. the tables bundled with goport (data/api/): for the standard library, the release nearest to the
 *    configured Go version and not newer (the oldest for a version before them all).
 *
 * What was indexed from GOROOT, the module cache, a vendored module of a known version or a copy in the
 * tree without one (keyed by the content of its files) is cached in
 * `$XDG_CACHE_HOME/goport` (or `~/.cache/goport`): written to a temporary file and renamed, so
 * concurrent runs never see half a file; a cache file that does not parse is ignored and rebuilt.
 * `GOPORT_CACHE=off` disables the cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shipped } from '../paths.js';
import type { ModuleInfo } from '../loader/discover.js';
import { goEnv } from '../loader/go-env.js';
import { DIST_LIST } from '../platform/known.js';
import type { Targets } from '../platform/targets.js';
import { indexPackageDir, listPackageFiles } from './build.js';
import { API_FORMAT, type ApiSource, type PackageApi, parseApi, serializeApi } from './format.js';
import { type Manifest, type ManifestSource, tableFile } from './generate.js';
import { isApiIndexed } from './owner.js';
import { escapeModulePath, goRootPlatforms, goRootVersion, isStdPath } from './std.js';
import { ApiView } from './view.js';

/** Where the bundled tables are: data/api of the package. */
export function bundledDir(): string {
  return shipped('data', 'api');
}

/** goport's cache directory for API indexes, or null when caching is off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GOPORT_CACHE === 'off') return null;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'goport', `api-v${API_FORMAT}`);
}

export interface ApiProviderOptions {
  /** Go release minor number for `go1.N` tags in modules. */
  goMinor: number;
  /** null: no cache. */
  cache: string | null;
  /** `go env` values, or null when Go is not installed. */
  goEnv: Record<string, string> | null;
  /** Directory of the bundled tables. */
  bundled: string;
}

export interface ApiLookup {
  api: PackageApi;
  /** Where the answer came from, for --verbose: `GOROOT go1.19.8 (cache)`, `bundled go1.19.8`... */
  origin: string;
}

/** Writes a file atomically (temporary file + rename); failures are ignored (the cache is optional). */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
  }
}

/** A short hash of a directory's package files: names, sizes and modification times. */
function dirFingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const name of listPackageFiles(dir)) {
    try {
      const st = fs.statSync(path.join(dir, name));
      h.update(`${name}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      h.update(`${name}\0?\n`);
    }
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * A hash of a directory's package files, names and contents: the cache key of a copy that has no
 * version (a local `replace`, a module of the tree), as facts are keyed by content.
 */
function dirContentHash(dir: string): string {
  const h = createHash('sha256');
  for (const name of listPackageFiles(dir)) {
    h.update(`${name}\0`);
    try {
      h.update(fs.readFileSync(path.join(dir, name)));
    } catch {
      h.update('?');
    }
    h.update('\0');
  }
  return h.digest('hex').slice(0, 24);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The characters an import path can have here (relative and odd paths get no index). */
const VALID_IMPORT = /^[A-Za-z0-9_.~+-][A-Za-z0-9_.~+\/-]*$/;

function under(importPath: string, prefix: string): string | undefined {
  if (importPath === prefix) return '';
  if (importPath.startsWith(prefix + '/')) return importPath.slice(prefix.length + 1);
  return undefined;
}

export class ApiProvider {
  private manifest: Manifest | null | undefined;
  /** Answers from the cache, GOROOT and the bundle, by cache key and import path (tree answers are not kept). */
  private readonly memo = new Map<string, ApiLookup | null>();
  /** Bundled tables read, by source directory and import path. */
  private readonly tables = new Map<string, PackageApi | null>();
  private goroot: { dir: string; version: string; known: string[] | undefined } | null | undefined;

  constructor(readonly opts: ApiProviderOptions) {}

  private static shared = new Map<string, ApiProvider>();

  /** The process-wide provider for this Go version and environment. */
  static fromEnvironment(goMinor: number): ApiProvider {
    const opts: ApiProviderOptions = { goMinor, cache: cacheDir(), goEnv: goEnv(), bundled: bundledDir() };
    const key = JSON.stringify([goMinor, opts.cache, opts.goEnv, opts.bundled]);
    let p = ApiProvider.shared.get(key);
    if (!p) ApiProvider.shared.set(key, (p = new ApiProvider(opts)));
    return p;
  }

  private bundledManifest(): Manifest | null {
    if (this.manifest === undefined) {
      try {
        this.manifest = JSON.parse(fs.readFileSync(path.join(this.opts.bundled, 'manifest.json'), 'utf8')) as Manifest;
      } catch {
        this.manifest = null;
      }
    }
    return this.manifest;
  }

  /**
   * The bundled std release answering for the configured Go version: the nearest not newer, else the
   * oldest; with why, for --verbose.
   */
  bundledStd(): { src: ManifestSource; note: string } | null {
    const std = (this.bundledManifest()?.sources ?? [])
      .filter((s) => s.module === 'std')
      .map((s) => ({ s, minor: Number(/^go1\.(\d+)/.exec(s.version)?.[1] ?? NaN) }))
      .filter((x) => !Number.isNaN(x.minor))
      .sort((a, b) => a.minor - b.minor);
    if (std.length === 0) return null;
    const want = this.opts.goMinor;
    const older = std.filter((x) => x.minor <= want);
    const pick = older.length > 0 ? older[older.length - 1]! : std[0]!;
    const note = pick.minor === want ? '' : older.length > 0 ? ` for Go 1.${want}` : ` (oldest table) for Go 1.${want}`;
    return { src: pick.s, note };
  }

  /** Reads a bundled table of `src` (a difference is applied to its base's table), once. */
  private readBundled(src: ManifestSource, importPath: string): PackageApi | null {
    const key = `bundled\0${src.dir}\0${importPath}`;
    const hit = this.tables.get(key);
    if (hit !== undefined) return hit;
    let api: PackageApi | null = null;
    try {
      api = this.readChain(src, importPath);
    } catch {
      api = null;
    }
    this.tables.set(key, api);
    return api;
  }

  /** A fresh copy of a bundled table: its base chain is read and applied in place, not kept. */
  private readChain(src: ManifestSource, importPath: string): PackageApi | null {
    if (!src.packages.includes(importPath)) return null;
    const text = fs.readFileSync(path.join(this.opts.bundled, tableFile(src, importPath)), 'utf8');
    return parseApi(text, (version) => {
      const base = this.bundledManifest()?.sources.find((s) => s.module === src.module && s.version === version && s !== src);
      return base ? this.readChain(base, importPath) : null;
    });
  }

  /** The bundled table of a package, when goport ships one (std: the release for the configured Go version). */
  bundled(importPath: string): ApiLookup | null {
    const key = `bundled\0${importPath}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let r: ApiLookup | null = null;
    if (isStdPath(importPath)) {
      const std = this.bundledStd();
      const api = std ? this.readBundled(std.src, importPath) : null;
      if (std && api) r = { api, origin: `bundled ${std.src.version}${std.note}` };
    } else {
      const src = this.bundledManifest()?.sources.find((s) => s.module !== 'std' && s.packages.includes(importPath));
      const api = src ? this.readBundled(src, importPath) : null;
      if (src && api) r = { api, origin: `bundled ${src.module}@${src.version}` };
    }
    this.memo.set(key, r);
    return r;
  }

  /**
   * When the bundled tables come from this very module version, they are the answer (the test suite
   * checks that regenerating gives the same bytes): a listed package is read from them, and an
   * unlisted one has nothing that differs (null). undefined: the bundle has another version.
   */
  private sameAsBundled(module: string, version: string, importPath: string, origin: string): ApiLookup | null | undefined {
    const src = this.bundledManifest()?.sources.find((s) => s.module === module && s.version === version);
    if (!src) return undefined;
    if (!src.packages.includes(importPath)) return null;
    const api = this.readBundled(src, importPath);
    return api ? { api, origin: `${origin} (bundled table of that version)` } : undefined;
  }

  private goRoot(): { dir: string; version: string; known: string[] | undefined } | null {
    if (this.goroot === undefined) {
      const env = this.opts.goEnv;
      const dir = env?.GOROOT;
      if (!env || !dir || !isDir(path.join(dir, 'src'))) this.goroot = null;
      else {
        const plats = goRootPlatforms(dir);
        this.goroot = {
          dir,
          version: goRootVersion(dir) ?? env.GOVERSION ?? 'devel',
          known: plats ? DIST_LIST.filter((p) => plats.includes(p)) : undefined,
        };
      }
    }
    return this.goroot;
  }

  /** Indexes `dir`, through the cache when `cacheKey` is given. */
  private indexed(
    dir: string,
    importPath: string,
    source: ApiSource,
    known: readonly string[] | undefined,
    goMinor: number,
    cacheKey: string | null,
    origin: string,
  ): ApiLookup | null {
    const memoKey = cacheKey === null ? null : `${cacheKey}\0${importPath}`;
    if (memoKey !== null) {
      const hit = this.memo.get(memoKey);
      if (hit !== undefined) return hit;
    }
    const r = this.indexFresh(dir, importPath, source, known, goMinor, cacheKey, origin);
    if (memoKey !== null) this.memo.set(memoKey, r);
    return r;
  }

  private indexFresh(
    dir: string,
    importPath: string,
    source: ApiSource,
    known: readonly string[] | undefined,
    goMinor: number,
    cacheKey: string | null,
    origin: string,
  ): ApiLookup | null {
    const file = cacheKey && this.opts.cache ? path.join(this.opts.cache, cacheKey, `${importPath}.json`) : null;
    if (file) {
      try {
        const api = parseApi(fs.readFileSync(file, 'utf8'));
        if (api.path === importPath && api.platforms.join() === DIST_LIST.join()) return { api, origin: `${origin} (cache)` };
      } catch {
        /* absent or corrupt: rebuild */
      }
    }
    const api = indexPackageDir(dir, { importPath, source, platforms: DIST_LIST, ...(known ? { known } : {}), goMinor });
    if (!api) return null;
    if (file) writeAtomic(file, serializeApi(api));
    return { api, origin: `${origin} (indexed)` };
  }

  /**
   * The index answering for `importPath` imported from a package of module `from`, whose directory
   * the tree resolves to `treeDir` (if any). Null when goport has none or another rule owns it.
   */
  lookup(from: ModuleInfo | null, importPath: string, treeDir: string | undefined): ApiLookup | null {
    if (importPath === 'C' || importPath === 'unsafe' || !VALID_IMPORT.test(importPath)) return null;
    if (importPath.split('/').some((e) => e === '.' || e === '..' || e === '')) return null;
    if (treeDir !== undefined) {
      if (!isApiIndexed(importPath)) return null; // gated-symbol's
      const v = from?.vendor?.find((m) => under(importPath, m.path) !== undefined);
      const vendored = v && treeDir.split(path.sep).includes('vendor');
      const localRepl = v?.replacement !== undefined && /^(\.{1,2}\/|\/)/.test(v.replacement);
      if (vendored && v.version && !localRepl) {
        const ver = v.replacement ? `${v.version}=>${v.replacement.replace(/\s+/g, '@')}` : v.version;
        // vendor/ can be edited by hand: the key also covers its files' names, sizes and times.
        return this.indexed(treeDir, importPath, { module: v.path, version: ver }, undefined, this.opts.goMinor,
          `vendor/${escapeModulePath(v.path)}@${escapeModulePath(ver).replace(/[^\w.@-]/g, '_')}-${dirFingerprint(treeDir)}/go1.${this.opts.goMinor}`,
          `vendor ${v.path}@${ver}`);
      }
      // No version to key it by (a local replace, a module of the tree): keyed by its files' content.
      return this.indexed(treeDir, importPath, { module: from?.path ?? 'tree', version: 'devel' }, undefined, this.opts.goMinor,
        `tree/${dirContentHash(treeDir)}/go1.${this.opts.goMinor}`, 'tree');
    }
    if (isStdPath(importPath)) {
      // GOROOT answers for its own release only; another configured version reads the bundled tables.
      const gr = this.goRoot();
      const grMinor = gr ? /^go1\.(\d+)/.exec(gr.version) : null;
      if (gr && grMinor && Number(grMinor[1]) === this.opts.goMinor) {
        const dir = path.join(gr.dir, 'src', importPath);
        if (isDir(dir)) {
          const same = this.sameAsBundled('std', gr.version, importPath, `GOROOT ${gr.version}`);
          if (same !== undefined) return same;
          return this.indexed(dir, importPath, { module: 'std', version: gr.version }, gr.known, this.opts.goMinor,
            `std@${gr.version}`, `GOROOT ${gr.version}`);
        }
        return null;
      }
      return this.bundled(importPath);
    }
    const modcache = this.opts.goEnv?.GOMODCACHE;
    if (from && modcache) {
      let best: { path: string; version: string } | undefined;
      for (const r of from.goMod.requires) {
        if (under(importPath, r.path) !== undefined && (!best || r.path.length > best.path.length)) best = r;
      }
      if (best) {
        let mod = best.path;
        let ver = best.version;
        const repl = from.goMod.replaces.find((r) => r.oldPath === mod && (!r.oldVersion || r.oldVersion === ver));
        if (repl && repl.newVersion) {
          mod = repl.newPath;
          ver = repl.newVersion;
        }
        if (!repl || repl.newVersion) {
          const rest = under(importPath, best.path)!;
          const dir = path.join(modcache, `${escapeModulePath(mod)}@${escapeModulePath(ver)}`, rest);
          if (isDir(dir)) {
            const same = this.sameAsBundled(mod, ver, importPath, `module cache ${mod}@${ver}`);
            if (same !== undefined) return same;
            return this.indexed(dir, importPath, { module: mod, version: ver }, undefined, this.opts.goMinor,
              `${escapeModulePath(mod)}@${escapeModulePath(ver)}/go1.${this.opts.goMinor}`, `module cache ${mod}@${ver}`);
          }
        }
      }
    }
    return this.bundled(importPath);
  }
}

/** Provider + views over the run's targets, shared by all packages of one run. */
export class ApiIndex {
  private readonly views = new Map<PackageApi, ApiView>();
  private readonly memo = new Map<string, ApiLookup | null>();
  /** `importPath` → where its answer came from, for --verbose (first answer per package). */
  readonly origins = new Map<string, string>();

  constructor(
    readonly provider: ApiProvider,
    readonly targets: Targets,
    private readonly onOrigin: (importPath: string, origin: string) => void = () => {},
  ) {}

  view(from: ModuleInfo | null, importPath: string, treeDir: string | undefined): ApiView | null {
    const key = `${from?.dir ?? ''}\0${importPath}`;
    let r = this.memo.get(key);
    if (r === undefined) this.memo.set(key, (r = this.provider.lookup(from, importPath, treeDir)));
    if (!r) return null;
    if (!this.origins.has(importPath)) {
      this.origins.set(importPath, r.origin);
      this.onOrigin(importPath, r.origin);
    }
    let v = this.views.get(r.api);
    if (!v) this.views.set(r.api, (v = new ApiView(r.api, this.targets)));
    return v;
  }
}

const perWorkspace = new WeakMap<object, ApiIndex>();

/**
 * The API index of one run, keyed by its workspace (any object that lives as long as the run):
 * created on first use; `count` receives `api-index <path>: <origin>` once per package for --verbose.
 */
export function apiIndexFor(run: object, targets: Targets, goMinor: number, count: (key: string) => void): ApiIndex {
  let ix = perWorkspace.get(run);
  if (!ix) {
    ix = new ApiIndex(ApiProvider.fromEnvironment(goMinor), targets, (p, origin) => count(`api-index ${p}: ${origin}`));
    perWorkspace.set(run, ix);
  }
  return ix;
}
