/**
 * The types of one package on one platform group: its package-level objects (types, functions,
 * methods, variables, constants) built lazily from the syntax tables of the files the group
 * compiles, and the recorded types of the expressions in its function bodies (checkBodies).
 */
import type { PackageModel, SourceFile } from '../model/program.js';
import { type NodeId, type SyntaxView, viewOf } from '../parser/syntax-table.js';
import { Checker, type Scope } from './check.js';
import type { ConstValue } from './constant.js';
import type { FuncObj, Obj, PkgNameObj, Type } from './types.js';

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

export class PackageTypes {
  readonly files: TypesFile[] = [];
  /** Package-level names → declarations. */
  readonly decls = new Map<string, DeclRef>();
  /** Receiver base type name → method declarations. */
  readonly methodDecls = new Map<string, DeclRef[]>();
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
  /** The packages whose declarations this one has read (through its imports), for grouping. */
  readonly consulted = new Set<PackageTypes>();
  /** Package-level names looked up, with the file that declares each (null: none does). */
  readonly lookedUp = new Map<string, SourceFile | null>();
  /** Type names whose method declarations were listed. */
  readonly methodsListed = new Set<string>();
  /** The package model these types are of, and whether its _test.go files count (set by TypeLayer). */
  model?: PackageModel;
  withTests = false;
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
    for (const file of files) {
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
      this.files.push(tf);
      this.collect(tf);
    }
  }

  private collect(f: TypesFile): void {
    const v = f.view;
    for (const top of v.children(0)) {
      switch (v.kind(top)) {
        case 'function_declaration': {
          const name = v.text(v.child(top, 'name'));
          if (name !== 'init' && name !== '_') this.decls.set(name, { file: f, node: top, kind: 'func', index: 0, iota: 0 });
          break;
        }
        case 'method_declaration': {
          const recv = v.child(top, 'receiver');
          const base = recv >= 0 ? receiverBase(v, recv) : undefined;
          if (base === undefined) break;
          const l = this.methodDecls.get(base) ?? [];
          l.push({ file: f, node: top, kind: 'func', index: 0, iota: 0 });
          this.methodDecls.set(base, l);
          break;
        }
        case 'type_declaration':
          for (const spec of v.children(top)) {
            const k = v.kind(spec);
            if (k !== 'type_spec' && k !== 'type_alias') continue;
            const name = v.text(v.child(spec, 'name'));
            if (name && name !== '_') this.decls.set(name, { file: f, node: spec, kind: 'type', index: 0, iota: 0 });
          }
          break;
        case 'var_declaration':
          for (const spec of varSpecs(v, top)) {
            v.childrenOf(spec, 'name').forEach((n, i) => {
              const name = v.text(n);
              if (name !== '_') this.decls.set(name, { file: f, node: spec, kind: 'var', index: i, iota: 0 });
            });
          }
          break;
        case 'const_declaration': {
          let iota = 0;
          let last = -1;
          for (const spec of v.children(top)) {
            if (v.kind(spec) !== 'const_spec') continue;
            if (v.child(spec, 'value') >= 0 || v.child(spec, 'type') >= 0) last = spec;
            v.childrenOf(spec, 'name').forEach((n, i) => {
              const name = v.text(n);
              if (name !== '_') this.decls.set(name, { file: f, node: spec, kind: 'const', index: i, iota, valueSpec: last });
            });
            iota++;
          }
          break;
        }
        default:
          break;
      }
    }
  }

  /** The package-level object `name`, or undefined. */
  lookup(name: string): Obj | undefined {
    if (!this.lookedUp.has(name)) this.lookedUp.set(name, this.decls.get(name)?.file.file ?? null);
    const hit = this.objects.get(name);
    if (hit) return hit;
    const d = this.decls.get(name);
    if (!d) return undefined;
    const obj = new Checker(this, d.file).declare(name, d);
    this.objects.set(name, obj);
    return obj;
  }

  /** The methods declared on the package's type `name` (lazily created objects). */
  methodsOf(name: string, make: (d: DeclRef) => FuncObj): FuncObj[] {
    let l = this.methods.get(name);
    if (!l) {
      this.methodsListed.add(name);
      l = (this.methodDecls.get(name) ?? []).map(make);
      this.methods.set(name, l);
    }
    return l;
  }

  /** The file scope of `f` (for checkers). */
  fileScope(f: TypesFile): Scope {
    return { parent: undefined, names: new Map<string, Obj>(f.imports), file: f };
  }

  /** Checks every function body and package-level initializer, recording expression types (once). */
  checkBodies(): void {
    if (this.bodiesChecked) return;
    this.bodiesChecked = true;
    for (const f of this.files) {
      const rec = new Map<NodeId, Type>();
      const unk = new Map<NodeId, string>();
      const consts = new Map<NodeId, { value: ConstValue; untyped: boolean }>();
      this.records.set(f, rec);
      this.unknowns.set(f, unk);
      this.constants.set(f, consts);
      const members = new Map<NodeId, { type: Type; absent: boolean }>();
      this.members.set(f, members);
      new Checker(this, f, rec, unk, consts, members).checkFile();
    }
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
