/**
 * The type stage: the types of every analyzed package, per group of platforms that compile the same
 * files of the package and of everything it imports (so the cost grows with the distinct groups,
 * not with the number of targets). Imports are read from the tree and vendor/ (Workspace), and std
 * from GOROOT's source when one is given, else from the bundled declaration tables of the
 * configured Go release (decl-tables.ts); a package found in none makes every type through it
 * unknown. --verbose counts the std packages each source answered.
 */
import crypto, { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type DirModel, hasText, type PackageModel, type SourceFile } from '../model/program.js';
import type { PlatformMask } from '../platform/targets.js';
import type { Workspace } from '../engine/workspace.js';
import { isApiIndexed } from '../apiindex/owner.js';
import { isStdPath } from '../apiindex/std.js';
import type { FileFacts } from '../parser/facts.js';
import { type BodyCheck, type BodyReuse, constSpecs, type FileDecls, PackageTypes, receiverBase, varSpecs } from './package.js';
import { type NodeId, type SyntaxView, viewOf } from '../parser/syntax-table.js';
import { type DeclFile, type DeclPackage, declFileHeader, unpackSyntax } from './decl-tables.js';
import { type DeclHeader, DeclHeaderIndex } from './decl-index.js';
import { bundledDecls, bundledModuleDecls } from './decl-bundle.js';
import { type Dep, leavesOf } from './track.js';
import { flag, flagged } from './platform-flags.js';

export interface TypeLayerOptions {
  /** A GOROOT whose src/ provides the standard library's source (none: std types are unknown). */
  goroot?: string;
  /** Declaration tables for std (default without `goroot`: the bundled ones for the configured Go version). */
  decls?: { dir: string; version: string } | null;
  /** Where the headers of the declaration tables are kept between runs (the facts cache's directory). */
  indexDir?: string;
  /** Whether a group takes the records of a declaration another group of the package checked where they answer the same (default true; false: every group checks every body). */
  reuseBodies?: boolean;
}

export interface PackageGroup {
  /** The platforms (of the package's mask) that share these types. */
  mask: PlatformMask;
  types: PackageTypes;
}

const MAX_IMPORT_DEPTH = 200;
/** GOPORT_NO_REUSE=1: every group checks every body (for comparisons: the answers are the same). */
const NO_REUSE = process.env.GOPORT_NO_REUSE === '1';
const DEBUG_REUSE = process.env.GOPORT_DEBUG_REUSE ? new Map<string, number>() : undefined;
if (DEBUG_REUSE) process.on('exit', () => { for (const [k, n] of [...DEBUG_REUSE].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stderr.write(`not reused ${n} ${k}\n`); });

export class TypeLayer {
  /** (package, bit, withTests) → group key. */
  private readonly keys = new Map<PackageModel, Map<bigint, string>[]>();
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
  /** The header index of each table directory (std of the configured release, golang.org/x/sys). */
  private readonly headerIndexes = new Map<string, DeclHeaderIndex>();
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
    let found: { header: DeclHeader; table: () => DeclPackage | null } | null = null;
    try {
      let index = this.headerIndexes.get(d.dir);
      if (!index) this.headerIndexes.set(d.dir, (index = new DeclHeaderIndex(d.dir, d.version, this.opts.indexDir)));
      found = index.header(importPath);
    } catch (e) {
      this.ws.count(`types: unreadable declaration table (${(e as Error).message})`);
    }
    let pm: PackageModel | undefined;
    if (found) {
      const table = found.header;
      const syntaxOf = (name: string) => {
        try {
          const f = found.table()?.files.find((x) => x.name === name);
          return f ? unpackSyntax(f.syntax) : undefined;
        } catch (e) {
          this.ws.count(`types: unreadable declaration table (${(e as Error).message})`);
          return undefined;
        }
      };
      const program = this.ws.program;
      const dir = path.join(d.dir, ...importPath.split('/'));
      const files: SourceFile[] = table.files.map((f) => {
        const header = f.header ?? declFileHeader(f as DeclFile, table.name); // reads only the build lines and imports
        const facts: FileFacts = {
          path: `${importPath}/${f.name}`, pkgName: table.name, generated: false, syntaxErrors: [],
          imports: f.imports.map(([p, alias, kind]) => ({ path: p, alias, kind, span: [1, 1, 1, 1] })),
          decls: [], methods: [], refs: [], qualRefs: [], selectors: [], litKeys: [], skips: [],
          extra: {},
        };
        const sf: SourceFile = { name: f.name, abs: path.join(dir, f.name), path: `${importPath}/${f.name}`, header, mask: program.evaluator.fileMask(f.name, header), isTest: false, facts };
        // Unpacked when first read: a run reads the tables of every std package its imports reach
        // (for their files per platform) but the syntax and names of far fewer.
        lazy(facts.extra, 'syntax', () => syntaxOf(f.name));
        let named = false;
        const names = () => {
          if (!named) {
            named = true;
            const decls: FileFacts['decls'] = [];
            const methods: FileFacts['methods'] = [];
            const syntax = facts.extra.syntax;
            if (syntax) declaredNames(syntax, decls, methods);
            lazy(facts, 'decls', () => decls);
            lazy(facts, 'methods', () => methods);
          }
        };
        lazy(facts, 'decls', () => (names(), facts.decls));
        lazy(facts, 'methods', () => (names(), facts.methods));
        return sf;
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

  /** Which bodies are checked (undefined: all of every analyzed package's files); see focus. */
  private bodySelection: ((file: SourceFile) => 'all' | ReadonlySet<NodeId> | undefined) | undefined;

  /**
   * Checks the bodies of `files` only (a run that reports on some files: --staged, `check FILE`),
   * and of the top-level declarations `extra` names in other files (what a rule reads of them: the
   * functions whose atomic summaries calls in `files` need). Every file's declarations are still read
   * for types. Platform groups are then those of the bodies checked (each body's answers are the
   * same on every platform of its group, as with every body checked). Called before the first check.
   */
  focus(files: ReadonlySet<SourceFile>, extra: ReadonlyMap<SourceFile, ReadonlySet<NodeId>> = new Map()): void {
    this.bodySelection = (f) => {
      if (files.has(f)) return 'all';
      const e = extra.get(f);
      return e && e.size > 0 ? e : undefined;
    };
    for (const t of this.byKey.values()) t.bodySelection = this.bodySelection;
  }

  /** The package's types per platform group (the groups partition the package's mask). */
  groups(pkg: PackageModel): PackageGroup[] {
    let g = this.groupsOf.get(pkg);
    if (g) return g;
    g = [];
    // Platforms that compile the same files of the package: candidates for one group.
    const own = new Map<string, PlatformMask[]>();
    const n = this.ws.program.opts.targets.list.length;
    // A vendored package only where the tree imports it (--vendor): no rule reports on it elsewhere,
    // and an analyzed package that imports it on a platform is reached there too. (Not `checked`:
    // with binaries, a package checked on a platform may import one that is not, whose summaries
    // and answers it still needs there.)
    const on = pkg.mask & (pkg.reached ?? pkg.mask);
    for (let i = 0; i < n; i++) {
      const bit = 1n << BigInt(i);
      if ((on & bit) === 0n) continue;
      const k = this.fileKey(pkg, bit, true);
      const l = own.get(k);
      if (l) l.push(bit);
      else own.set(k, [bit]);
    }
    // Each top-level declaration checked so far, per file: a group whose platform compiles the file
    // and answers every leaf the check read the same (own names included) takes its records.
    const bodies = new Map<SourceFile, Map<NodeId, BodyCheck[]>>();
    const several = (pkg.mask & (pkg.mask - 1n)) !== 0n && this.opts.reuseBodies !== false && !NO_REUSE;
    for (const bits of own.values()) {
      const rest = [...bits];
      while (rest.length > 0) {
        // Check on the first platform; every other one whose files agree in each package the check
        // consulted (transitively) gets the same types. Exact: the answers depend on nothing else.
        const r = rest.shift()!;
        const types = this.typesFor(pkg, r, true);
        if (several) types.bodyReuse = this.bodyReuse(bodies, r);
        types.checkBodies();
        types.bodyReuse = undefined;
        // The names and method sets the check read (its own are the same on every candidate: the
        // same files; those of the groups it took records from are compared as any other package's).
        const leaves = leavesOf(types.bodyDep).filter((d) => d.pkg !== types);
        const grp: PackageGroup = { mask: r, types };
        for (let i = 0; i < rest.length; i++) {
          const q = rest[i]!;
          const qi = this.platformIndex(q);
          if (leaves.every((d) => this.sameLeaf(d, q, qi))) {
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
   * The checks of `bodies` a group on platform `r` takes: one whose every leaf (a name or method set
   * of the package itself on another group, or of a dependency there) answers the same on `r`, so
   * that checking the declaration again would record the same types (as a merged platform's do).
   */
  private bodyReuse(bodies: Map<SourceFile, Map<NodeId, BodyCheck[]>>, r: PlatformMask): BodyReuse {
    const ri = this.platformIndex(r);
    return {
      find: (file, top) => {
        const l = bodies.get(file)?.get(top);
        for (const c of l ?? []) if (this.holdsAll(c.dep, r, ri)) return c;
        if (DEBUG_REUSE && l) {
          const bad = leavesOf(l[0]!.dep).find((d) => !this.sameLeaf(d, r, ri))!;
          const k = `${bad.pkg!.path}${bad.methods ? ' methods of ' : '.'}${bad.name}`;
          DEBUG_REUSE.set(k, (DEBUG_REUSE.get(k) ?? 0) + 1);
        }
        return undefined;
      },
      keep: (file, top, c) => {
        let m = bodies.get(file);
        if (!m) bodies.set(file, (m = new Map()));
        const l = m.get(top);
        if (l) l.push(c);
        else m.set(top, [c]);
      },
    };
  }

  /** Whether platform `q` uses the types `t` themselves for their package (the same files there and in everything it imports). */
  private typesKeyOn(t: PackageTypes, q: PlatformMask, qi: number): boolean {
    if (flagged(t.sameKeyOn, qi)) return true;
    if (flagged(t.diffKeyOn, qi)) return false;
    const v = t.key !== undefined && this.key(t.model!, q, t.withTests, 0) === t.key;
    if (v) t.sameKeyOn = flag(t.sameKeyOn, qi);
    else t.diffKeyOn = flag(t.diffKeyOn, qi);
    return v;
  }

  /** Each single-platform mask → its index in the targets (the index into platform-flags.ts's Flags). */
  private readonly platformIndexes = new Map<PlatformMask, number>();

  private platformIndex(bit: PlatformMask): number {
    let i = this.platformIndexes.get(bit);
    if (i === undefined) {
      i = bit.toString(2).length - 1;
      if (bit !== 1n << BigInt(i)) throw new Error(`not one platform: ${bit}`);
      this.platformIndexes.set(bit, i);
    }
    return i;
  }

  /** Whether the key of `t`'s package on `q` is computed already (or whether typesKeyOn has answered). */
  private keyKnown(t: PackageTypes, q: PlatformMask, qi: number): boolean {
    return flagged(t.sameKeyOn, qi) || flagged(t.diffKeyOn, qi) || this.keys.get(t.model!)?.[t.withTests ? 1 : 0]?.has(q) === true;
  }

  /** The walks of holdsAll so far (a node reached by the current one carries its number). */
  private walks = 0;
  /** holdsAll's work lists, kept between walks: the nodes reached, the index of the one each was reached from, those to expand. */
  private readonly walkNodes: Dep[] = [];
  private readonly walkFrom: number[] = [];
  private readonly walkTodo: number[] = [];

  /**
   * Whether every leaf reachable from `root` answers on `q` as where it was read (sameLeaf). Each node
   * keeps the platforms it is known to hold on (every leaf below it was found the same) and not to
   * (a leaf below it differs), so that the parts many declarations read (a std signature and
   * what it reaches) are walked once per platform, not once per declaration. A leaf whose types
   * are the very ones `q` uses answers the same with all it read, which is not walked.
   */
  private holdsAll(root: Dep, q: PlatformMask, qi: number): boolean {
    if (flagged(root.ok, qi)) return true;
    if (flagged(root.bad, qi)) return false;
    const walk = ++this.walks;
    const nodes = this.walkNodes;
    const from = this.walkFrom;
    const todo = this.walkTodo;
    nodes.length = from.length = todo.length = 0;
    // A node that differs makes every node on the way it was reached by differ.
    const fail = (at: number): false => {
      for (let k = at; k >= 0; k = from[k]!) {
        const d = nodes[k]!;
        d.bad = flag(d.bad, qi);
      }
      nodes.length = from.length = todo.length = 0;
      return false;
    };
    // Reached: 1 to expand, 0 to leave (its types are those of `q`: known only when q's key of
    // that package was computed already, as it is not worth computing here), -1 differs.
    const reach = (d: Dep): number => {
      if (!d.pkg) return 1;
      if (!this.sameLeaf(d, q, qi)) return -1;
      return this.keyKnown(d.pkg, q, qi) && this.typesKeyOn(d.pkg, q, qi) ? 0 : 1;
    };
    root.walk = walk;
    nodes.push(root);
    from.push(-1);
    const r = reach(root);
    if (r < 0) return fail(0);
    if (r > 0) todo.push(0);
    while (todo.length > 0) {
      const i = todo.pop()!;
      const deps = nodes[i]!.deps;
      if (deps === undefined) continue;
      for (const e of deps) {
        if (e.walk === walk || flagged(e.ok, qi)) continue;
        e.walk = walk;
        const j = nodes.push(e) - 1;
        from.push(i);
        if (flagged(e.bad, qi)) return fail(j);
        const v = reach(e);
        if (v < 0) return fail(j);
        if (v > 0) todo.push(j);
      }
    }
    for (const d of nodes) d.ok = flag(d.ok, qi);
    nodes.length = from.length = 0;
    return true;
  }

  /**
   * Whether the leaf `d` (a name or a method set of a package's types for some platform r) has the
   * same answer on platform `q`: a name found is declared by a file `q` compiles too (or, in std,
   * by a declaration of the same syntax in a file with the same imports: the per-GOARCH files of
   * syscall and runtime repeat most of their declarations), a name not found is declared by no
   * file of `q`, and a method set comes from the same files (or, in std, the same declarations).
   * With the answers of every leaf a computation read the same, its result is the same.
   */
  private sameLeaf(d: Dep, q: PlatformMask, qi: number): boolean {
    if (flagged(d.sameOn, qi)) return true;
    if (flagged(d.diffOn, qi)) return false;
    const v = this.leafOn(d, q, qi);
    if (v) d.sameOn = flag(d.sameOn, qi);
    else d.diffOn = flag(d.diffOn, qi);
    if (this.refusals && !v) {
      const k = `${this.pathOf(d.pkg!.model!)}${d.methods ? ' methods of ' : '.'}${d.name}${d.member !== undefined ? `.${d.member}` : ''}`;
      this.refusals.set(k, (this.refusals.get(k) ?? 0) + 1);
    }
    return v;
  }

  /** Refused merges per leaf (GOPORT_DEBUG_GROUPS=1 prints them at finish). */
  private readonly refusals = process.env.GOPORT_DEBUG_GROUPS ? new Map<string, number>() : undefined;

  private leafOn(d: Dep, q: PlatformMask, qi: number): boolean {
    const t = d.pkg!;
    const pkg = t.model!;
    const name = d.name!;
    const tf = t.compiled;
    if (flagged(t.sameFilesOn, qi)) return true;
    const onQ = this.fileSet(pkg, q, t.withTests);
    if (!flagged(t.diffFilesOn, qi)) {
      if (tf.length === onQ.size && tf.every((f) => onQ.has(f))) {
        t.sameFilesOn = flag(t.sameFilesOn, qi);
        return true;
      }
      t.diffFilesOn = flag(t.diffFilesOn, qi);
    }
    const byText = this.comparesByText(pkg);
    if (!d.methods) {
      const file = d.file!;
      const index = this.declIndex(pkg);
      if (file) {
        if (onQ.has(file)) return true;
        if (!byText) return false;
        // The one file of q that declares the name, with the same declaration.
        let other: SourceFile | undefined;
        let n = 0;
        for (const f of index.get(name) ?? []) if (onQ.has(f)) (other = f), n++;
        if (n !== 1) return false;
        const sig = declSignature(file, name);
        return sig !== undefined && sig === declSignature(other!, name);
      }
      for (const f of index.get(name) ?? []) if (onQ.has(f)) return false;
      return true;
    }
    let differs = false;
    for (const f of this.filesDiffering(t, q, onQ)) {
      if (declaresMethod(f, name, d.member)) {
        differs = true;
        break;
      }
    }
    if (!differs) return true;
    if (!byText) return false;
    const list = (files: Iterable<SourceFile>) =>
      [...files]
        .map((f) => methodSignatures(f, name, d.member))
        .filter((x) => x !== '')
        .join('\n');
    return list(tf) === list(this.files(pkg, q, t.withTests));
  }

  /** Per package types: platform → the files of the directory compiled by one of the two only (what a method set leaf reads). */
  private readonly differing = new WeakMap<PackageTypes, Map<PlatformMask, SourceFile[]>>();

  private filesDiffering(t: PackageTypes, q: PlatformMask, onQ: ReadonlySet<SourceFile>): SourceFile[] {
    let m = this.differing.get(t);
    if (!m) this.differing.set(t, (m = new Map()));
    let l = m.get(q);
    if (!l) {
      const onR = new Set(t.compiled);
      m.set(q, (l = t.model!.dir.files.filter((f) => onR.has(f) !== onQ.has(f))));
    }
    return l;
  }

  /** (package, with tests) → bit → the files compiled there. */
  private readonly fileSets = new Map<PackageModel, Map<bigint, Set<SourceFile>>[]>();

  private fileSet(pkg: PackageModel, bit: PlatformMask, withTests: boolean): Set<SourceFile> {
    let l = this.fileSets.get(pkg);
    if (!l) this.fileSets.set(pkg, (l = [new Map(), new Map()]));
    const m = l[withTests ? 1 : 0]!;
    let s = m.get(bit);
    if (!s) m.set(bit, (s = new Set(this.files(pkg, bit, withTests))));
    return s;
  }

  /** name → the files of the package's directory whose facts declare it at package level. */
  private readonly declIndexes = new Map<DirModel, Map<string, SourceFile[]>>();

  private declIndex(pkg: PackageModel): Map<string, SourceFile[]> {
    let idx = this.declIndexes.get(pkg.dir);
    if (!idx) {
      idx = new Map();
      for (const f of pkg.dir.files) {
        for (const d of f.facts?.decls ?? []) {
          const l = idx.get(d.name);
          if (!l) idx.set(d.name, [f]);
          else if (l[l.length - 1] !== f) l.push(f);
        }
      }
      this.declIndexes.set(pkg.dir, idx);
    }
    return idx;
  }

  /**
   * Whether declarations of `pkg` may be compared by their syntax rather than by their file, as
   * seen from an importer: any imported package (the importer's answers hold types and values,
   * never a dependency's positions; the package's own groups are made from its own files).
   */
  private comparesByText(pkg: PackageModel): boolean {
    return pkg.kind === 'lib';
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
        for (const { file } of dep.files) if (hasText(file) && !file.facts && !file.isTest) out.push(file);
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

  private checked = { groups: 0, typed: 0, fresh: 0, reused: 0, unknown: new Map<string, number>() };

  /** Checks the bodies of `pkg` on every platform group (once), counting for --verbose (see finish). */
  checkPackage(pkg: PackageModel): void {
    if (pkg.mask === 0n || this.counted.has(pkg)) return;
    this.counted.add(pkg);
    const c = this.checked;
    for (const g of this.groups(pkg)) {
      c.groups++;
      c.fresh += g.types.bodiesFresh;
      c.reused += g.types.bodiesReused;
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

  /** The keys of `byKey` per package (for forget). */
  private readonly keysOf = new Map<PackageModel, string[]>();
  /**
   * Drops the package's own groups (its types with its test files, which no other package imports
   * but its external test package): the engine calls it once the rules of its directory ran. The
   * declarations other packages read stay (forget drops those). Its group masks stay (groupMasks).
   */
  forgetGroups(pkg: PackageModel): void {
    const g = this.groupsOf.get(pkg);
    if (!g) return;
    this.forgottenMasks.set(pkg, g.map((x) => x.mask));
    this.groupsOf.delete(pkg);
    const own = new Set(g.map((x) => x.types).filter((t) => pkg.kind === 'xtest' || t.files.some((f) => f.file.isTest)));
    const ks = this.keysOf.get(pkg) ?? [];
    const kept = ks.filter((k) => !own.has(this.byKey.get(k)!));
    for (const k of ks) if (own.has(this.byKey.get(k)!)) this.byKey.delete(k);
    this.keysOf.set(pkg, kept);
    // No package reads its test files any more (the external test package ran too).
    this.forgetFiles(pkg.files.filter(({ file }) => pkg.kind === 'xtest' || file.isTest).map(({ file }) => file));
  }

  /**
   * Drops what the layer keeps per file beside the types: the file's scope and declarations (which
   * hold its syntax table) and its declarations' signatures. Made again from the facts if asked.
   */
  private forgetFiles(files: readonly SourceFile[]): void {
    for (const f of files) {
      this.fileDecls.delete(f);
      signatures.delete(f);
    }
  }

  /**
   * Drops every type made so far (groups and declarations, group masks kept): the engine calls it
   * between two packages when many types accumulated, so that the packages still to be checked
   * make again only the declarations they read. Nothing made before stays reachable from the
   * types made after (each is made again from the facts), so no two copies of a type ever meet.
   */
  reset(): void {
    for (const [pkg, g] of this.groupsOf) this.forgottenMasks.set(pkg, g.map((x) => x.mask));
    this.groupsOf.clear();
    this.byKey.clear();
    this.keysOf.clear();
  }

  /** How many packages' types (one per package and group of platforms) are kept. */
  get typesKept(): number {
    return this.byKey.size;
  }

  /** The group masks of packages whose groups were forgotten. */
  private readonly forgottenMasks = new Map<PackageModel, PlatformMask[]>();

  /**
   * Drops every type of `pkg` (its groups and the declarations other packages read): the engine
   * calls it once no package left to check can reach `pkg` through its imports, so memory holds the
   * types of what is still to be imported, not of the tree. Its group masks stay (groupMasks).
   */
  forget(pkg: PackageModel): void {
    for (const k of this.keysOf.get(pkg) ?? []) this.byKey.delete(k);
    this.keysOf.delete(pkg);
    const g = this.groupsOf.get(pkg);
    if (g) {
      this.forgottenMasks.set(pkg, g.map((x) => x.mask));
      this.groupsOf.delete(pkg);
    }
    // And what the layer keeps per file and per package beside the types (caches, made again if asked).
    this.forgetFiles(pkg.files.map(({ file }) => file));
    this.fileSets.delete(pkg);
    this.keys.delete(pkg);
    if (pkg.kind === 'lib') this.declIndexes.delete(pkg.dir);
  }

  /** Whether the package's files are made from bundled declaration tables (no source files to read again). */
  isTableModel(pkg: PackageModel): boolean {
    return this.tableModels.has(pkg);
  }

  /** The masks of the package's platform groups (also after forget). */
  groupMasks(pkg: PackageModel): PlatformMask[] {
    return this.forgottenMasks.get(pkg) ?? this.groups(pkg).map((g) => g.mask);
  }

  /** Writes the counts of checkPackage to the workspace's --verbose counters. */
  finish(): void {
    const { groups, typed, unknown } = this.checked;
    for (const index of this.headerIndexes.values()) index.flush();
    this.ws.count('types: platform groups checked', groups);
    this.ws.count('types: bodies checked', this.checked.fresh);
    this.ws.count('types: bodies reused across groups', this.checked.reused);
    if (this.refusals) for (const [k, n] of [...this.refusals].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stderr.write(`refused ${n} ${k}\n`);
    this.ws.count('types: expressions typed', typed);
    this.ws.count('types: expressions unknown', [...unknown.values()].reduce((a, b) => a + b, 0));
    // The ten commonest reasons an expression's type is unknown (a missing package names itself).
    const top = [...unknown].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    for (const [why, n] of top) this.ws.count(`types: unknown (${why})`, n);
  }

  /**
   * The platforms of `g` on which an answer computed after grouping from `g.types` holds: the
   * answer was computed within `dep` (track.ts), and it holds on a platform where every dependency
   * name and method set it read answers the same (as the group's own merge asks of the body check).
   * A rule that resolves a part the body check never resolved (a dependency struct's layout) asks
   * this, so that a platform of the group whose files declare that part otherwise gets its own
   * answer (typesAlone) instead of the first platform's.
   */
  holdsOn(dep: Dep, g: PackageGroup): PlatformMask {
    const leaves = leavesOf(dep).filter((d) => d.pkg !== g.types);
    const first = g.mask & -g.mask;
    let out = 0n;
    for (let rest = g.mask; rest !== 0n; rest &= rest - 1n) {
      const q = rest & -rest;
      // The first platform too when some records came from another group's check: their types are
      // that group's objects, whose parts resolved now answer for that group's platform.
      if (q === first && g.types.bodiesReused === 0) {
        out |= q;
        continue;
      }
      const qi = this.platformIndex(q);
      if (leaves.every((d) => this.sameLeaf(d, q, qi))) out |= q;
    }
    return out;
  }

  /** The types of `pkg` on platform `bit` alone (with its test files), outside its groups: for an answer holdsOn refused there. */
  typesAlone(pkg: PackageModel, bit: PlatformMask): PackageTypes {
    this.ws.count('types: answers re-checked on one platform');
    if (DEBUG_REUSE) process.stderr.write(`alone ${this.pathOf(pkg)} ${bit} reused=${this.typesFor(pkg, bit, true).bodiesReused}\n`);
    const t = this.typesFor(pkg, bit, true);
    // A group's own types whose records were partly taken from another group's check: checked
    // again on their own (every record made from this platform's objects).
    return t.bodiesReused === 0 ? t : this.typesFor(pkg, bit, true, `${this.key(pkg, bit, true, 0)}!alone`);
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

  /** Each directory's files → their index in it (the keys name files by index). */
  private readonly fileIndexes = new WeakMap<DirModel, Map<SourceFile, number>>();

  /** A key that equals another exactly when both see the same files here and in every import. */
  private key(pkg: PackageModel, bit: PlatformMask, withTests: boolean, depth: number): string {
    let byBit = this.keys.get(pkg);
    if (!byBit) this.keys.set(pkg, (byBit = [new Map(), new Map()]));
    const keys = byBit[withTests ? 1 : 0]!;
    const hit = keys.get(bit);
    if (hit !== undefined) return hit;
    const k = `${this.id(pkg)}/${bit}/${withTests ? 1 : 0}`;
    keys.set(bit, `cycle:${k}`);
    const files = this.files(pkg, bit, withTests);
    let at = this.fileIndexes.get(pkg.dir);
    if (!at) this.fileIndexes.set(pkg.dir, (at = new Map(pkg.dir.files.map((f, i) => [f, i]))));
    const parts = [`${this.id(pkg)}:${files.map((f) => at.get(f)).join(',')}`];
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
    keys.set(bit, key);
    return key;
  }

  /** Each file's scope and declarations, shared by the PackageTypes that compile it. */
  private readonly fileDecls = new WeakMap<SourceFile, FileDecls>();

  private typesFor(pkg: PackageModel, bit: PlatformMask, withTests: boolean, key = this.key(pkg, bit, withTests, 0)): PackageTypes {
    const hit = this.byKey.get(key);
    if (hit) return hit;
    this.ws.ensurePackageFacts(pkg);
    const files = this.files(pkg, bit, withTests);
    const imported = new Map<string, PackageTypes | undefined>();
    const env = {
      importPackage: (p: string): PackageTypes | undefined => {
        if (imported.has(p)) return imported.get(p);
        const dep = this.resolve(pkg, p);
        const d = dep ? this.typesFor(dep, bit, dep.dir === pkg.dir && pkg.kind === 'xtest') : undefined;
        imported.set(p, d);
        return d;
      },
      importName: (p: string): string | undefined => (p === 'unsafe' ? 'unsafe' : this.resolve(pkg, p)?.name),
      missing: (p: string): string => this.whyMissing(p),
      unknown: (reason: string) => this.unknowns.set(reason, (this.unknowns.get(reason) ?? 0) + 1),
      fileCache: this.fileDecls,
    };
    const t: PackageTypes = new PackageTypes(this.pathOf(pkg), pkg.name, env, files);
    t.model = pkg;
    t.key = key;
    t.withTests = withTests;
    t.compiled = files;
    t.aliases = this.ws.program.opts.build.goMinor >= 23;
    t.bodySelection = this.bodySelection;
    this.byKey.set(key, t);
    const ks = this.keysOf.get(pkg);
    if (ks) ks.push(key);
    else this.keysOf.set(pkg, [key]);
    return t;
  }

  /** Why `importPath` resolves to no package, for --verbose (the reason its types are unknown). */
  whyMissing(importPath: string): string {
    if (importPath === 'C') return 'cgo (import "C")';
    if (isApiIndexed(importPath)) return `names only, no declarations (${importPath.split('/').slice(0, 3).join('/')})`;
    if (isStdPath(importPath)) {
      if (this.gorootSrc) return `std package not in GOROOT (${importPath})`;
      if (!this.decls) return `no declaration tables for this Go release (std ${importPath})`;
      return `no declaration table (std ${importPath})`;
    }
    return `missing module (${importPath})`;
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

  /** Importing directory → import path → package. */
  private readonly resolved = new Map<string, Map<string, PackageModel | null>>();

  /** The package `importPath` names from `from`, or undefined when its source is not available. */
  resolve(from: PackageModel, importPath: string): PackageModel | undefined {
    if (importPath === 'unsafe' || importPath === 'C') return undefined;
    let byPath = this.resolved.get(from.dir.pkgDir.dir);
    if (!byPath) this.resolved.set(from.dir.pkgDir.dir, (byPath = new Map()));
    const hit = byPath.get(importPath);
    if (hit !== undefined) return hit ?? undefined;
    let r: PackageModel | undefined;
    if (from.kind === 'xtest' && importPath === from.importPath?.replace(/_test$/, '')) r = from.dir.lib;
    // The tree, vendor/ and local replaces come before the module cache, and golang.org/x/sys's
    // bundled tables answer only when none of them has it.
    r ??= this.fromGoroot(from, importPath) ?? this.fromTables(from, importPath) ?? this.ws.importPackage(from, importPath) ?? this.ws.moduleCachePackage(from, importPath) ?? this.fromModuleTables(importPath);
    byPath.set(importPath, r ?? null);
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

/** A property computed on first read, then kept as a plain value (writable, as the facts' own fields). */
function lazy<T extends object, K extends keyof T>(o: T, key: K, make: () => T[K]): void {
  Object.defineProperty(o, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(o, key, { configurable: true, enumerable: true, writable: true, value });
      return value;
    },
    set(value: T[K]) {
      Object.defineProperty(o, key, { configurable: true, enumerable: true, writable: true, value });
    },
  });
}

/** A table file's `decls` and `methods` facts (names only: what platform grouping compares) from its syntax. */
function declaredNames(syntax: NonNullable<FileFacts['extra']['syntax']>, decls: FileFacts['decls'], methods: FileFacts['methods']): void {
  const facts = { decls, methods };
  const v = viewOf(syntax);
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

/**
 * A file's package-level declarations by name, each as a string that equals another exactly when
 * the type layer would resolve both alike given the same package-level lookups: the declaration's
 * syntax (kinds, fields, texts and shape of its subtree), its kind, for constants the iota and the
 * spec whose values repeat, and the file's imports. Undefined for a name declared twice in the file.
 * Kept as digests of those strings: they live as long as the file, and the strings of a file are
 * several times its size (machine-translated C such as modernc.org/libc's 4 MB ccgo_linux_*.go per
 * GOARCH held gigabytes on grafana/loki). Each digest is made when first asked: a file is indexed
 * by name once, and a comparison reads a few of its declarations (syscall's zerrors_*.go declare
 * thousands of constants per platform, of which an importer reads a handful).
 */
const signatures = new WeakMap<SourceFile, FileSignatures>();

/** Where a declaration's signature string comes from (FileSignatures; `at`, `last`: a constant's iota and values spec). */
interface SigSource {
  kind: 'func' | 'type' | 'var' | 'const';
  node: NodeId;
  at?: number;
  last?: NodeId;
  digest?: string;
}

interface FileSignatures {
  file: SourceFile;
  imports: string;
  /** name → its declaration (null: declared twice in the file). */
  decls: Map<string, SigSource | null>;
  /** receiver base type → its method declarations, in order; and per `base\0name`. */
  methods: Map<string, NodeId[]>;
  members: Map<string, NodeId[]>;
  /** Digests made: a method declaration's, and the lists of methodSignatures. */
  methodDigests: Map<NodeId, string>;
  lists: Map<string, string>;
}

function fileSignatures(f: SourceFile): FileSignatures {
  let s = signatures.get(f);
  if (s) return s;
  const imports = (f.facts?.imports ?? []).map((i) => `${i.kind}:${i.alias ?? ''}:${i.path}`).join(';');
  s = { file: f, imports, decls: new Map(), methods: new Map(), members: new Map(), methodDigests: new Map(), lists: new Map() };
  signatures.set(f, s);
  const t = f.facts?.extra.syntax;
  if (!t) return s;
  const v = viewOf(t);
  const decls = s.decls;
  const put = (name: string, src: SigSource) => decls.set(name, decls.has(name) ? null : src);
  const push = (m: Map<string, NodeId[]>, k: string, n: NodeId) => {
    const l = m.get(k);
    if (l) l.push(n);
    else m.set(k, [n]);
  };
  for (const top of v.children(0)) {
    switch (v.kind(top)) {
      case 'function_declaration':
        put(v.text(v.child(top, 'name')), { kind: 'func', node: top });
        break;
      case 'method_declaration': {
        const recv = v.child(top, 'receiver');
        const base = recv >= 0 ? receiverBase(v, recv) : undefined;
        if (base !== undefined) {
          push(s.methods, base, top);
          push(s.members, `${base}\0${v.text(v.child(top, 'name'))}`, top);
        }
        break;
      }
      case 'type_declaration':
        for (const spec of v.children(top)) {
          const k = v.kind(spec);
          if (k === 'type_spec' || k === 'type_alias') put(v.text(v.child(spec, 'name')), { kind: 'type', node: spec });
        }
        break;
      case 'var_declaration':
        for (const spec of varSpecs(v, top)) for (const n of v.childrenOf(spec, 'name')) put(v.text(n), { kind: 'var', node: spec });
        break;
      case 'const_declaration': {
        for (const { spec, iota, valueSpec: last } of constSpecs(v, top)) {
          const src: SigSource = { kind: 'const', node: spec, at: iota, last };
          for (const n of v.childrenOf(spec, 'name')) put(v.text(n), src);
        }
        break;
      }
      default:
        break;
    }
  }
  return s;
}

/** The view of the file's syntax table, for a digest made after indexing (the same table, or the same one read again). */
function sigView(s: FileSignatures): SyntaxView | undefined {
  const t = s.file.facts?.extra.syntax;
  return t ? viewOf(t) : undefined;
}

/** A digest no other equals: for a declaration whose file cannot be read again (its answer is then never taken as another's). */
let unmatched = 0;
const noDigest = (): string => `\0unreadable ${unmatched++}`;

function sourceDigest(s: FileSignatures, src: SigSource): string {
  if (src.digest !== undefined) return src.digest;
  const v = sigView(s);
  if (!v) return noDigest();
  let sig: string;
  if (src.kind !== 'const') sig = `${src.kind}:${subtree(v, src.node)}`;
  else {
    const own = subtree(v, src.node);
    const last = src.last!;
    const values = last >= 0 && last !== src.node ? subtree(v, last) : '';
    // The spec's place in its block matters only through iota (zerrors_*.go files list
    // different constants per GOARCH before the same `O_TRUNC = 0x200`).
    const at = IOTA.test(own) || IOTA.test(values) ? src.at : '';
    sig = `const:${at}:${own}:${values}`;
  }
  return (src.digest = digest(`${sig}#${s.imports}`));
}

/** The word iota anywhere in a subtree's text (conservative: also in a string or a longer name's part). */
const IOTA = /(^|[^\p{L}\p{N}_])iota($|[^\p{L}\p{N}_])/u;

/** crypto.hash (Node 20.12 and later): no Hash object per digest, which costs more than hashing a short signature. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

/** A declaration's signature string as a digest (equal exactly when the strings are, but for a SHA-256 collision). */
function digest(sig: string): string {
  return oneShotHash ? oneShotHash('sha256', sig, 'base64') : createHash('sha256').update(sig).digest('base64');
}

/** The subtree of `n` as text: each node's kind, field, text and subtree size, in order. */
function subtree(v: SyntaxView, n: NodeId): string {
  const end = v.next(n);
  let out = '';
  for (let i = n; i < end; i++) out += `${v.kind(i)}/${v.field(i)}/${v.next(i) - i}/${v.text(i)} `;
  return out;
}

/** Each file's methods: receiver type name → method names (from its facts). */
const methodIndexes = new WeakMap<SourceFile, Map<string, Set<string>>>();

/** Whether `f` declares a method of receiver type `recv` (named `member`, when given). */
function declaresMethod(f: SourceFile, recv: string, member: string | undefined): boolean {
  let idx = methodIndexes.get(f);
  if (!idx) {
    const methods = f.facts?.methods;
    if (!methods) return false;
    idx = new Map();
    for (const m of methods) {
      const l = idx.get(m.recv);
      if (l) l.add(m.name);
      else idx.set(m.recv, new Set([m.name]));
    }
    methodIndexes.set(f, idx);
  }
  const names = idx.get(recv);
  return names !== undefined && (member === undefined || names.has(member));
}

function declSignature(f: SourceFile, name: string): string | undefined {
  const s = fileSignatures(f);
  const src = s.decls.get(name);
  return src ? sourceDigest(s, src) : undefined;
}

function methodSignatures(f: SourceFile, typeName: string, member?: string): string {
  const s = fileSignatures(f);
  const k = member === undefined ? typeName : `${typeName}\0${member}`;
  let out = s.lists.get(k);
  if (out !== undefined) return out;
  const nodes = (member === undefined ? s.methods : s.members).get(k);
  out = '';
  if (nodes) {
    const v = sigView(s);
    if (!v) return noDigest();
    for (const n of nodes) {
      let d = s.methodDigests.get(n);
      if (d === undefined) s.methodDigests.set(n, (d = digest(`${subtree(v, n)}#${s.imports}`)));
      out += `${d}\n`;
    }
  }
  s.lists.set(k, out);
  return out;
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
