/**
 * The bundled declaration tables (data/decls/): which release answers for the configured Go
 * version, as for the API tables (src/apiindex/provider.ts): the nearest bundled release not newer,
 * else the oldest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shipped } from '../paths.js';

/** Imports not followed: only under a tag or experiment off by default, and large. Unknown. */
export const DECL_EXCLUDE: ReadonlySet<string> = new Set([
  'time/tzdata', // time's embed.go under the timetzdata tag: one string constant of 160 kB compressed
  'simd/archsimd', // internal/runtime/maps under goexperiment.simd (Go 1.26+)
]);

/** The bundled declaration tables (data/decls of the package). */
export function declsDir(): string {
  return shipped('data', 'decls');
}

/** manifest.json's format: 2 = releases stored as differences (`base`), and modules. */
export const DECLS_MANIFEST_FORMAT = 2;

export interface DeclsManifest {
  format: number;
  releases: { version: string; dir: string; base?: string; packages: string[] }[];
  /** Module tables (golang.org/x/sys), whole. */
  modules?: { module: string; version: string; dir: string; packages: string[] }[];
}

let manifest: DeclsManifest | null | undefined;

function readManifest(dir: string): DeclsManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as DeclsManifest;
    return m.format === DECLS_MANIFEST_FORMAT ? m : null;
  } catch {
    return null;
  }
}

function bundledManifest(): DeclsManifest | null {
  if (manifest === undefined) manifest = readManifest(declsDir());
  return manifest;
}

/**
 * The bundled tables of a module's packages (golang.org/x/sys), for the module `importPath` lies
 * in, or null when none are bundled: the one version bundled (the newest goport knows).
 */
export function bundledModuleDecls(importPath: string): { dir: string; version: string; module: string } | null {
  const m = bundledManifest();
  const mod = m?.modules?.find((x) => importPath === x.module || importPath.startsWith(`${x.module}/`));
  return mod ? { dir: path.join(declsDir(), mod.dir), version: mod.version, module: mod.module } : null;
}

/** The bundled tables for Go 1.`goMinor`, or null when none are bundled. */
export function bundledDecls(goMinor: number): { dir: string; version: string } | null {
  const dir = declsDir();
  const manifest = bundledManifest();
  if (!manifest || manifest.releases.length === 0) return null;
  const minor = (v: string) => Number(/^go1\.(\d+)/.exec(v)?.[1] ?? 0);
  const sorted = [...manifest.releases].sort((a, b) => minor(a.version) - minor(b.version));
  const pick = [...sorted].reverse().find((r) => minor(r.version) <= goMinor) ?? sorted[0]!;
  return { dir: path.join(dir, pick.dir), version: pick.version };
}
