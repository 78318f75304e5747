/**
 * The module cache (GOMODCACHE): where a dependency that is neither in the tree nor in vendor/ lies,
 * at the version the main module's go.mod requires (its `replace` directives applied), when it has
 * been downloaded. Nothing is fetched and nothing guessed: a module absent from the cache, a local
 * replacement the tree does not hold, or an import two required modules both provide (the go
 * command's "ambiguous import") has no directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { escapeModulePath } from '../apiindex/std.js';
import type { ModuleInfo } from './discover.js';
import type { Replace } from './gomod.js';
import { goEnv } from './go-env.js';

/**
 * The module cache directory: $GOMODCACHE, else what `go env GOMODCACHE` says, else the first
 * $GOPATH entry's pkg/mod, else ~/go/pkg/mod (the go command's defaults).
 */
export function moduleCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  const fromGo = env.GOPORT_NO_GO === '1' ? undefined : goEnv()?.GOMODCACHE;
  if (fromGo) return fromGo;
  const gopath = (env.GOPATH ?? '').split(path.delimiter).find((p) => p !== '');
  return path.join(gopath ?? path.join(os.homedir(), 'go'), 'pkg', 'mod');
}

/** A replace of this version wins over one of every version (the go command's rule). */
export function replacementFor(replaces: readonly Replace[], mod: string, version: string): Replace | undefined {
  return replaces.find((r) => r.oldPath === mod && r.oldVersion === version) ?? replaces.find((r) => r.oldPath === mod && r.oldVersion === undefined);
}

/** A module's root in the cache: `<cache>/<escaped path>@<escaped version>`. */
export function moduleCacheRoot(cacheDir: string, modPath: string, version: string): string {
  return path.join(cacheDir, ...`${escapeModulePath(modPath)}@${escapeModulePath(version)}`.split('/'));
}

export interface ModuleCacheHit {
  /** The package's directory. */
  dir: string;
  /** The module's root in the cache (`<cache>/<escaped path>@<escaped version>`). */
  moduleDir: string;
  modulePath: string;
  version: string;
}

export type ModuleCacheAnswer = ModuleCacheHit | { missing: string } | undefined;

function hasGoFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => n.endsWith('.go') && !n.endsWith('_test.go') && !/^[._]/.test(n));
  } catch {
    return false;
  }
}

/**
 * Where `importPath` lies in the module cache `cacheDir` for the main module `main`: undefined when
 * no required module provides it (std, or a module go.mod does not require); `{ missing }` (why)
 * when the module is required but its package is not in the cache, or the import is ambiguous.
 */
export function findInModuleCache(main: ModuleInfo, importPath: string, cacheDir: string): ModuleCacheAnswer {
  const hits: ModuleCacheHit[] = [];
  let why: string | undefined;
  for (const req of main.goMod.requires) {
    if (importPath !== req.path && !importPath.startsWith(`${req.path}/`)) continue;
    const rest = importPath.slice(req.path.length + 1);
    const rep = replacementFor(main.goMod.replaces, req.path, req.version);
    let modPath = req.path;
    let version = req.version;
    if (rep) {
      // A local replacement is the tree's (ImportResolver): not the cache's.
      if (rep.newVersion === undefined) {
        why ??= `${req.path} replaced by ${rep.newPath}, not found`;
        continue;
      }
      modPath = rep.newPath;
      version = rep.newVersion;
    }
    const moduleDir = moduleCacheRoot(cacheDir, modPath, version);
    const dir = rest === '' ? moduleDir : path.join(moduleDir, ...rest.split('/'));
    if (hasGoFiles(dir)) hits.push({ dir, moduleDir, modulePath: modPath, version });
    else why ??= `${modPath}@${version} not in the module cache`;
  }
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return { missing: `ambiguous import ${importPath} (${hits.map((h) => `${h.modulePath}@${h.version}`).join(', ')})` };
  return why === undefined ? undefined : { missing: why };
}
