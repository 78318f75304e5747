/**
 * The types of one package on one platform group: its package-level objects (types, functions,
 * methods, variables, constants) built lazily from the syntax tables of the files the group
 * compiles, and the recorded types of the expressions in its function bodies (checkBodies).
 */
import type { PackageModel, SourceFile } from '../model/program.js';
import { type NodeId, type SyntaxView, viewOf } from '../parser/syntax-table.js';
import { Checker, type Scope } from './check.js';
import { NodeMap } from './node-map.js';
import type { ConstValue } from './constant.js';
import type { FuncObj, Obj, PkgNameObj, Type } from './types.js';
import type { Flags } from './platform-flags.js';
import { Dep, touch, within } from './track.js';

export interface TypesFile {
  file: SourceFile;
  view: SyntaxView;
  /** File scope: import names → package objects. */
  imports: Map<string, PkgNameObj>;
  /** Dot-imported packages' paths. */
  dotImports: string[];
}

/** What a package needs from its surroundings. */
export interface PackageEnv {
  /** The package an import path names, or undefined when its source is not available. */
  importPackage(path: string): PackageTypes | undefined;
  /** The package name of an import (read from its files' package clauses, without parsing them). */
  importName(path: string): string | undefined;
  /** Why the package `path` is not available (missing module, cgo, no declaration table…). */
  missing?(path: string): string;
  /** Counts an unknown (for --verbose). */
  unknown(reason: string): void;
  /**
   * Where a file's scope and declarations are kept for every PackageTypes that compiles it (they
   * depend on the file alone: its imports name the same packages on every platform).
   */
  fileCache?: WeakMap<SourceFile, FileDecls>;
}

/** A file's scope and package-level declarations, in source order. */
export interface FileDecls {
  tf: TypesFile;
  decls: [string, DeclRef][];
  methods: [string, DeclRef][];
}

/** A package-level declaration, resolved on first use. */
export interface DeclRef {
  file: TypesFile;
  node: NodeId;
  kind: 'type' | 'func' | 'var' | 'const';
  /** var: index of the name in its spec; const: index and the spec's iota. */
  index: number;
  iota: number;
  /** const: the spec whose type and values apply (a spec without values repeats the previous one). */
  valueSpec?: NodeId;
}

/** What checkBodies recorded for one file on one platform group (the maps PackageTypes keeps per file). */
export interface FileRecords {
  readonly rec: Map<NodeId, Type>;
  readonly unk: Map<NodeId, string>;
  readonly consts: Map<NodeId, { value: ConstValue; untyped: boolean }>;
  readonly members: Map<NodeId, { type: Type; absent: boolean }>;
  /** How many top-level declarations it holds the records of. */
  bodies: number;
  /** The maps' entries, in order (made when another group first takes some of them). */
  entries?: { rec: [NodeId, Type][]; unk: [NodeId, string][]; consts: [NodeId, { value: ConstValue; untyped: boolean }][]; members: [NodeId, { type: Type; absent: boolean }][] };
}

/**
 * One top-level declaration checked on one platform group (its function body, its initializers):
 * the root of what its check read (track.ts), and where its records are in its file's maps (a
 * declaration's check records only nodes of its own subtree, so they follow each other there:
 * from `at[2i]` to `at[2i+1]` in rec, unk, consts and members). Another group of the same package
 * that compiles the file, and on which every leaf reachable from `dep` answers the same, takes
 * these records instead of checking the declaration again (TypeLayer.groups).
 */
export interface BodyCheck {
  readonly dep: Dep;
  readonly file: FileRecords;
  readonly at: readonly number[];
}

/** Where checkBodies finds a declaration already checked for another group, and keeps its own checks (set by TypeLayer while it groups). */
export interface BodyReuse {
  find(file: SourceFile, top: NodeId): BodyCheck | undefined;
  keep(file: SourceFile, top: NodeId, check: BodyCheck): void;
}

const DEBUG_REUSE = process.env.GOPORT_DEBUG_REUSE !== undefined;

/** The top-level declarations whose check records something. */
const BODY_KINDS: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'var_declaration', 'const_declaration', 'type_declaration']);

export class PackageTypes {
  /** The files' scopes and declarations (shared with every PackageTypes of the same files: read-only). */
  readonly files: readonly TypesFile[];
  /** Package-level names → declarations (shared, read-only). */
  readonly decls: ReadonlyMap<string, DeclRef>;
  /** Receiver base type name → method declarations (shared, read-only). */
  readonly methodDecls: ReadonlyMap<string, readonly DeclRef[]>;
  /** Resolved objects. */
  readonly objects = new Map<string, Obj>();
  /** Methods by receiver base type name (resolved with the type). */
  readonly methods = new Map<string, FuncObj[]>();
  /** Expression types recorded by checkBodies, per file: node → type. */
  readonly records = new Map<TypesFile, Map<NodeId, Type>>();
  /** Constant expressions recorded by checkBodies, per file: node → value, and whether it was untyped. */
  readonly constants = new Map<TypesFile, Map<NodeId, { value: ConstValue; untyped: boolean }>>();
  /** Nodes whose type is unknown, per file, with a reason (counted for --verbose). */
  readonly unknowns = new Map<TypesFile, Map<NodeId, string>>();
  /**
   * Member names looked up in a fully known type, per file: the `field` node of a selector that
   * has no such field or method (absent), and the key of a struct literal, found or absent. The
   * type is the selector's operand or the literal's type (compile errors: "x.f undefined",
   * "unknown field f in struct literal").
   */
  readonly members = new Map<TypesFile, Map<NodeId, { type: Type; absent: boolean }>>();
  private bodiesChecked = false;
  /** Per package-level name and per listed method set: the leaf nodes other computations read (track.ts). */
  private readonly nameDeps = new Map<string, { dep: Dep; obj: Obj | undefined }>();
  private readonly methodDeps = new Map<string, Dep>();
  private readonly memberDeps = new Map<string, Map<string, { dep: Dep; list: readonly FuncObj[] | undefined }>>();
  /** The body check's root node: what is reachable from it is what the recorded types depend on. */
  readonly bodyDep = new Dep();
  /** The package model these types are of, and whether its _test.go files count (set by TypeLayer). */
  model?: PackageModel;
  withTests = false;
  /** The layer's key of these types (the files compiled here and in every import; set by TypeLayer). */
  key: string | undefined;
  /** The files of the package these types compile (set by TypeLayer). */
  compiled: readonly SourceFile[] = [];
  /** The platforms known to compile the same files of the package, and not to (TypeLayer's cache). */
  sameFilesOn: Flags;
  diffFilesOn: Flags;
  /** The platforms whose types for this package are known to be these very ones (same key), and not to (TypeLayer's cache). By platform index. */
  sameKeyOn: Flags;
  diffKeyOn: Flags;
  /** Types keep the alias they were spelled through, as go/types does from Go 1.23 (set by TypeLayer). */
  aliases = false;
  /** Names being resolved (a cycle means invalid Go or something not modelled: unknown). */
  readonly resolving = new Set<string>();

  constructor(
    /** Import path ('' when the package has none, e.g. a main package outside a module). */
    readonly path: string,
    readonly name: string,
    readonly env: PackageEnv,
    files: readonly SourceFile[],
  ) {
    const cache = env.fileCache;
    const fds: FileDecls[] = [];
    for (const file of files) {
      let fd = cache?.get(file);
      if (!fd) {
        const t = file.facts?.extra.syntax;
        if (!t) continue;
        const view = viewOf(t);
        const tf: TypesFile = { file, view, imports: new Map(), dotImports: [] };
        for (const imp of file.facts!.imports) {
          if (imp.kind === 'blank') continue;
          if (imp.kind === 'dot') tf.dotImports.push(imp.path);
          else {
            const name = imp.alias ?? this.env.importName(imp.path) ?? lastElem(imp.path);
            tf.imports.set(name, { k: 'pkgname', name, path: imp.path });
          }
        }
        fd = { tf, decls: [], methods: [] };
        collect(fd);
        cache?.set(file, fd);
      }
      fds.push(fd);
    }
    // The package's groups (and the per-platform types its importers see) often compile the same
    // files: their name tables are the same, made once (read-only once made).
    const m = cache ? mergedOf(fds) : merge(fds);
    this.files = m.files;
    this.decls = m.decls;
    this.methodDecls = m.methodDecls;
  }

  /** The package-level object `name`, or undefined. */
  lookup(name: string): Obj | undefined {
    let e = this.nameDeps.get(name);
    if (!e) this.nameDeps.set(name, (e = { dep: new Dep(this, name, this.decls.get(name)?.file.file ?? null), obj: undefined }));
    touch(e.dep);
    if (e.obj) return e.obj;
    const d = this.decls.get(name);
    if (!d) return undefined;
    const obj = within(e.dep, () => new Checker(this, d.file).declare(name, d));
    this.objects.set(name, obj);
    e.obj = obj;
    return obj;
  }

  /** The methods declared on the package's type `name` (lazily created objects). */
  methodsOf(name: string, make: (d: DeclRef) => FuncObj): FuncObj[] {
    let dep = this.methodDeps.get(name);
    if (!dep) this.methodDeps.set(name, (dep = new Dep(this, name, undefined, true)));
    touch(dep);
    return this.methodList(name, dep, make);
  }

  /** The methods named `member` declared on the package's type `name` (the same objects as methodsOf's). */
  methodsNamed(name: string, member: string, make: (d: DeclRef) => FuncObj): readonly FuncObj[] {
    let byMember = this.memberDeps.get(name);
    if (!byMember) this.memberDeps.set(name, (byMember = new Map()));
    let e = byMember.get(member);
    if (!e) byMember.set(member, (e = { dep: new Dep(this, name, undefined, true, member), list: undefined }));
    touch(e.dep);
    if (!e.list) {
      let dep = this.methodDeps.get(name);
      if (!dep) this.methodDeps.set(name, (dep = new Dep(this, name, undefined, true)));
      e.list = this.methodList(name, dep, make).filter((m) => m.name === member);
    }
    return e.list;
  }

  private methodList(name: string, dep: Dep, make: (d: DeclRef) => FuncObj): FuncObj[] {
    let l = this.methods.get(name);
    if (!l) {
      l = within(dep, () => (this.methodDecls.get(name) ?? []).map(make));
      this.methods.set(name, l);
    }
    return l;
  }

  /** The file scope of `f` (for checkers). */
  fileScope(f: TypesFile): Scope {
    // The file's own map, shared by every checker of the file: a checker declares nothing in its
    // file scope (Checker.declareLocal copies it first if it ever would).
    return { parent: undefined, names: f.imports, file: f };
  }

  /**
   * Which bodies checkBodies checks, per file: every top-level declaration ('all', the default), only
   * some (their nodes), or none (undefined: the file gets no records, and questions about it no
   * answer). Set by TypeLayer when a run reports on some files only (TypeLayer.focus).
   */
  bodySelection: ((file: SourceFile) => 'all' | ReadonlySet<NodeId> | undefined) | undefined;

  /** Whether checkBodies checks the top-level declaration `node` of `f` (its function body, its initializer). */
  bodyChecked(f: TypesFile, node: NodeId): boolean {
    const sel = this.bodySelection ? this.bodySelection(f.file) : 'all';
    return sel === 'all' || (sel !== undefined && sel.has(node));
  }

  /** Set by TypeLayer while it groups the package: checkBodies then checks one declaration at a time, taking those checked for another group where they answer the same. */
  bodyReuse: BodyReuse | undefined;
  /** Top-level declarations checkBodies checked, and took from another group's check (--verbose). */
  bodiesFresh = 0;
  bodiesReused = 0;

  /** Checks every function body and package-level initializer (those of bodySelection), recording expression types (once). */
  checkBodies(): void {
    if (this.bodiesChecked) return;
    this.bodiesChecked = true;
    if (this.bodyReuse) {
      this.checkEachBody(this.bodyReuse);
      return;
    }
    for (const f of this.files) {
      const sel = this.bodySelection ? this.bodySelection(f.file) : 'all';
      if (sel === undefined) continue;
      const rec = new NodeMap<Type>(f.view.count);
      const unk = new Map<NodeId, string>();
      const consts = new Map<NodeId, { value: ConstValue; untyped: boolean }>();
      this.records.set(f, rec);
      this.unknowns.set(f, unk);
      this.constants.set(f, consts);
      const members = new Map<NodeId, { type: Type; absent: boolean }>();
      this.members.set(f, members);
      within(this.bodyDep, () => new Checker(this, f, rec, unk, consts, members).checkFile(sel === 'all' ? undefined : sel));
    }
  }

  /**
   * checkBodies one top-level declaration at a time, each within a node of its own (an edge of
   * bodyDep): a declaration `reuse` has a check of (from another group, where what it read answers
   * the same) is not checked again, its records are copied in (in the order a check records them).
   */
  private checkEachBody(reuse: BodyReuse): void {
    const deps = (this.bodyDep.deps ??= new Set());
    for (const f of this.files) {
      const sel = this.bodySelection ? this.bodySelection(f.file) : 'all';
      if (sel === undefined) continue;
      const v = f.view;
      const tops = v.children(0).filter((top) => (sel === 'all' || sel.has(top)) && BODY_KINDS.has(v.kind(top)));
      const found = tops.map((top) => reuse.find(f.file, top));
      const from = found[0]?.file;
      if (from && from.bodies === tops.length && found.every((c) => c?.file === from)) {
        // Every declaration of the file as another group checked it: the same maps.
        this.setRecords(f, from);
        for (const c of found) deps.add(c!.dep);
        this.bodiesReused += tops.length;
        continue;
      }
      const out: FileRecords = { rec: new NodeMap<Type>(v.count), unk: new Map(), consts: new Map(), members: new Map(), bodies: tops.length };
      this.setRecords(f, out);
      let checker: Checker | undefined;
      tops.forEach((top, i) => {
        const c = found[i];
        if (c) {
          const e = (c.file.entries ??= { rec: [...c.file.rec], unk: [...c.file.unk], consts: [...c.file.consts], members: [...c.file.members] });
          const at = c.at;
          for (let j = at[0]!; j < at[1]!; j++) out.rec.set(e.rec[j]![0], e.rec[j]![1]);
          for (let j = at[2]!; j < at[3]!; j++) out.unk.set(e.unk[j]![0], e.unk[j]![1]);
          for (let j = at[4]!; j < at[5]!; j++) out.consts.set(e.consts[j]![0], e.consts[j]![1]);
          for (let j = at[6]!; j < at[7]!; j++) out.members.set(e.members[j]![0], e.members[j]![1]);
          deps.add(c.dep);
          this.bodiesReused++;
          return;
        }
        const dep = new Dep();
        const at = [out.rec.size, 0, out.unk.size, 0, out.consts.size, 0, out.members.size, 0];
        checker ??= new Checker(this, f, out.rec, out.unk, out.consts, out.members);
        const ch = checker;
        within(dep, () => ch.checkTop(top));
        at[1] = out.rec.size;
        at[3] = out.unk.size;
        at[5] = out.consts.size;
        at[7] = out.members.size;
        if (DEBUG_REUSE) {
          const end = v.next(top);
          let j = 0;
          for (const n of out.rec.keys()) if (j++ >= at[0]! && (n < top || n >= end)) throw new Error(`record outside its declaration: ${f.file.path} ${n} not in ${top}..${end}`);
        }
        deps.add(dep);
        reuse.keep(f.file, top, { dep, file: out, at });
        this.bodiesFresh++;
      });
    }
  }

  /**
   * The records of one top-level declaration of `f` checked again with these types' own objects
   * (not kept): for an answer read from records another group's check gave (atomic.ts, reusedRows).
   */
  checkBodyAgain(f: TypesFile, top: NodeId): { rec: Map<NodeId, Type>; consts: Map<NodeId, { value: ConstValue; untyped: boolean }> } {
    const out = { rec: new Map<NodeId, Type>(), unk: new Map<NodeId, string>(), consts: new Map<NodeId, { value: ConstValue; untyped: boolean }>(), members: new Map<NodeId, { type: Type; absent: boolean }>() };
    new Checker(this, f, out.rec, out.unk, out.consts, out.members).checkTop(top);
    return out;
  }

  private setRecords(f: TypesFile, r: FileRecords): void {
    this.records.set(f, r.rec);
    this.unknowns.set(f, r.unk);
    this.constants.set(f, r.consts);
    this.members.set(f, r.members);
  }

  /** Drops what checkBodies recorded (declarations stay); a later checkBodies records it again. */
  releaseBodies(): void {
    if (!this.bodiesChecked) return;
    this.bodiesChecked = false;
    this.records.clear();
    this.constants.clear();
    this.unknowns.clear();
    this.members.clear();
  }
}

/** The merged name tables of a list of files. */
interface Merged {
  fds: readonly FileDecls[];
  files: TypesFile[];
  decls: Map<string, DeclRef>;
  methodDecls: Map<string, DeclRef[]>;
}

/**
 * The merged tables made so far, by the list's first file's declarations (a FileDecls is made again
 * when the layer forgets a file: the lists holding the old one are dropped with it).
 */
const merged = new WeakMap<FileDecls, Merged[]>();

function mergedOf(fds: readonly FileDecls[]): Merged {
  if (fds.length === 0) return merge(fds);
  let l = merged.get(fds[0]!);
  if (!l) merged.set(fds[0]!, (l = []));
  for (const m of l) if (m.fds.length === fds.length && m.fds.every((x, i) => x === fds[i])) return m;
  const m = merge(fds);
  l.push(m);
  return m;
}

function merge(fds: readonly FileDecls[]): Merged {
  const m: Merged = { fds, files: [], decls: new Map(), methodDecls: new Map() };
  for (const fd of fds) {
    m.files.push(fd.tf);
    for (const [name, d] of fd.decls) m.decls.set(name, d);
    for (const [base, d] of fd.methods) {
      const l = m.methodDecls.get(base);
      if (l) l.push(d);
      else m.methodDecls.set(base, [d]);
    }
  }
  return m;
}

/** A file's package-level declarations and methods, in source order (later ones win, as in a map). */
function collect(fd: FileDecls): void {
  const f = fd.tf;
  const v = f.view;
  for (const top of v.children(0)) {
    switch (v.kind(top)) {
      case 'function_declaration': {
        const name = v.text(v.child(top, 'name'));
        if (name !== 'init' && name !== '_') fd.decls.push([name, { file: f, node: top, kind: 'func', index: 0, iota: 0 }]);
        break;
      }
      case 'method_declaration': {
        const recv = v.child(top, 'receiver');
        const base = recv >= 0 ? receiverBase(v, recv) : undefined;
        if (base === undefined) break;
        fd.methods.push([base, { file: f, node: top, kind: 'func', index: 0, iota: 0 }]);
        break;
      }
      case 'type_declaration':
        for (const spec of v.children(top)) {
          const k = v.kind(spec);
          if (k !== 'type_spec' && k !== 'type_alias') continue;
          const name = v.text(v.child(spec, 'name'));
          if (name && name !== '_') fd.decls.push([name, { file: f, node: spec, kind: 'type', index: 0, iota: 0 }]);
        }
        break;
      case 'var_declaration':
        for (const spec of varSpecs(v, top)) {
          v.childrenOf(spec, 'name').forEach((n, i) => {
            const name = v.text(n);
            if (name !== '_') fd.decls.push([name, { file: f, node: spec, kind: 'var', index: i, iota: 0 }]);
          });
        }
        break;
      case 'const_declaration':
        for (const { spec, iota, valueSpec } of constSpecs(v, top)) {
          v.childrenOf(spec, 'name').forEach((n, i) => {
            const name = v.text(n);
            if (name !== '_') fd.decls.push([name, { file: f, node: spec, kind: 'const', index: i, iota, valueSpec }]);
          });
        }
        break;
      default:
        break;
    }
  }
}

export function lastElem(p: string): string {
  const e = p.slice(p.lastIndexOf('/') + 1);
  // gopkg.in/yaml.v3 → yaml; a /vN major version suffix is not the name (go/build reads the package
  // clause; the workspace does when the source is there).
  return e.replace(/\.v\d+$/, '');
}

export function varSpecs(v: SyntaxView, decl: NodeId): NodeId[] {
  const out: NodeId[] = [];
  for (const c of v.children(decl)) {
    if (v.kind(c) === 'var_spec') out.push(c);
    else if (v.kind(c) === 'var_spec_list') for (const s of v.children(c)) if (v.kind(s) === 'var_spec') out.push(s);
  }
  return out;
}

/**
 * The const_specs of a const declaration with their iota (their place in the block) and the spec
 * whose values and type they repeat (the last one that has a value or a type: itself when it has).
 */
export function* constSpecs(v: SyntaxView, decl: NodeId): Generator<{ spec: NodeId; iota: number; valueSpec: NodeId }> {
  let iota = 0;
  let last = -1;
  for (const spec of v.children(decl)) {
    if (v.kind(spec) !== 'const_spec') continue;
    if (v.child(spec, 'value') >= 0 || v.child(spec, 'type') >= 0) last = spec;
    yield { spec, iota, valueSpec: last };
    iota++;
  }
}

/** The base type name of a receiver parameter list: `(t *T[K])` → T. */
export function receiverBase(v: SyntaxView, recv: NodeId): string | undefined {
  const p = v.children(recv).find((c) => v.kind(c) === 'parameter_declaration');
  if (p === undefined) return undefined;
  let t = v.child(p, 'type');
  for (let i = 0; i < 4 && t >= 0; i++) {
    const k = v.kind(t);
    if (k === 'type_identifier' || k === 'identifier') return v.text(t);
    if (k === 'pointer_type' || k === 'parenthesized_type') t = v.children(t)[0] ?? -1;
    else if (k === 'generic_type') t = v.child(t, 'type');
    else return undefined;
  }
  return undefined;
}
