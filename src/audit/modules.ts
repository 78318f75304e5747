/**
 * Which dependencies `goport audit` looks at: the modules and packages of vendor/modules.txt, or,
 * without a vendor/ directory, the go.mod requirements found in the module cache (the packages the
 * main module imports, followed transitively, as `go mod vendor` would copy them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ModuleInfo, relPath } from '../loader/discover.js';
import { type GoMod, parseGoMod, parseModulesTxt, readModuleFile } from '../loader/gomod.js';
import { moduleCacheDir, moduleCacheRoot, replacementFor } from '../loader/modcache.js';

export interface AuditModule {
  path: string;
  /** Version as required (vendor/modules.txt or go.mod), '' for a local replacement. */
  version: string;
  /** `=> path [version]` when replaced. */
  replacement?: string;
  /** Absolute directory of the module's source: vendor/<path> or the module cache's path@version. */
  dir: string;
  /** The module is required but its source is not there (module cache mode: not downloaded). */
  missing?: boolean;
}

export interface AuditSource {
  mode: 'vendor' | 'modcache';
  /** The main module. */
  main: ModuleInfo;
  modules: AuditModule[];
  /** vendor mode: the packages modules.txt lists, by import path → module path. */
  vendoredPackages: Map<string, string>;
  /** modcache mode: the module cache directory. */
  modcache: string | null;
}

export class AuditError extends Error {}

/** The module file of `dir`: go.mod, or vendor.mod as check reads it (moby's and docker/cli's, see readModuleFile). */
function readGoMod(dir: string): GoMod {
  const file = readModuleFile(dir);
  if (!file) throw new AuditError(`${relPath(process.cwd(), dir)}: no go.mod (goport audit needs a module root)`);
  return parseGoMod(file.text);
}

const isLocalPath = (p: string) => p.startsWith('./') || p.startsWith('../') || path.isAbsolute(p);

/** Reads the module list of the module rooted at `dir`. */
export function auditSource(dir: string, env: NodeJS.ProcessEnv): AuditSource {
  const goMod = readGoMod(dir);
  let vendorText: string | undefined;
  try {
    vendorText = fs.readFileSync(path.join(dir, 'vendor', 'modules.txt'), 'utf8');
  } catch {
    vendorText = undefined;
  }
  const vendor = vendorText === undefined ? null : parseModulesTxt(vendorText);
  const main: ModuleInfo = { dir, path: goMod.module, goMod, vendor };

  if (vendor) {
    const modules: AuditModule[] = [];
    const vendoredPackages = new Map<string, string>();
    for (const v of vendor) {
      // Lines for replaced modules without packages (`# a => b`) only record the replacement.
      if (v.packages.length === 0) continue;
      const m: AuditModule = { path: v.path, version: v.version, dir: path.join(dir, 'vendor', ...v.path.split('/')) };
      if (v.replacement !== undefined) m.replacement = v.replacement;
      modules.push(m);
      for (const p of v.packages) vendoredPackages.set(p, v.path);
    }
    return { mode: 'vendor', main, modules, vendoredPackages, modcache: null };
  }

  const modcache = moduleCacheDir(env);
  const modules: AuditModule[] = [];
  for (const req of goMod.requires) {
    const r = replacementFor(goMod.replaces, req.path, req.version);
    const m: AuditModule = { path: req.path, version: req.version, dir: '' };
    if (r && isLocalPath(r.newPath)) {
      m.replacement = r.newPath;
      m.dir = path.resolve(dir, r.newPath);
    } else {
      const p = r?.newPath ?? req.path;
      const v = r?.newVersion ?? req.version;
      if (r) m.replacement = `${r.newPath}${r.newVersion ? ` ${r.newVersion}` : ''}`;
      m.dir = moduleCacheRoot(modcache, p, v);
    }
    if (!fs.existsSync(m.dir)) m.missing = true;
    modules.push(m);
  }
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { mode: 'modcache', main, modules, vendoredPackages: new Map(), modcache };
}

/** The module of an import path: the longest module path that is a prefix of it. */
export function moduleOf(modules: readonly AuditModule[], importPath: string): AuditModule | undefined {
  let best: AuditModule | undefined;
  for (const m of modules) {
    if ((importPath === m.path || importPath.startsWith(m.path + '/')) && (!best || m.path.length > best.path.length)) best = m;
  }
  return best;
}
