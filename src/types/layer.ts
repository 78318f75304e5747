/**
 * The type stage: the types of every analyzed package, per group of platforms that compile the same
 * files of the package and of everything it imports (so the cost grows with the distinct groups,
 * not with the number of targets). Imports are read from the tree and vendor/ (Workspace), and std
 * from GOROOT's source when one is given, else from the bundled declaration tables of the
 * configured Go release (decl-tables.ts); a package found in none makes every type through it
 * unknown. --verbose counts the std packages each source answered.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PackageModel, SourceFile } from '../model/program.js';
import type { PlatformMask } from '../platform/targets.js';
import type { Workspace } from '../engine/workspace.js';
import { isApiIndexed } from '../apiindex/owner.js';
import { isStdPath } from '../apiindex/std.js';
import type { FileFacts } from '../parser/facts.js';
import { PackageTypes, receiverBase, varSpecs } from './package.js';
import { viewOf } from '../parser/syntax-table.js';
import { type DeclFile, type DeclPackage, declFileHeader, readDeclPackage, unpackSyntax } from './decl-tables.js';
import { bundledDecls, bundledModuleDecls } from './decl-bundle.js';

export interface TypeLayerOptions {
  /** A GOROOT whose src/ provides the standard library's source (none: std types are unknown). */
  goroot?: string;
  /** Declaration tables for std (default without `goroot`: the bundled ones for the configured Go version). */
  decls?: { dir: string; version: string } | null;
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
  private readonly interned = new Map<string, number>();
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
    this.decls = this.gorootSrc ? null : opts.decls !== undefined ? opts.decls : bundledDecls(ws.program.opts.build.goMinor);
  }

  /** Where std's declarations come from when GOROOT's source is not read (null: nowhere). */
  readonly decls: { dir: string; version: string } | null;
  private readonly fromDecls = new Map<string, PackageModel | null>();
  /** std packages read from GOROOT's source (counted once each for --verbose). */
  private readonly fromSource = new Set<PackageModel>();

  /**
   * The package model of a std package from its declaration table: SourceFiles whose facts are the
   * table's imports and declaration-only syntax, with the masks the run's constraint evaluator gives
   * their build lines (as for files on disk). Undefined when no table is bundled for it.
   */
  private fromTables(from: PackageModel, importPath: string): PackageModel | undefined {
    const d = this.decls;
    if (!d) return undefined;
    if (isStdPath(importPath)) return this.fromDeclTable(d, importPath, `std declarations (bundled ${d.version})`);
    // std's own imports of its vendored packages (golang.org/x/net/... → vendor/golang.org/x/net/...).
    if (this.tableModels.has(from) && !isApiIndexed(importPath)) return this.fromDeclTable(d, `vendor/${importPath}`, `std declarations (bundled ${d.version})`);
    return undefined;
  }

  /** golang.org/x/sys from its bundled tables (when neither the tree, vendor/ nor the module cache has it). */
  private fromModuleTables(importPath: string): PackageModel | undefined {
    if (this.gorootSrc || !isApiIndexed(importPath)) return undefined;
    const d = bundledModuleDecls(importPath);
    return d ? this.fromDeclTable(d, importPath, `${d.module} declarations (bundled ${d.version})`) : undefined;
  }

  /** Package models made from declaration tables. */
  private readonly tableModels = new Set<PackageModel>();

  private fromDeclTable(d: { dir: string; version: string }, importPath: string, label: string): PackageModel | undefined {
    const key = `${d.dir}\0${importPath}`;
    const hit = this.fromDecls.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let table: DeclPackage | null = null;
    try {
      table = readDeclPackage(d.dir, importPath);
    } catch (e) {
      this.ws.count(`types: unreadable declaration table (${(e as Error).message})`);
    }
    let pm: PackageModel | undefined;
    if (table) {
      const program = this.ws.program;
      const dir = path.join(d.dir, ...importPath.split('/'));
      const files: SourceFile[] = table.files.map((f) => {
        // The header and facts of a table file depend on the table only: made once per process
        // (every run, one per platform in some tests, reads the same tables). Read-only from here.
        let made = madeOfDeclFile.get(f);
        if (!made) {
          const header = declFileHeader(f, table.name);
          const facts: FileFacts = {
            path: `${importPath}/${f.name}`, pkgName: table.name, generated: false, syntaxErrors: [],
            imports: f.imports.map(([p, alias, kind]) => ({ path: p, alias, kind, span: [1, 1, 1, 1] })),
            decls: [], methods: [], refs: [], qualRefs: [], selectors: [], litKeys: [], skips: [],
            extra: { syntax: unpackSyntax(f.syntax) },
          };
          declaredNames(facts);
          madeOfDeclFile.set(f, (made = { header, facts }));
        }
        const { header, facts } = made;
        return { name: f.name, abs: path.join(dir, f.name), path: `${importPath}/${f.name}`, header, mask: program.evaluator.fileMask(f.name, header), isTest: false, facts };
      });
      const kept = files.filter((f) => f.mask !== 0n);
      const pkgDir = { dir, relDir: importPath, goFiles: files.map((f) => f.name), module: null, importPath, vendored: false };
      const dm = { pkgDir, files, lib: undefined as unknown as PackageModel, xtest: null };
      dm.lib = {
        id: importPath, kind: 'lib', name: table.name, dir: dm, importPath,
        files: kept.map((file) => ({ file, mask: file.mask })),
        mask: kept.reduce((m, f) => m | f.mask, 0n),
      };
      pm = dm.lib;
      this.tableModels.add(pm);
      this.ws.count(`types: ${label}`);
    }
    this.fromDecls.set(key, pm ?? null);
    return pm;
  }

  /** The package's types per platform group (the groups partition the package's mask). */
  groups(pkg: PackageModel): PackageGroup[] {
    let g = this.groupsOf.get(pkg);
    if (g) return g;
    g = [];
    // Platforms that compile the same files of the package: candidates for one group.
    const own = new Map<string, PlatformMask[]>();
    const n = this.ws.program.opts.targets.list.length;
    for (let i = 0; i < n; i++) {
      const bit = 1n << BigInt(i);
      if ((pkg.mask & bit) === 0n) continue;
      const k = this.fileKey(pkg, bit, true);
      const l = own.get(k);
      if (l) l.push(bit);
      else own.set(k, [bit]);
    }
    for (const bits of own.values()) {
      const rest = [...bits];
      while (rest.length > 0) {
        // Check on the first platform; every other one whose files agree in each package the check
        // consulted (transitively) gets the same types. Exact: the answers depend on nothing else.
        const r = rest.shift()!;
        const types = this.typesFor(pkg, r, true);
        types.checkBodies();
        const closure = consultedClosure(types);
        const grp: PackageGroup = { mask: r, types };
        for (let i = 0; i < rest.length; i++) {
          const q = rest[i]!;
          if ([...closure].every((t) => t === types || this.sameAnswers(t, r, q))) {
            grp.mask |= q;
            rest.splice(i--, 1);
          }
        }
        g.push(grp);
      }
    }
    g.sort((x, y) => (x.mask < y.mask ? -1 : 1));
    this.groupsOf.set(pkg, g);
    return g;
  }

  /**
   * Whether package `t` (checked for platform `r`) would answer every lookup made of it the same
   * way on platform `q`: each name found is declared by a file `q` compiles too, each name not found
   * is declared by no file of `q`, and each listed method set comes from the same files.
   */
  private sameAnswers(t: PackageTypes, r: PlatformMask, q: PlatformMask): boolean {
    const pkg = t.model!;
    if (this.fileKey(pkg, r, t.withTests) === this.fileKey(pkg, q, t.withTests)) return true;
    const onQ = new Set(this.files(pkg, q, t.withTests));
    for (const [name, file] of t.lookedUp) {
      if (file) {
        if (!onQ.has(file)) return false;
      } else {
        for (const f of onQ) if (f.facts?.decls.some((d) => d.name === name)) return false;
      }
    }
    const onR = new Set(this.files(pkg, r, t.withTests));
    for (const typeName of t.methodsListed) {
      for (const f of pkg.dir.files) {
        if (onR.has(f) === onQ.has(f)) continue;
        if (f.facts?.methods.some((m) => m.recv === typeName)) return false;
      }
    }
    return true;
  }

  private fileKey(pkg: PackageModel, bit: PlatformMask, withTests: boolean): string {
    return this.files(pkg, bit, withTests)
      .map((f) => pkg.dir.files.indexOf(f))
      .join(',');
  }

  /**
   * The files without facts of the packages that `pkgs` import, directly or through at most
   * `maxDepth` levels (loading their directories), so that they can be parsed at once on workers.
   */
  reachableFiles(pkgs: readonly PackageModel[], maxDepth = Infinity): SourceFile[] {
    const out: SourceFile[] = [];
    const seen = new Set<PackageModel>(pkgs);
    let todo = [...pkgs];
    for (let depth = 0; depth < maxDepth && todo.length > 0; depth++) {
      const level = todo;
      todo = [];
      for (const pkg of level) this.importsOf(pkg, seen, todo, out);
    }
    return out;
  }

  private importsOf(pkg: PackageModel, seen: Set<PackageModel>, todo: PackageModel[], out: SourceFile[]): void {
    {
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
  }

  /**
   * The type stage: checks the bodies of `pkgs` on every platform group, after parsing what they
   * import (on the workers, through `parse`). Counts for --verbose go to the workspace.
   */
  async check(pkgs: readonly PackageModel[], parse: (files: SourceFile[]) => Promise<void>): Promise<void> {
    await this.parseImports(pkgs, parse);
    for (const pkg of pkgs) this.checkPackage(pkg);
    this.finish();
  }

  /** Parses what `pkgs` import directly, at once (on the workers, through `parse`); deeper imports are parsed when a type reaches them. */
  async parseImports(pkgs: readonly PackageModel[], parse: (files: SourceFile[]) => Promise<void>): Promise<void> {
    await parse(this.reachableFiles(pkgs, 1));
  }

  private checked = { groups: 0, typed: 0, unknown: new Map<string, number>() };

  /** Checks the bodies of `pkg` on every platform group (once), counting for --verbose (see finish). */
  checkPackage(pkg: PackageModel): void {
    if (pkg.mask === 0n || this.counted.has(pkg)) return;
    this.counted.add(pkg);
    const c = this.checked;
    for (const g of this.groups(pkg)) {
      c.groups++;
      g.types.checkBodies();
      for (const r of g.types.records.values()) c.typed += r.size;
      for (const u of g.types.unknowns.values()) for (const why of u.values()) c.unknown.set(why, (c.unknown.get(why) ?? 0) + 1);
    }
  }

  private readonly counted = new Set<PackageModel>();

  /**
   * Drops the expression types recorded in `pkg`'s bodies (its declarations stay: other packages
   * read them): the engine calls it once every rule is done with the package, so memory holds the
   * bodies of one package at a time, not of the tree. A later question re-checks the bodies.
   */
  releaseBodies(pkg: PackageModel): void {
    for (const g of this.groupsOf.get(pkg) ?? []) g.types.releaseBodies();
  }

  /** Writes the counts of checkPackage to the workspace's --verbose counters. */
  finish(): void {
    const { groups, typed, unknown } = this.checked;
    this.ws.count('types: platform groups checked', groups);
    this.ws.count('types: expressions typed', typed);
    // The ten commonest reasons an expression's type is unknown (a missing package names itself).
    const top = [...unknown].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    for (const [why, n] of top) this.ws.count(`types: unknown (${why})`, n);
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
    // Interned: a key names its parts by their ids, so keys stay short however deep the imports go.
    const full = parts.sort().join('|');
    let id = this.interned.get(full);
    if (id === undefined) this.interned.set(full, (id = this.interned.size));
    const key = `#${id}`;
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
        const d = dep ? this.typesFor(dep, bit, dep.dir === pkg.dir && pkg.kind === 'xtest') : undefined;
        if (d) t.consulted.add(d);
        return d;
      },
      importName: (p: string): string | undefined => (p === 'unsafe' ? 'unsafe' : this.resolve(pkg, p)?.name),
      unknown: (reason: string) => this.unknowns.set(reason, (this.unknowns.get(reason) ?? 0) + 1),
    };
    const t: PackageTypes = new PackageTypes(this.pathOf(pkg), pkg.name, env, files);
    t.model = pkg;
    t.withTests = withTests;
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
    return pkg.importPath ?? `_${dir}`;
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
    // The tree, vendor/ and local replaces come before the module cache, and golang.org/x/sys's
    // bundled tables answer only when none of them has it.
    r ??= this.fromGoroot(from, importPath) ?? this.fromTables(from, importPath) ?? this.ws.importPackage(from, importPath) ?? this.ws.moduleCachePackage(from, importPath) ?? this.fromModuleTables(importPath);
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
      if (pm) {
        if (!this.fromSource.has(pm)) (this.fromSource.add(pm), this.ws.count('types: std declarations (GOROOT source)'));
        return pm;
      }
    }
    return undefined;
  }
}

const madeOfDeclFile = new WeakMap<DeclFile, { header: SourceFile['header']; facts: FileFacts }>();

/** Fills a table file's `decls` and `methods` facts (names only: what platform grouping compares) from its syntax. */
function declaredNames(facts: FileFacts): void {
  const v = viewOf(facts.extra.syntax!);
  const span: [number, number, number, number] = [1, 1, 1, 1];
  for (const top of v.children(0)) {
    const k = v.kind(top);
    if (k === 'function_declaration') facts.decls.push({ name: v.text(v.child(top, 'name')), kind: 'func', span });
    else if (k === 'method_declaration') {
      const recv = v.child(top, 'receiver');
      const base = recv >= 0 ? receiverBase(v, recv) : undefined;
      if (base !== undefined) facts.methods.push({ recv: base, ptr: false, name: v.text(v.child(top, 'name')), span });
    } else if (k === 'type_declaration' || k === 'var_declaration' || k === 'const_declaration') {
      const kind = k === 'type_declaration' ? 'type' : k === 'var_declaration' ? 'var' : 'const';
      const specs = k === 'var_declaration' ? varSpecs(v, top) : v.children(top);
      for (const spec of specs) for (const n of v.childrenOf(spec, 'name')) facts.decls.push({ name: v.text(n), kind, span });
    }
  }
}

/** The packages whose declarations `t` read, directly or through them (t included). */
function consultedClosure(t: PackageTypes): Set<PackageTypes> {
  const seen = new Set<PackageTypes>([t]);
  const todo = [t];
  while (todo.length > 0) for (const d of todo.pop()!.consulted) if (!seen.has(d)) (seen.add(d), todo.push(d));
  return seen;
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
