/**
 * The bundled declaration tables (data/decls/): which release answers for the configured Go
 * version, as for the API tables (src/apiindex/provider.ts): the nearest bundled release not newer,
 * else the oldest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The std packages whose declarations are bundled, with everything they import (transitively):
 * what Go code uses most, and every package with platform-specific API (os, syscall, net, time,
 * runtime). Chosen by measure: syscall is 60% of the bytes and the one most rules ask about.
 */
export const DECL_PACKAGES: readonly string[] = [
  'bufio', 'bytes', 'context', 'encoding/binary', 'errors', 'fmt', 'io', 'io/fs', 'math', 'math/bits', 'net', 'os',
  'os/exec', 'path/filepath', 'reflect', 'runtime', 'sort', 'strconv', 'strings', 'sync', 'sync/atomic', 'syscall', 'time',
  'unicode/utf8',
];

/** Imports not followed: only under a tag or experiment off by default, and large. Unknown. */
export const DECL_EXCLUDE: ReadonlySet<string> = new Set([
  'time/tzdata', // time's embed.go under the timetzdata tag: one string constant of 160 kB compressed
  'simd/archsimd', // internal/runtime/maps under goexperiment.simd (Go 1.26+)
]);

/** data/decls beside src/ (vitest) or beside dist/ (compiled). */
export function declsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const c of [path.resolve(here, '../../data/decls'), path.resolve(here, '../../../data/decls')]) {
    if (fs.existsSync(path.join(c, 'manifest.json'))) return c;
  }
  return path.resolve(here, '../../../data/decls');
}

export interface DeclsManifest {
  format: number;
  releases: { version: string; dir: string; packages: string[] }[];
}

let manifest: DeclsManifest | null | undefined;

function readManifest(dir: string): DeclsManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as DeclsManifest;
  } catch {
    return null;
  }
}

/** The bundled tables for Go 1.`goMinor`, or null when none are bundled. */
export function bundledDecls(goMinor: number): { dir: string; version: string } | null {
  const dir = declsDir();
  if (manifest === undefined) manifest = readManifest(dir);
  if (!manifest || manifest.releases.length === 0) return null;
  const minor = (v: string) => Number(/^go1\.(\d+)/.exec(v)?.[1] ?? 0);
  const sorted = [...manifest.releases].sort((a, b) => minor(a.version) - minor(b.version));
  const pick = [...sorted].reverse().find((r) => minor(r.version) <= goMinor) ?? sorted[0]!;
  return { dir: path.join(dir, pick.dir), version: pick.version };
}
