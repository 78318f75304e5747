/**
 * The type stage: the types of every analyzed package, per group of platforms that compile the same
 * files of the package and of everything it imports (so the cost grows with the distinct groups,
 * not with the number of targets). Imports are read from the tree and vendor/ (Workspace), and from
 * GOROOT's source when one is given; a package whose source is absent makes every type through it
 * unknown.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PackageModel, SourceFile } from '../model/program.js';
import type { PlatformMask } from '../platform/targets.js';
import type { Workspace } from '../engine/workspace.js';
import { PackageTypes } from './package.js';

export interface TypeLayerOptions {
  /** A GOROOT whose src/ provides the standard library's source (none: std types are unknown). */
  goroot?: string;
}

export interface PackageGroup {
  /** The platforms (of the package's mask) that share these types. */
  mask: PlatformMask;
  types: PackageTypes;
}

const MAX_IMPORT_DEPTH = 200;

export class TypeLayer {
  /** (package, bit, withTests) → group key. */
  private readonly keys = new Map<string, string>();
  private readonly byKey = new Map<string, PackageTypes>();
  private readonly groupsOf = new Map<PackageModel, PackageGroup[]>();
  private readonly gorootSrc: string | undefined;
  private readonly ids = new Map<PackageModel, number>();
  /** Unknown types by reason (for --verbose). */
  readonly unknowns = new Map<string, number>();

  constructor(
    readonly ws: Workspace,
    readonly opts: TypeLayerOptions = {},
  ) {
    this.gorootSrc = opts.goroot ? path.join(opts.goroot, 'src') : undefined;
  }

  /** The package's types per platform group (the groups partition the package's mask). */
  groups(pkg: PackageModel): PackageGroup[] {
    let g = this.groupsOf.get(pkg);
    if (g) return g;
    g = [];
    const byKey = new Map<string, PackageGroup>();
    const n = this.ws.program.opts.targets.list.length;
    for (let i = 0; i < n; i++) {
      const bit = 1n << BigInt(i);
      if ((pkg.mask & bit) === 0n) continue;
      const key = this.key(pkg, bit, true, 0);
      const hit = byKey.get(key);
      if (hit) hit.mask |= bit;
      else {
        const grp: PackageGroup = { mask: bit, types: this.typesFor(pkg, bit, true, key) };
        byKey.set(key, grp);
        g.push(grp);
      }
    }
    this.groupsOf.set(pkg, g);
    return g;
  }

  /**
   * The files without facts of every package that `pkgs` import, directly or not (loading their
   * directories), so that the engine can parse them all at once on the workers.
   */
  reachableFiles(pkgs: readonly PackageModel[]): SourceFile[] {
    const out: SourceFile[] = [];
    const seen = new Set<PackageModel>(pkgs);
    const todo = [...pkgs];
    while (todo.length > 0) {
      const pkg = todo.pop()!;
      const paths = new Set<string>();
      for (const { file } of pkg.files) for (const imp of file.header.imports) paths.add(imp.path);
      for (const p of [...paths].sort()) {
        const dep = this.resolve(pkg, p);
        if (!dep || seen.has(dep)) continue;
        seen.add(dep);
        todo.push(dep);
        for (const { file } of dep.files) if (!file.facts && file.text !== undefined && !file.isTest) out.push(file);
      }
    }
    return out;
  }

  /** The types of `pkg` on one platform. */
  typesOn(pkg: PackageModel, bit: PlatformMask): PackageTypes | undefined {
    return this.groups(pkg).find((g) => (g.mask & bit) !== 0n)?.types;
  }

  private id(pkg: PackageModel): number {
    let i = this.ids.get(pkg);
    if (i === undefined) this.ids.set(pkg, (i = this.ids.size));
    return i;
  }

  private files(pkg: PackageModel, bit: PlatformMask, withTests: boolean): SourceFile[] {
    return pkg.files.filter((f) => (f.mask & bit) !== 0n && (withTests || !f.file.isTest)).map((f) => f.file);
  }

  /** A key that equals another exactly when both see the same files here and in every import. */
  private key(pkg: PackageModel, bit: PlatformMask, withTests: boolean, depth: number): string {
    const k = `${this.id(pkg)}/${bit}/${withTests ? 1 : 0}`;
    const hit = this.keys.get(k);
    if (hit !== undefined) return hit;
    this.keys.set(k, `cycle:${k}`);
    const files = this.files(pkg, bit, withTests);
    const parts = [`${this.id(pkg)}:${files.map((f) => pkg.dir.files.indexOf(f)).join(',')}`];
    if (depth < MAX_IMPORT_DEPTH) {
      const seen = new Set<string>();
      for (const f of files) {
        for (const imp of f.header.imports) {
          if (seen.has(imp.path)) continue;
          seen.add(imp.path);
          const dep = this.resolve(pkg, imp.path);
          if (dep) parts.push(this.key(dep, bit, dep.dir === pkg.dir && pkg.kind === 'xtest', depth + 1));
        }
      }
    }
    const key = parts.sort().join('|');
    this.keys.set(k, key);
    return key;
  }

  private typesFor(pkg: PackageModel, bit: PlatformMask, withTests: boolean, key = this.key(pkg, bit, withTests, 0)): PackageTypes {
    const hit = this.byKey.get(key);
    if (hit) return hit;
    this.ws.ensurePackageFacts(pkg);
    const files = this.files(pkg, bit, withTests);
    const env = {
      importPackage: (p: string): PackageTypes | undefined => {
        const dep = this.resolve(pkg, p);
        return dep ? this.typesFor(dep, bit, dep.dir === pkg.dir && pkg.kind === 'xtest') : undefined;
      },
      importName: (p: string): string | undefined => (p === 'unsafe' ? 'unsafe' : this.resolve(pkg, p)?.name),
      unknown: (reason: string) => this.unknowns.set(reason, (this.unknowns.get(reason) ?? 0) + 1),
    };
    const t = new PackageTypes(this.pathOf(pkg), pkg.name, env, files);
    this.byKey.set(key, t);
    return t;
  }

  /** The import path go/types gives a package (std's vendored packages keep their vendor/ prefix). */
  pathOf(pkg: PackageModel): string {
    const dir = pkg.dir.pkgDir.dir;
    if (this.gorootSrc && (dir === this.gorootSrc || dir.startsWith(this.gorootSrc + path.sep))) {
      const rel = path.relative(this.gorootSrc, dir).split(path.sep).join('/');
      return pkg.kind === 'xtest' ? `${rel}_test` : rel;
    }
    return pkg.importPath ?? '';
  }

  private readonly resolved = new Map<string, PackageModel | null>();

  /** The package `importPath` names from `from`, or undefined when its source is not available. */
  resolve(from: PackageModel, importPath: string): PackageModel | undefined {
    if (importPath === 'unsafe' || importPath === 'C') return undefined;
    const key = `${from.dir.pkgDir.dir}\0${importPath}`;
    const hit = this.resolved.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let r: PackageModel | undefined;
    if (from.kind === 'xtest' && importPath === from.importPath?.replace(/_test$/, '')) r = from.dir.lib;
    r ??= this.fromGoroot(from, importPath) ?? this.ws.importPackage(from, importPath);
    this.resolved.set(key, r ?? null);
    return r;
  }

  private fromGoroot(from: PackageModel, importPath: string): PackageModel | undefined {
    const src = this.gorootSrc;
    if (!src || importPath.split('/')[0]!.includes('.') && !from.dir.pkgDir.dir.startsWith(src + path.sep)) return undefined;
    const cands: string[] = [];
    if (from.dir.pkgDir.dir.startsWith(src + path.sep) || from.dir.pkgDir.dir === src) cands.push(path.join(src, 'vendor', importPath));
    if (!importPath.split('/')[0]!.includes('.')) cands.push(path.join(src, importPath));
    for (const d of cands) {
      if (!isDir(d)) continue;
      const pm = this.ws.dependencyAt(d);
      if (pm) return pm;
    }
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const byWorkspace = new WeakMap<Workspace, TypeLayer>();

/** The type layer of a workspace (one per workspace, shared by the rules). */
export function typeLayer(ws: Workspace, opts?: TypeLayerOptions): TypeLayer {
  let t = byWorkspace.get(ws);
  if (!t) byWorkspace.set(ws, (t = new TypeLayer(ws, opts)));
  return t;
}
