/** What a Go source tree (a GOROOT or a module directory) says about itself. */
import fs from 'node:fs';
import path from 'node:path';
import { toSlash } from '../loader/discover.js';

/** The release of a GOROOT: the first line of its VERSION file (`go1.19.8`), else null. */
export function goRootVersion(goroot: string): string | null {
  try {
    const first = fs.readFileSync(path.join(goroot, 'VERSION'), 'utf8').split('\n')[0]!.trim();
    return /^go\d/.test(first) ? first : null;
  } catch {
    return null;
  }
}

/**
 * The platforms a Go release supports, read from its cmd/dist/build.go (the keys of `cgoEnabled`,
 * which `go tool dist list` prints, less the `incomplete` (Go 1.19) or `broken` (Go 1.21 on) ones);
 * null when the file is absent.
 */
export function goRootPlatforms(goroot: string): string[] | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(goroot, 'src', 'cmd', 'dist', 'build.go'), 'utf8');
  } catch {
    return null;
  }
  const block = (name: string): string[] => {
    const m = new RegExp(`var ${name} = map\\[string\\]bool\\{([^}]*)\\}`).exec(text);
    if (!m) return [];
    return [...m[1]!.matchAll(/"([a-z0-9]+\/[a-z0-9]+)"\s*:\s*(true|false)/g)].map((x) => x[1]!);
  };
  const all = block('cgoEnabled');
  if (all.length === 0) return null;
  const incomplete = new Set([...block('incomplete'), ...block('broken')]);
  return all.filter((p) => !incomplete.has(p)).sort();
}

/** Import paths of a std-like tree `src`, skipping cmd/, internal, vendor, testdata, `_x` and `.x`. */
export function listStdPackages(srcDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (rel && entries.some((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go') && !/^[._]/.test(e.name))) out.push(rel);
    for (const e of entries) {
      if (!e.isDirectory() || /^[._]/.test(e.name) || e.name === 'testdata' || e.name === 'vendor' || e.name === 'internal') continue;
      if (!rel && e.name === 'cmd') continue;
      walk(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
    }
  };
  walk(srcDir, '');
  return out.sort();
}

/** Package import paths of a module directory (no nested modules, internal, testdata, `_x`, `.x`). */
export function listModulePackages(moduleDir: string, modulePath: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== moduleDir && entries.some((e) => e.name === 'go.mod')) return;
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go') && !/^[._]/.test(e.name))) {
      const rel = toSlash(path.relative(moduleDir, dir));
      out.push(rel === '' ? modulePath : `${modulePath}/${rel}`);
    }
    for (const e of entries) {
      if (!e.isDirectory() || /^[._]/.test(e.name) || e.name === 'testdata' || e.name === 'vendor' || e.name === 'internal') continue;
      walk(path.join(dir, e.name));
    }
  };
  walk(moduleDir);
  return out.sort();
}

/** A standard-library import path: its first element has no dot (the go command's rule). */
export function isStdPath(importPath: string): boolean {
  const first = importPath.split('/')[0]!;
  return first !== '' && !first.includes('.') && importPath !== 'C';
}

/** The module cache's case encoding: each upper-case letter becomes `!` and its lower case. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
