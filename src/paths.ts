/**
 * Where goport's own files are, whatever runs: the TypeScript sources (vitest), tsc's output in
 * dist/src, or the bundle in dist/bundle (the CLI). Every module that reads a file shipped with
 * goport (data/, rules/*.md, the parse worker) asks here rather than counting `../` from itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory of goport's package.json (the checkout or the installed package). */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let d = here; ; d = path.dirname(d)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'goport') return (root = d);
    } catch {
      /* no package.json here (or not JSON): look further up */
    }
    if (path.dirname(d) === d) break;
  }
  // Not inside the package (a copied file): the layout of the checkout, from dist/src or src.
  return (root = path.resolve(here, path.basename(path.dirname(here)) === 'dist' ? '../..' : '..'));
}

/** A path below the package root. */
export function shipped(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
