/**
 * Maps an import path to a directory goport can read: the importing module's own packages,
 * its vendor/ directory, `replace` directives to local paths, and other modules of the tree.
 * Standard-library and module-cache packages are resolved elsewhere (API indexes).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModuleInfo } from './discover.js';
import { goMinorOf } from './gomod.js';

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

  /** @param modules every module of the tree, by directory */
  constructor(private readonly modules: () => Iterable<ModuleInfo>) {}

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
      for (const r of from.goMod.replaces) {
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
