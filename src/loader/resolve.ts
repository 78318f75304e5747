/**
 * Maps an import path to a directory goport can read: the importing module's own packages,
 * its vendor/ directory, `replace` directives to local paths, and other modules of the tree.
 * Standard-library packages are resolved elsewhere (API indexes, declaration tables); the module
 * cache by moduleCache() (for the type layer only: rules read the tree and vendor/).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModuleInfo } from './discover.js';
import { goMinorOf, parseGoMod } from './gomod.js';
import { findInModuleCache, type ModuleCacheAnswer, moduleCacheDir } from './modcache.js';

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function under(importPath: string, prefix: string): string | undefined {
  if (importPath === prefix) return '';
  if (importPath.startsWith(prefix + '/')) return importPath.slice(prefix.length + 1);
  return undefined;
}

export class ImportResolver {
  private readonly cache = new Map<string, string | null>();

  private readonly cacheAnswers = new Map<string, ModuleCacheAnswer>();
  private cacheDir: string | undefined;

  /**
   * @param modules every module of the tree, by directory
   * @param moduleCache the module cache directory (default: moduleCacheDir(), asked when first needed)
   */
  constructor(
    private readonly modules: () => Iterable<ModuleInfo>,
    moduleCache?: string,
  ) {
    this.cacheDir = moduleCache;
  }

  /**
   * Where `importPath` lies in the module cache for the main module of `from` (the module itself,
   * or the one a module-cache module was reached from), with the module's info; `{ missing }` when
   * a required module's package is not there; undefined when no required module provides it.
   */
  moduleCache(from: ModuleInfo, importPath: string): { dir: string; module: ModuleInfo } | { missing: string } | undefined {
    const main = from.cacheOf ?? from;
    const key = `${main.dir}\0${importPath}`;
    let a = this.cacheAnswers.get(key);
    if (!this.cacheAnswers.has(key)) {
      this.cacheDir ??= moduleCacheDir();
      a = findInModuleCache(main, importPath, this.cacheDir);
      this.cacheAnswers.set(key, a);
    }
    if (!a || 'missing' in a) return a;
    let goMod = parseGoMod('');
    try {
      goMod = parseGoMod(fs.readFileSync(path.join(a.moduleDir, 'go.mod'), 'utf8'));
    } catch {
      // a module without go.mod (before modules): its path is the required one
    }
    const module: ModuleInfo = { dir: a.moduleDir, path: a.modulePath, goMod: { ...goMod, module: a.modulePath }, vendor: null, cacheOf: main };
    return { dir: a.dir, module };
  }

  resolve(from: ModuleInfo | null, importPath: string): string | undefined {
    const key = `${from?.dir ?? ''}\0${importPath}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.compute(from, importPath) ?? null;
    this.cache.set(key, r);
    return r ?? undefined;
  }

  private compute(from: ModuleInfo | null, importPath: string): string | undefined {
    if (from) {
      // The module's own packages come first.
      if (from.path) {
        const rest = under(importPath, from.path);
        if (rest !== undefined) return path.join(from.dir, rest);
      }
      // vendor/ is used when modules.txt exists and the go line is 1.14 or later (or absent).
      const minor = goMinorOf(from.goMod.go);
      if (from.vendor && (minor === null || minor >= 14)) {
        const d = path.join(from.dir, 'vendor', importPath);
        if (isDir(d)) return d;
      }
      // (replace directives apply in the main module only, never in a module-cache dependency's go.mod)
      for (const r of from.cacheOf ? [] : from.goMod.replaces) {
        const local = r.newPath.startsWith('./') || r.newPath.startsWith('../') || path.isAbsolute(r.newPath);
        if (!local) continue;
        const rest = under(importPath, r.oldPath);
        if (rest !== undefined) {
          const d = path.join(path.resolve(from.dir, r.newPath), rest);
          if (isDir(d)) return d;
        }
      }
    }
    // Other modules of the tree (nested go.mod files), longest module path first.
    let best: { dir: string; len: number } | undefined;
    for (const m of this.modules()) {
      if (!m.path || m === from) continue;
      const rest = under(importPath, m.path);
      if (rest !== undefined && (!best || m.path.length > best.len)) best = { dir: path.join(m.dir, rest), len: m.path.length };
    }
    if (best && isDir(best.dir)) return best.dir;
    return undefined;
  }
}
