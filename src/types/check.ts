/**
 * The checker: type expressions, package-level declarations and function bodies of one file,
 * over its syntax table. It follows go/types where goport asks questions and gives up (undefined,
 * "unknown") everywhere else: an unknown operand makes everything built on it unknown, and a
 * recorded type is one go/types records too (test/types-gotypes.test.ts holds it to that).
 *
 * Untyped constants are recorded as go/types records them: with their final type once the context
 * converts them (assignment, operand of a typed binary operation, argument, conversion), or their
 * untyped type when nothing does.
 */
import type { NodeId, SyntaxView } from '../parser/syntax-table.js';
import { type ConstValue, intLitValue, intRange, parseIntLit, parseRuneLit, parseStringLit, UNKNOWN_VALUE, utf8Len } from './constant.js';
import { lookupFieldOrMethod } from './lookup.js';
import type { DeclRef, PackageTypes, TypesFile } from './package.js';
import { varSpecs } from './package.js';
import { Dep, touch, within } from './track.js';
import { instantiate, subst } from './subst.js';
import {
  aliasType,
  type ChanDir,
  coreType,
  type Field as StructField,
  type FuncObj,
  identical,
  lazy,
  namedMethods,
  readInCycle,
  isBoolean,
  isInteger,
  isInterface,
  isString,
  isUntyped,
  type Named,
  type Obj,
  type Signature,
  type Term,
  type Tuple,
  type Type,
  type TypeName,
  type TypeParam,
  unalias,
  under,
  type Union,
  type VarObj,
  type PartialStruct,
} from './types.js';
import { anyType, defaultType, errorType, Typ, universe } from './universe.js';

export interface Scope {
  parent: Scope | undefined;
  names: Map<string, Obj>;
  file?: TypesFile;
}

/** An operand: what an expression is, after go/types' operand modes. */
export type Operand =
  | { mode: 'value' | 'var'; type: Type; node: NodeId }
  | { mode: 'const'; type: Type; value: ConstValue; node: NodeId }
  | { mode: 'type'; type: Type; node: NodeId }
  | { mode: 'novalue'; node: NodeId }
  | { mode: 'builtin'; name: string; node: NodeId }
  | { mode: 'pkg'; path: string; node: NodeId }
  /** Several values (a call with several results). */
  | { mode: 'tuple'; type: Tuple; node: NodeId }
  /** A value that has a second, boolean form (map index, type assertion, receive). */
  | { mode: 'commaok'; type: Type; node: NodeId }
  | { mode: 'nil'; node: NodeId }
  | { mode: 'unknown'; node: NodeId; reason: string };

let tparamIds = 0;

/** The names of a scope that declares none (shared: Checker.declareIn never writes it). */
const NO_NAMES: Map<string, Obj> = new Map();

/** The first child of `n`: `v.children(n)[0]` without making the array (the table is in preorder). */
function first(v: SyntaxView, n: NodeId): NodeId | undefined {
  const c = n + 1;
  return c < v.next(n) ? c : undefined;
}

/**
 * Reasons that only say an operand or object was unknown: the unknown node takes the reason of
 * the unknown below it (or of the object's resolution) instead, so --verbose names root causes.
 */
const DERIVED = new Set(['unknown type', 'unknown operand', 'unknown variable type', 'unknown signature', 'unknown constant', 'unknown result', 'unknown receiver']);
/** The last root reason any checker gave (objects resolve lazily, in other packages' checkers), and a counter. */
let lastRoot = '';
let rootSeq = 0;
/** Why an object's type is unknown (the root reason when it was resolved or declared). */
const objWhy = new WeakMap<object, string>();
/** How far below a node a root reason is looked for. */
const WHY_SCAN = 256;
const MAX_DEPTH = 400;

const BIN_CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);

function rank(t: Type): number {
  if (t.k !== 'basic') return 0;
  return ['untyped int', 'untyped rune', 'untyped float', 'untyped complex'].indexOf(t.kind) + 1;
}

export class Checker {
  private readonly v: SyntaxView;
  private scope: Scope;
  private depth = 0;
  /** Result types of the function being checked. */
  private results: Tuple | undefined;
  /** Untyped expressions recorded so far (go/types' `untyped` map); made on first use (a checker made per declaration seldom needs it, and lives as long as the declaration's lazy parts). */
  private untyped: Set<NodeId> | undefined;
  /** Expressions that are constants: their operands keep their untyped types (go/types); made on first use. */
  private constNodes: Set<NodeId> | undefined;

  constructor(
    readonly pkg: PackageTypes,
    readonly file: TypesFile,
    private readonly rec?: Map<NodeId, Type>,
    private readonly unk?: Map<NodeId, string>,
    private readonly consts?: Map<NodeId, { value: ConstValue; untyped: boolean }>,
    private readonly members?: Map<NodeId, { type: Type; absent: boolean }>,
  ) {
    this.v = file.view;
    this.scope = pkg.fileScope(file);
  }

  // ------------------------------------------------------------------ scopes

  private lookup(name: string): Obj | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const o = s.names.get(name);
      if (o) return o;
    }
    const p = this.pkg.lookup(name);
    if (p) return p;
    for (const path of this.file.dotImports) {
      const o = this.pkg.env.importPackage(path)?.lookup(name);
      if (o) return o;
    }
    return universe.get(name);
  }

  private push(): void {
    this.scope = { parent: this.scope, names: NO_NAMES };
  }
  private pop(): void {
    this.scope = this.scope.parent!;
  }
  /** Runs `f` in a new block scope. */
  private scoped<T>(f: () => T): T {
    this.push();
    try {
      return f();
    } finally {
      this.pop();
    }
  }
  private declareLocal(name: string, obj: Obj): void {
    if (name === '_' || name === '') return;
    this.declareIn(this.scope, name, obj);
  }
  /**
   * Declares `name` in `s`. A scope starts with the shared empty map (most blocks declare nothing)
   * and a file scope with the file's import map (PackageTypes.fileScope): neither is ever written,
   * the scope gets a map of its own first.
   */
  private declareIn(s: Scope, name: string, obj: Obj): void {
    if (s.names === NO_NAMES || (s.parent === undefined && s.names === (s.file?.imports as Map<string, Obj> | undefined))) s.names = new Map(s.names);
    s.names.set(name, obj);
  }

  private record(n: NodeId, t: Type | undefined): void {
    if (!this.rec) return;
    if (t === undefined) return;
    this.rec.set(n, t);
    if (isUntyped(t)) (this.untyped ??= new Set()).add(n);
  }

  private unknownAt(n: NodeId, reason: string): Operand {
    if (DERIVED.has(reason)) reason = this.whyBelow(n) ?? reason;
    else {
      lastRoot = reason;
      rootSeq++;
    }
    this.unk?.set(n, reason);
    this.pkg.env.unknown(reason);
    return { mode: 'unknown', node: n, reason };
  }

  /** The root reason recorded for a node below `n` (checked before it), if any. */
  private whyBelow(n: NodeId): string | undefined {
    const unk = this.unk;
    if (!unk || n < 0 || unk.size === 0) return undefined;
    const end = Math.min(this.v.next(n), n + WHY_SCAN);
    for (let i = n + 1; i < end; i++) {
      const r = unk.get(i);
      if (r !== undefined && !DERIVED.has(r)) return r;
    }
    return undefined;
  }

  /** Why the operand of `n` (or what `n` declares) is unknown: the root reason recorded at or below it. */
  private whyOf(n: NodeId): string | undefined {
    const r = n >= 0 ? this.unk?.get(n) : undefined;
    return r !== undefined && !DERIVED.has(r) ? r : this.whyBelow(n);
  }

  /** A local variable; when its type is unknown, the reason (of `from`, what gave it its type) is kept for its uses. */
  private localVar(name: string, type: Type | undefined, from: NodeId): VarObj {
    const o: VarObj = { k: 'var', name, pkg: this.pkg.path, type };
    if (!type) {
      const why = this.whyOf(from);
      if (why) objWhy.set(o, why);
    }
    return o;
  }

  /** The reason an object's type is unknown: as kept, else the root given while it was resolved (since `seq`). */
  private objReason(o: object, seq: number, fallback: string): string {
    let why = objWhy.get(o);
    if (why === undefined && rootSeq !== seq) objWhy.set(o, (why = lastRoot));
    return why ?? fallback;
  }

  // ------------------------------------------------------------------ package-level declarations

  /** Creates the object of a package-level declaration (its type resolved lazily). */
  declare(name: string, d: DeclRef): Obj {
    const pkgPath = this.pkg.path;
    switch (d.kind) {
      case 'type':
        return this.typeDecl(d.node, this.scope);
      case 'func':
        return { k: 'func', name, pkg: pkgPath, type: lazy(() => this.guard(() => this.funcSignature(d.node, undefined))) };
      case 'var': {
        const obj: VarObj = { k: 'var', name, pkg: pkgPath, type: undefined };
        let done = false;
        let resolving = true;
        const dep = new Dep();
        Object.defineProperty(obj, 'type', {
          get: () => {
            touch(dep);
            if (!done) {
              done = true;
              within(dep, () => this.resolvingVar(name, () => this.pkgVarType(d)));
              resolving = false;
            } else if (resolving) readInCycle();
            return resolved;
          },
          set: (t: Type | undefined) => {
            resolved = t;
          },
        });
        let resolved: Type | undefined;
        return obj;
      }
      case 'const':
        return { k: 'const', name, pkg: pkgPath, resolve: lazy(() => this.guard(() => this.constValueOf(d.node, d.valueSpec ?? -1, d.index, d.iota))) };
    }
  }

  private resolvingVar(name: string, f: () => Type | undefined): void {
    const key = `var ${name}`;
    if (this.pkg.resolving.has(key)) return;
    this.pkg.resolving.add(key);
    try {
      const t = this.guard(f);
      const o = this.pkg.objects.get(name);
      if (o && o.k === 'var') o.type = t;
    } finally {
      this.pkg.resolving.delete(key);
    }
  }

  private guard<T>(f: () => T | undefined): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  }

  private pkgVarType(d: DeclRef): Type | undefined {
    const v = this.v;
    const tn = v.child(d.node, 'type');
    if (tn >= 0) return this.typExpr(tn);
    const vals = v.child(d.node, 'value');
    if (vals < 0) return undefined;
    const exprs = v.children(vals);
    const names = v.childrenOf(d.node, 'name');
    if (exprs.length === names.length) {
      const x = this.expr(exprs[d.index]!);
      return this.valueType(x);
    }
    if (exprs.length === 1) {
      const types = this.multiTypes(this.expr(exprs[0]!), names.length);
      return types?.[d.index];
    }
    return undefined;
  }

  /** A type declaration's object (`type T ...` or `type A = B`), in `scope`. */
  private typeDecl(spec: NodeId, scope: Scope): TypeName {
    const v = this.v;
    const name = v.text(v.child(spec, 'name'));
    const obj: TypeName = { k: 'typename', name, pkg: this.pkg.path, type: undefined, ...(scope.file ? {} : { local: true }) };
    const tpl = v.child(spec, 'type_parameters');
    const defScope: Scope = { parent: scope, names: NO_NAMES, file: this.file };
    if (v.kind(spec) === 'type_alias') {
      obj.alias = true;
      if (tpl >= 0) obj.tparams = this.declareTypeParams(tpl, defScope);
      const aliased = lazy(() => this.inScope(defScope, () => this.typExpr(v.child(spec, 'type'))));
      Object.defineProperty(obj, 'type', { get: aliased });
      return obj;
    }
    const tparams = tpl >= 0 ? this.declareTypeParams(tpl, defScope) : undefined;
    const tn = v.child(spec, 'type');
    // `type T struct{...}` with a field of unknown type: T's underlying type stays unknown (so do
    // its layout and identity), but lookups still see its known fields (Named.partial).
    let partial: PartialStruct | undefined;
    const underlying =
      tn >= 0 && v.kind(tn) === 'struct_type'
        ? lazy(() =>
            this.guard(() =>
              this.inScope(defScope, (): Type | undefined => {
                const parts = this.structParts(tn, true);
                if (parts && parts.holes.length === 0) return { k: 'struct', fields: parts.fields };
                partial = parts;
                this.unknownAt(tn, 'unknown type');
                return undefined;
              }),
            ),
          )
        : lazy(() => under(this.guard(() => this.inScope(defScope, () => this.typExpr(tn)))));
    const named: Named = {
      k: 'named',
      obj,
      ...(tparams ? { tparams } : {}),
      underlying,
      partial: () => (underlying() === undefined ? partial : undefined),
      methods: () =>
        scope.parent === undefined || scope.file
          ? this.pkg.methodsOf(name, (d) => this.methodObj(d, named))
          : [],
      methodsNamed: (m: string) =>
        scope.parent === undefined || scope.file
          ? this.pkg.methodsNamed(name, m, (d) => this.methodObj(d, named))
          : [],
    };
    obj.type = named;
    return obj;
  }

  private inScope<T>(s: Scope, f: () => T): T {
    const saved = this.scope;
    this.scope = s;
    try {
      return f();
    } finally {
      this.scope = saved;
    }
  }

  private declareTypeParams(tpl: NodeId, s: Scope): TypeParam[] {
    const v = this.v;
    const out: TypeParam[] = [];
    for (let d = tpl + 1, d$ = v.next(tpl); d < d$; d = v.next(d)) {
      if (v.kind(d) !== 'type_parameter_declaration') continue;
      const cn = v.child(d, 'type');
      // One bound per declaration, shared by its names (as go/types: `[K, V any]`).
      const bound = lazy(() => this.inScope(s, () => this.constraintType(cn)));
      for (const n of v.childrenOf(d, 'name')) {
        const tp: TypeParam = { k: 'typeparam', name: v.text(n), id: ++tparamIds, constraint: bound };
        out.push(tp);
        this.declareIn(s, tp.name, { k: 'typename', name: tp.name, pkg: this.pkg.path, type: tp });
      }
    }
    return out;
  }

  /** A constraint: an interface, or a type set written bare (`~int | ~string`) as an implicit interface. */
  private constraintType(n: NodeId): Type | undefined {
    const v = this.v;
    if (n < 0) return undefined;
    const parts = v.kind(n) === 'type_constraint' ? v.children(n) : [n];
    if (parts.length === 1) {
      const t = this.typExpr(parts[0]!);
      if (t && isInterface(t)) return t;
    }
    const terms: Term[] = [];
    for (const p of parts) {
      const neg = v.kind(p) === 'negated_type';
      const t = this.typExpr(neg ? first(v, p)! : p);
      if (!t) return undefined;
      terms.push({ tilde: neg, type: t });
    }
    const u: Union = { k: 'union', terms };
    return { k: 'interface', methods: [], embeddeds: [terms.length === 1 && !terms[0]!.tilde ? terms[0]!.type : u], implicit: true };
  }

  private methodObj(d: DeclRef, recvNamed: Named): FuncObj {
    const v = d.file.view;
    const name = v.text(v.child(d.node, 'name'));
    const recv = v.child(d.node, 'receiver');
    const p = v.children(recv).find((c) => v.kind(c) === 'parameter_declaration');
    const rt = p === undefined ? -1 : v.child(p, 'type');
    const ptr = rt >= 0 && v.kind(rt) === 'pointer_type';
    const c = d.file === this.file ? this : new Checker(this.pkg, d.file);
    return { k: 'func', name, pkg: this.pkg.path, ptrRecv: ptr, type: lazy(() => c.guard(() => c.funcSignature(d.node, recvNamed))) };
  }

  /** The signature of a function or method declaration (the receiver's type parameters bound to the type's). */
  private funcSignature(fn: NodeId, recvNamed: Named | undefined, into?: Scope): Signature | undefined {
    const v = this.v;
    // `into`: the scope of the body, which sees the receiver's and the method's type parameters.
    const s: Scope = into ?? { parent: this.scope, names: NO_NAMES, file: this.file };
    return this.inScope(s, () => {
      let recv: VarObj | undefined;
      if (recvNamed) {
        const rl = v.child(fn, 'receiver');
        const p = v.children(rl).find((c) => v.kind(c) === 'parameter_declaration');
        if (p === undefined) return undefined;
        let rt = v.child(p, 'type');
        let ptr = false;
        if (v.kind(rt) === 'parenthesized_type') rt = first(v, rt)!;
        if (v.kind(rt) === 'pointer_type') {
          ptr = true;
          rt = first(v, rt)!;
        }
        let rtype: Type = recvNamed;
        if (v.kind(rt) === 'generic_type') {
          const names = v.children(v.child(rt, 'type_arguments')).map((e) => v.text(first(v, e) ?? e));
          const tps = recvNamed.tparams ?? [];
          if (names.length !== tps.length) return undefined;
          names.forEach((nm, i) => this.declareIn(s, nm, { k: 'typename', name: nm, pkg: this.pkg.path, type: tps[i]! }));
          rtype = instantiate(recvNamed, tps) ?? recvNamed;
        }
        if (ptr) rtype = { k: 'pointer', elem: rtype };
        const rn = v.childrenOf(p, 'name')[0];
        recv = { k: 'var', name: rn === undefined ? '' : v.text(rn), pkg: this.pkg.path, type: rtype };
      }
      const tpl = v.child(fn, 'type_parameters');
      const tparams = tpl >= 0 ? this.declareTypeParams(tpl, s) : undefined;
      const sig = this.signature(v.child(fn, 'parameters'), v.child(fn, 'result'));
      if (!sig) return undefined;
      return { ...sig, ...(recv ? { recv } : {}), ...(tparams ? { tparams } : {}) };
    });
  }

  private signature(params: NodeId, result: NodeId): Signature | undefined {
    const p = this.paramTuple(params);
    if (!p) return undefined;
    let r: { vars: VarObj[]; variadic: boolean } | undefined = { vars: [], variadic: false };
    if (result >= 0) {
      if (this.v.kind(result) === 'parameter_list') r = this.paramTuple(result);
      else {
        const t = this.typExpr(result);
        r = t ? { vars: [{ k: 'var', name: '', pkg: this.pkg.path, type: t }], variadic: false } : undefined;
      }
    }
    if (!r) return undefined;
    return { k: 'signature', params: { k: 'tuple', vars: p.vars }, results: { k: 'tuple', vars: r.vars }, variadic: p.variadic };
  }

  private paramTuple(list: NodeId): { vars: VarObj[]; variadic: boolean } | undefined {
    const v = this.v;
    if (list < 0) return { vars: [], variadic: false };
    const vars: VarObj[] = [];
    let variadic = false;
    for (let d = list + 1, d$ = v.next(list); d < d$; d = v.next(d)) {
      const k = v.kind(d);
      if (k !== 'parameter_declaration' && k !== 'variadic_parameter_declaration') continue;
      let t = this.typExpr(v.child(d, 'type'));
      if (!t) return undefined;
      if (k === 'variadic_parameter_declaration') {
        variadic = true;
        t = { k: 'slice', elem: t };
      }
      const names = v.childrenOf(d, 'name');
      if (names.length === 0) vars.push({ k: 'var', name: '', pkg: this.pkg.path, type: t });
      for (const n of names) vars.push({ k: 'var', name: v.text(n), pkg: this.pkg.path, type: t });
    }
    return { vars, variadic };
  }

  // ------------------------------------------------------------------ type expressions

  /** The type a type expression denotes, or undefined. */
  typExpr(n: NodeId): Type | undefined {
    if (n < 0) return undefined;
    const x = this.typeOrExpr(n);
    return x.mode === 'type' ? x.type : undefined;
  }

  private typeOrExpr(n: NodeId): Operand {
    const v = this.v;
    switch (v.kind(n)) {
      case 'type_identifier':
      case 'identifier':
        return this.expr(n);
      case 'qualified_type': {
        const p = this.lookup(v.text(v.child(n, 'package')));
        if (p?.k !== 'pkgname') return this.unknownAt(n, 'not a package');
        return this.qualified(n, p.path, v.text(v.child(n, 'name')));
      }
      case 'parenthesized_type':
        return this.typeOrExpr(first(v, n)!);
      case 'pointer_type': {
        const e = this.typExpr(first(v, n)!);
        return e ? { mode: 'type', type: { k: 'pointer', elem: e }, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'slice_type': {
        const e = this.typExpr(v.child(n, 'element'));
        return e ? { mode: 'type', type: { k: 'slice', elem: e }, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'array_type': {
        const e = this.typExpr(v.child(n, 'element'));
        const len = this.expr(v.child(n, 'length'));
        if (!e || len.mode !== 'const' || len.value.k !== 'int') return this.unknownAt(n, 'array length');
        return { mode: 'type', type: { k: 'array', len: len.value.v, elem: e }, node: n };
      }
      case 'map_type': {
        const k = this.typExpr(v.child(n, 'key'));
        const e = this.typExpr(v.child(n, 'value'));
        return k && e ? { mode: 'type', type: { k: 'map', key: k, elem: e }, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'channel_type': {
        const e = this.typExpr(v.child(n, 'value'));
        const t = v.text(n);
        const dir: ChanDir = t === '<-chan' ? 'recv' : t === 'chan<-' ? 'send' : 'both';
        return e ? { mode: 'type', type: { k: 'chan', dir, elem: e }, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'function_type': {
        const s = this.signature(v.child(n, 'parameters'), v.child(n, 'result'));
        return s ? { mode: 'type', type: s, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'struct_type': {
        const s = this.structType(n);
        return s ? { mode: 'type', type: s, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'interface_type': {
        const t = this.interfaceType(n);
        return t ? { mode: 'type', type: t, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'generic_type': {
        const bx = this.typeOrExpr(v.child(n, 'type'));
        if (bx.mode === 'value') return this.instantiated(n, bx, v.children(v.child(n, 'type_arguments')));
        const base = bx.mode === 'type' ? bx.type : undefined;
        const args = v.children(v.child(n, 'type_arguments')).map((e) => this.typExpr(v.kind(e) === 'type_elem' ? first(v, e)! : e));
        const inst = !base || args.some((a) => !a) ? undefined : this.instantiateType(base, args as Type[]);
        return inst ? { mode: 'type', type: inst, node: n } : this.unknownAt(n, 'generic instantiation');
      }
      default:
        return this.expr(n);
    }
  }

  private structType(n: NodeId): Type | undefined {
    const parts = this.structParts(n, false);
    return parts && parts.holes.length === 0 ? { k: 'struct', fields: parts.fields } : undefined;
  }

  /**
   * A struct type's fields. With `partial`, a field of unknown type does not stop it: the field
   * becomes a hole (its name kept, its type unknown) and the others stay known, for lookups only
   * (`PartialStruct`). Undefined when even that is unknown (a bad tag, an embedded field without a
   * name as written).
   */
  private structParts(n: NodeId, partial: boolean): PartialStruct | undefined {
    const v = this.v;
    const fields: StructField[] = [];
    const holes: PartialStruct['holes'][number][] = [];
    const list = first(v, n);
    if (list === undefined) return { fields, holes };
    for (let fd = list + 1, fd$ = v.next(list); fd < fd$; fd = v.next(fd)) {
      if (v.kind(fd) !== 'field_declaration') continue;
      const tn = v.child(fd, 'type');
      let t = this.typExpr(tn);
      if (!t && !partial) return undefined;
      const tagN = v.child(fd, 'tag');
      const tag = tagN >= 0 ? parseStringLit(v.text(tagN)) : undefined;
      if (tagN >= 0 && tag === undefined) return undefined;
      const names = v.childrenOf(fd, 'name');
      if (names.length === 0) {
        if (t && v.text(fd) === '*') t = { k: 'pointer', elem: t };
        // The field's name is the type name as written (an alias names the field, not its target).
        const base = this.embeddedFieldName(tn) ?? (t ? embeddedName(t) : undefined);
        if (!base) return undefined;
        if (!t) holes.push({ name: base, pkg: this.pkg.path, embedded: true });
        else fields.push({ name: base, pkg: this.pkg.path, type: t, embedded: true, ...(tag !== undefined ? { tag } : {}) });
      } else {
        for (const nm of names) {
          if (!t) holes.push({ name: v.text(nm), pkg: this.pkg.path, embedded: false });
          else fields.push({ name: v.text(nm), pkg: this.pkg.path, type: t, embedded: false, ...(tag !== undefined ? { tag } : {}) });
        }
      }
    }
    return { fields, holes };
  }

  /** The name of an embedded field as written (an alias's own name, not its target's). */
  private embeddedFieldName(tn: NodeId): string | undefined {
    const v = this.v;
    let t = tn;
    for (let i = 0; i < 4 && t >= 0; i++) {
      const k = v.kind(t);
      if (k === 'type_identifier' || k === 'identifier') return v.text(t);
      if (k === 'qualified_type') return v.text(v.child(t, 'name'));
      if (k === 'pointer_type' || k === 'parenthesized_type') t = first(v, t) ?? -1;
      else if (k === 'generic_type') t = v.child(t, 'type');
      else return undefined;
    }
    return undefined;
  }

  private interfaceType(n: NodeId): Type | undefined {
    const v = this.v;
    const methods: FuncObj[] = [];
    const embeddeds: (Type | Union)[] = [];
    for (let e = n + 1, e$ = v.next(n); e < e$; e = v.next(e)) {
      if (v.kind(e) === 'method_elem') {
        const sig = this.signature(v.child(e, 'parameters'), v.child(e, 'result'));
        if (!sig) return undefined;
        methods.push({ k: 'func', name: v.text(v.child(e, 'name')), pkg: this.pkg.path, type: () => sig });
      } else if (v.kind(e) === 'type_elem') {
        const parts = v.children(e);
        if (parts.length === 1 && v.kind(parts[0]!) !== 'negated_type') {
          const t = this.typExpr(parts[0]!);
          if (!t) return undefined;
          embeddeds.push(t);
        } else {
          const terms: Term[] = [];
          for (const p of parts) {
            const neg = v.kind(p) === 'negated_type';
            const t = this.typExpr(neg ? first(v, p)! : p);
            if (!t) return undefined;
            terms.push({ tilde: neg, type: t });
          }
          embeddeds.push({ k: 'union', terms });
        }
      }
    }
    methods.sort((a, b) => (methodId(a) < methodId(b) ? -1 : methodId(a) > methodId(b) ? 1 : 0));
    return { k: 'interface', methods, embeddeds };
  }

  // ------------------------------------------------------------------ constants

  private constValueOf(spec: NodeId, valueSpec: NodeId, index: number, iota: number): { type: Type; value: ConstValue } | undefined {
    const v = this.v;
    if (valueSpec < 0) return undefined;
    const vals = v.child(valueSpec, 'value');
    const exprs = vals >= 0 ? v.children(vals) : [];
    const e = exprs[index];
    if (e === undefined) return undefined;
    const saved = this.iota;
    this.iota = iota;
    // Repeated specs re-evaluate the expression of another spec: record nothing for them.
    const rec = spec === valueSpec;
    try {
      const x = rec ? this.expr(e) : this.quiet(() => this.expr(e));
      if (x.mode !== 'const') return undefined;
      const tn = v.child(valueSpec, 'type');
      if (tn >= 0) {
        const t = this.typExpr(tn);
        if (!t) return undefined;
        if (rec) this.convertUntyped(x, t);
        return { type: t, value: x.value };
      }
      return { type: x.type, value: x.value };
    } finally {
      this.iota = saved;
    }
  }

  private iota: number | undefined;

  private quietDepth = 0;
  private quiet<T>(f: () => T): T {
    this.quietDepth++;
    try {
      return f();
    } finally {
      this.quietDepth--;
    }
  }

  // ------------------------------------------------------------------ expressions

  /** Checks an expression; records identifier and operand types (see `record`). */
  expr(n: NodeId, hint?: Type): Operand {
    if (n < 0) return { mode: 'unknown', node: n, reason: 'missing' };
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.unknownAt(n, 'too deep');
    }
    try {
      const x = this.exprInner(n, hint);
      if (this.quietDepth === 0) {
        if (x.mode === 'value' || x.mode === 'var' || x.mode === 'const' || x.mode === 'commaok') this.record(n, x.type);
        if (x.mode === 'const' && this.rec) {
          (this.constNodes ??= new Set()).add(n);
          this.consts?.set(n, { value: x.value, untyped: isUntyped(x.type) });
        }
        else if (x.mode === 'nil') this.record(n, Typ.untypedNil);
      }
      return x;
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: NodeId, hint: Type | undefined): Operand {
    const v = this.v;
    switch (v.kind(n)) {
      case 'identifier':
      case 'type_identifier':
      case 'field_identifier':
        return this.ident(n);
      case 'int_literal': {
        const value = intLitValue(v.text(n));
        return value === undefined ? this.unknownAt(n, 'literal') : { mode: 'const', type: Typ.untypedInt, value, node: n };
      }
      case 'float_literal': {
        const num = Number(v.text(n).replace(/_/g, ''));
        return { mode: 'const', type: Typ.untypedFloat, value: { k: 'float', v: Number.isFinite(num) && /^[\d_.eE+-]+$/.test(v.text(n)) ? num : undefined }, node: n };
      }
      case 'imaginary_literal':
        return { mode: 'const', type: Typ.untypedComplex, value: { k: 'complex' }, node: n };
      case 'rune_literal': {
        const r = parseRuneLit(v.text(n));
        return { mode: 'const', type: Typ.untypedRune, value: r === undefined ? UNKNOWN_VALUE : { k: 'int', v: r }, node: n };
      }
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return { mode: 'const', type: Typ.untypedString, value: { k: 'string', v: parseStringLit(v.text(n)) }, node: n };
      case 'true':
      case 'false':
        return { mode: 'const', type: Typ.untypedBool, value: { k: 'bool', v: v.kind(n) === 'true' }, node: n };
      case 'nil':
        return { mode: 'nil', node: n };
      case 'iota':
        return this.iota === undefined ? this.unknownAt(n, 'iota') : { mode: 'const', type: Typ.untypedInt, value: { k: 'int', v: BigInt(this.iota) }, node: n };
      case 'parenthesized_expression': {
        const inner = first(v, n);
        if (inner === undefined) return this.unknownAt(n, 'syntax');
        const x = this.expr(inner, hint);
        return { ...x, node: n } as Operand;
      }
      case 'selector_expression':
        return this.selector(n);
      case 'call_expression':
        return this.call(n);
      case 'index_expression':
        return this.index(n);
      case 'slice_expression':
        return this.sliceExpr(n);
      case 'type_assertion_expression': {
        const x = this.expr(v.child(n, 'operand'));
        const t = this.typExpr(v.child(n, 'type'));
        if (!t || this.isUnknown(x)) return this.unknownAt(n, 'unknown type');
        return { mode: 'commaok', type: t, node: n };
      }
      case 'type_conversion_expression': {
        const tn = v.child(n, 'type');
        // tree-sitter reads `*(*T)(x)` as a conversion to `*(*T)`; Go reads a dereference of (*T)(x)
        // (a conversion to a pointer type needs parentheses).
        const deref = v.kind(tn) === 'pointer_type';
        const tx = this.typeOrExpr(deref ? first(v, tn)! : tn);
        if (tx.mode === 'value' && tx.type.k === 'signature' && !deref) {
          // `f[T](x)`: tree-sitter reads a call of an instantiated function as a conversion.
          this.arguments(tx.type, [v.child(n, 'operand')]);
          return this.callResult(n, tx.type);
        }
        const t = tx.mode === 'type' ? tx.type : undefined;
        const x = this.expr(v.child(n, 'operand'));
        if (!t) return this.unknownAt(n, 'unknown type');
        const c = this.conversion(n, t, x);
        if (!deref) return c;
        const u = c.mode === 'value' ? coreType(c.type) : undefined;
        return u?.k === 'pointer' ? { mode: 'var', type: u.elem, node: n } : this.unknownAt(n, 'unknown operand');
      }
      case 'unary_expression':
        return this.unary(n);
      case 'binary_expression':
        return this.binary(n);
      case 'composite_literal':
        return this.compositeLit(n, hint);
      case 'literal_value': {
        if (!hint) return this.unknownAt(n, 'elided type');
        const base = under(hint)?.k === 'pointer' ? (under(hint) as { elem: Type }).elem : hint;
        const x = this.literalBody(n, base);
        if (x.mode === 'unknown') return x;
        return { mode: 'value', type: hint, node: n };
      }
      case 'func_literal': {
        const sig = this.signature(v.child(n, 'parameters'), v.child(n, 'result'));
        if (!sig) {
          this.quiet(() => this.funcBody(n, undefined));
          return this.unknownAt(n, 'unknown type');
        }
        this.funcBody(n, sig);
        return { mode: 'value', type: sig, node: n };
      }
      case 'type_instantiation_expression': {
        const t = this.typeOrExpr(n);
        return t;
      }
      case 'qualified_type':
      case 'pointer_type':
      case 'slice_type':
      case 'array_type':
      case 'map_type':
      case 'channel_type':
      case 'function_type':
      case 'struct_type':
      case 'interface_type':
      case 'generic_type':
      case 'parenthesized_type':
        return this.typeOrExpr(n);
      case 'ERROR':
        return this.unknownAt(n, 'parse recovery (syntax error)');
      default:
        return this.unknownAt(n, `unsupported construct (${v.kind(n)})`);
    }
  }

  private isUnknown(x: Operand): boolean {
    return x.mode === 'unknown';
  }

  /** The single value type of an operand (after default-typing an untyped constant), or undefined. */
  private valueType(x: Operand): Type | undefined {
    switch (x.mode) {
      case 'value':
      case 'var':
      case 'commaok':
        if (isUntyped(x.type)) {
          const d = defaultType(x.type);
          this.updateExprType(x.node, d);
          return d;
        }
        return x.type;
      case 'const': {
        const d = defaultType(x.type);
        if (d !== x.type) this.updateExprType(x.node, d);
        return d;
      }
      default:
        return undefined;
    }
  }

  /** The n types of a multi-valued operand (tuple or comma-ok), or undefined. */
  private multiTypes(x: Operand, n: number): (Type | undefined)[] | undefined {
    if (x.mode === 'tuple' && x.type.vars.length === n) return x.type.vars.map((vr) => vr.type);
    if (x.mode === 'commaok' && n === 2) {
      // go/types records the comma-ok expression as the tuple (T, untyped bool) → (T, bool).
      this.record(x.node, { k: 'tuple', vars: [{ k: 'var', name: '', pkg: '', type: x.type }, { k: 'var', name: '', pkg: '', type: Typ.bool }] });
      return [x.type, Typ.untypedBool];
    }
    return undefined;
  }

  private ident(n: NodeId): Operand {
    const v = this.v;
    const name = v.text(n);
    if (name === '_') return this.unknownAt(n, 'blank');
    const o = this.lookup(name);
    if (!o) return this.unknownAt(n, 'undeclared name');
    return this.objOperand(o, n);
  }

  private objOperand(o: Obj, n: NodeId): Operand {
    const seq = rootSeq;
    switch (o.k) {
      case 'var': {
        const t = o.type;
        return t ? { mode: 'var', type: t, node: n } : this.unknownAt(n, this.objReason(o, seq, 'unknown variable type'));
      }
      case 'const': {
        const r = o.resolve();
        return r ? { mode: 'const', type: r.type, value: r.value, node: n } : this.unknownAt(n, this.objReason(o, seq, 'unknown constant'));
      }
      case 'func': {
        const s = o.type();
        if (!s) return this.unknownAt(n, this.objReason(o, seq, 'unknown signature'));
        return { mode: 'value', type: s, node: n };
      }
      case 'typename':
        if (!o.type) return this.unknownAt(n, this.objReason(o, seq, 'unknown type'));
        // From Go 1.23 go/types keeps the alias a type was spelled through (gotypesalias=1).
        if (o.alias && (this.pkg.aliases || o.tparams)) return { mode: 'type', type: aliasType(o, o.type, undefined, o.tparams), node: n };
        return { mode: 'type', type: o.type, node: n };
      case 'pkgname':
        return { mode: 'pkg', path: o.path, node: n };
      case 'builtin':
        return { mode: 'builtin', name: o.name, node: n };
      case 'nil':
        return { mode: 'nil', node: n };
    }
  }

  private qualified(n: NodeId, path: string, name: string): Operand {
    if (path === 'unsafe') {
      if (name === 'Pointer') return { mode: 'type', type: Typ.unsafePointer, node: n };
      return { mode: 'builtin', name: `unsafe.${name}`, node: n };
    }
    const p = this.pkg.env.importPackage(path);
    if (!p) return this.unknownAt(n, this.pkg.env.missing?.(path) ?? `package ${path} not available`);
    const o = p.lookup(name);
    if (!o) return this.unknownAt(n, 'undeclared name');
    return this.objOperand(o, n);
  }

  private selector(n: NodeId): Operand {
    const v = this.v;
    const opn = v.child(n, 'operand');
    const sel = v.text(v.child(n, 'field'));
    // A package name is not an operand.
    if (v.kind(opn) === 'identifier') {
      const o = this.lookup(v.text(opn));
      if (o?.k === 'pkgname') return this.qualified(n, o.path, sel);
    }
    const x = this.typeOrExpr(opn);
    if (x.mode === 'type') {
      // Method expression T.M: func(recv T, params...) results.
      const r = lookupFieldOrMethod(x.type, false, this.pkg.path, sel);
      if (r?.kind !== 'method') return this.unknownAt(n, 'method expression');
      const s = r.obj.type();
      if (!s) return this.unknownAt(n, 'unknown signature');
      const recvName = s.recv?.name ?? '';
      if (under(x.type)?.k === 'interface') return this.unknownAt(n, 'interface method expression');
      return {
        mode: 'value',
        type: { k: 'signature', params: { k: 'tuple', vars: [{ k: 'var', name: recvName, pkg: this.pkg.path, type: x.type }, ...s.params.vars] }, results: s.results, variadic: s.variadic, ...(s.tparams ? { tparams: s.tparams } : {}) },
        node: n,
      };
    }
    if (x.mode !== 'value' && x.mode !== 'var' && x.mode !== 'commaok') return this.unknownAt(n, x.mode === 'unknown' ? 'unknown operand' : 'selector operand');
    const absent = { v: false };
    const r = lookupFieldOrMethod(x.type, x.mode === 'var', this.pkg.path, sel, absent);
    if (!r) {
      if (absent.v && this.quietDepth === 0) this.members?.set(v.child(n, 'field'), { type: x.type, absent: true });
      return this.unknownAt(n, absent.v ? 'no field or method' : 'unknown selection');
    }
    if (r.kind === 'field') return { mode: x.mode === 'var' || r.indirect ? 'var' : 'value', type: r.type, node: n };
    const s = r.type;
    if (!s || s.k !== 'signature') return this.unknownAt(n, 'unknown signature');
    // A generic method (Go 1.27) keeps its own type parameters: the call infers or instantiates them.
    return { mode: 'value', type: { k: 'signature', params: s.params, results: s.results, variadic: s.variadic, ...(s.tparams ? { tparams: s.tparams } : {}) }, node: n };
  }

  // ------------------------------------------------------------------ calls

  private call(n: NodeId): Operand {
    const v = this.v;
    const fn = v.child(n, 'function');
    const argsNode = v.child(n, 'arguments');
    const targsNode = v.child(n, 'type_arguments');
    const args = argsNode >= 0 ? v.children(argsNode) : [];
    const f = targsNode >= 0 ? this.instantiated(fn, this.typeOrExpr(fn), this.v.children(targsNode)) : this.typeOrExpr(fn);
    if (f.mode === 'type') {
      const x = args.length === 1 ? this.expr(args[0]!) : this.unknownAt(n, 'conversion');
      return this.conversion(n, f.type, x);
    }
    if (f.mode === 'builtin') return this.builtin(n, f.name, args);
    const fsig = f.mode === 'value' ? f.type : undefined;
    if (fsig?.k === 'signature' && fsig.tparams) return this.inferredCall(n, fn, fsig, args);
    const sig = f.mode === 'value' || f.mode === 'var' || f.mode === 'commaok' ? coreType(f.type) : undefined;
    if (!sig || sig.k !== 'signature') {
      for (const a of args) this.untypedUnknown(this.expr(a));
      return this.unknownAt(n, f.mode === 'unknown' ? f.reason : 'not a function');
    }
    this.arguments(sig, args);
    return this.callResult(n, sig);
  }

  private callResult(n: NodeId, sig: Signature): Operand {
    const r = sig.results.vars;
    if (r.length === 0) return { mode: 'novalue', node: n };
    if (r.length === 1) return r[0]!.type ? { mode: 'value', type: r[0]!.type, node: n } : this.unknownAt(n, 'unknown result');
    return { mode: 'tuple', type: sig.results, node: n };
  }

  /** Checks call arguments against a signature (untyped constants take the parameter types). */
  private arguments(sig: Signature, args: NodeId[]): void {
    const v = this.v;
    const params = sig.params.vars;
    if (args.length === 1 && params.length > 1 && v.kind(args[0]!) !== 'variadic_argument') {
      this.expr(args[0]!); // f(g()) with g's results spread
      return;
    }
    args.forEach((a, i) => {
      if (v.kind(a) === 'variadic_argument') {
        this.expr(first(v, a)!);
        return;
      }
      let pt: Type | undefined;
      if (sig.variadic && i >= params.length - 1) {
        const last = params[params.length - 1]?.type;
        pt = last?.k === 'slice' ? last.elem : undefined;
      } else pt = params[i]?.type;
      const x = this.expr(a, pt);
      this.assign(x, pt);
    });
  }

  /** Inferred type arguments: f(x) for a generic f, when every type parameter appears bare in a parameter. */
  private inferredCall(n: NodeId, fn: NodeId, sig: Signature, args: NodeId[]): Operand {
    const tps = sig.tparams ?? [];
    const xs = args.map((a) => (this.v.kind(a) === 'variadic_argument' ? this.expr(first(this.v, a)!) : this.expr(a)));
    const bind = new Map<TypeParam, Type>();
    const ok = sig.params.vars.every((p, i) => {
      const x = xs[i];
      if (!x || !p.type) return true;
      const xt = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' ? x.type : undefined;
      if (!xt || isUntyped(xt)) return true;
      return unify(p.type, xt, bind, sig.variadic && i === sig.params.vars.length - 1 && this.v.kind(args[i]!) !== 'variadic_argument');
    });
    // A type parameter still unbound whose parameter is the bare type parameter takes the default
    // type of its untyped constant arguments (of the largest kind, as go/types since Go 1.21; older
    // releases reject mixed kinds, so valid code agrees).
    if (ok) {
      const untypedFor = new Map<TypeParam, Type>();
      const nparams = sig.params.vars.length;
      xs.forEach((x, i) => {
        if (sig.variadic && i >= nparams - 1) return; // variadic arguments are not assigned below
        const pt = sig.params.vars[i]?.type;
        if (pt?.k !== 'typeparam' || bind.has(pt) || x.mode !== 'const' || !isUntyped(x.type) || rank(x.type) === 0) return;
        const had = untypedFor.get(pt);
        if (!had || rank(x.type) > rank(had)) untypedFor.set(pt, x.type);
      });
      for (const [tp, t] of untypedFor) bind.set(tp, defaultType(t));
    }
    if (!ok || tps.some((t) => !bind.has(t))) {
      this.drop(fn);
      // The parameter types are unknown: so are the final types of untyped arguments.
      for (const x of xs) this.untypedUnknown(x);
      return this.unknownAt(n, 'type inference');
    }
    const inst = subst({ ...sig, tparams: undefined } as Signature, bind) as Signature;
    // go/types records the callee with its instantiated signature.
    if (this.rec?.has(fn)) this.rec.set(fn, inst);
    const ps = inst.params.vars;
    xs.forEach((x, i) => {
      const spread = this.v.kind(args[i]!) === 'variadic_argument';
      if (sig.variadic && i >= ps.length - 1) {
        const last = ps[ps.length - 1]?.type;
        this.assign(x, spread ? last : last?.k === 'slice' ? last.elem : undefined);
      } else this.assign(x, ps[i]?.type);
    });
    return this.callResult(n, inst);
  }

  /** `f[T1, T2]` for a generic function value `f`: the instantiated signature (f keeps its generic record). */
  private instantiated(n: NodeId, f: Operand, targs: NodeId[]): Operand {
    const v = this.v;
    const sig = f.mode === 'value' && f.type.k === 'signature' ? f.type : undefined;
    const args = targs.map((e) => this.typExpr(v.kind(e) === 'type_elem' ? first(v, e)! : e));
    if (!sig?.tparams || args.some((a) => !a) || args.length > sig.tparams.length) return this.unknownAt(n, 'generic function');
    if (args.length < sig.tparams.length) return this.unknownAt(n, 'partial instantiation');
    const bind = new Map<TypeParam, Type>();
    sig.tparams.forEach((tp, i) => bind.set(tp, args[i]!));
    return { mode: 'value', type: subst({ ...sig, tparams: undefined } as Signature, bind) as Signature, node: n };
  }

  private conversion(n: NodeId, t: Type, x: Operand): Operand {
    // T(x) has type T whatever x is (in valid Go); only whether it is a constant stays unknown.
    if (x.mode === 'unknown') return { mode: 'value', type: t, node: n };
    if (x.mode === 'const' && isUntyped(x.type)) {
      const ut = under(t);
      const final = isInterface(t) || ut?.k !== 'basic' ? defaultType(x.type) : isString(ut) && isInteger(x.type) ? x.type : t;
      this.updateExprType(x.node, final);
      if (ut?.k === 'basic' && !isInterface(t) && constRepresentable(x.value, ut.kind)) {
        return { mode: 'const', type: t, value: convertValue(x.value, ut.kind), node: n };
      }
      return { mode: 'value', type: t, node: n };
    }
    if ((x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok') && isUntyped(x.type)) {
      this.updateExprType(x.node, isInterface(t) ? defaultType(x.type) : t);
    }
    if (x.mode === 'const' && under(t)?.k === 'basic') {
      const kind = (under(t) as { kind: string }).kind;
      if (isConstType(t)) return { mode: 'const', type: t, value: convertValue(x.value, kind), node: n };
    }
    return { mode: 'value', type: t, node: n };
  }

  private builtin(n: NodeId, name: string, args: NodeId[]): Operand {
    const v = this.v;
    const arg = (i: number, hint?: Type) => (args[i] === undefined ? ({ mode: 'unknown', node: n, reason: 'missing' } as Operand) : this.expr(args[i]!, hint));
    const vt = (x: Operand) => (x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' || x.mode === 'const' ? x.type : undefined);
    switch (name) {
      case 'len':
      case 'cap': {
        const x = arg(0);
        const t = vt(x);
        if (!t) return this.unknownAt(n, 'unknown operand');
        if (x.mode === 'const' && x.value.k === 'string' && x.value.v !== undefined) {
          return { mode: 'const', type: Typ.int, value: { k: 'int', v: BigInt(utf8Len(x.value.v)) }, node: n };
        }
        if (x.mode === 'const' && isString(t)) return { mode: 'const', type: Typ.int, value: UNKNOWN_VALUE, node: n };
        if (isUntyped(t)) this.updateExprType(x.node, defaultType(t));
        const u = coreType(t);
        const arr = u?.k === 'array' ? u : u?.k === 'pointer' && under(u.elem)?.k === 'array' ? (under(u.elem) as { len: bigint }) : undefined;
        if (arr && !this.hasCallOrRecv(args[0]!)) return { mode: 'const', type: Typ.int, value: { k: 'int', v: arr.len }, node: n };
        return { mode: 'value', type: Typ.int, node: n };
      }
      case 'new': {
        const t = this.typExpr(args[0] ?? -1);
        return t ? { mode: 'value', type: { k: 'pointer', elem: t }, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'make': {
        const t = this.typExpr(args[0] ?? -1);
        for (let i = 1; i < args.length; i++) this.index1(args[i]!);
        return t ? { mode: 'value', type: t, node: n } : this.unknownAt(n, 'unknown type');
      }
      case 'append': {
        const s = arg(0);
        const st = vt(s);
        const core = coreType(st);
        const elem = core?.k === 'slice' ? core.elem : undefined;
        for (let i = 1; i < args.length; i++) {
          const a = args[i]!;
          if (v.kind(a) === 'variadic_argument') this.expr(first(v, a)!);
          else {
            const x = this.expr(a, elem);
            this.assign(x, elem);
          }
        }
        if (!st || isUntyped(st)) return this.unknownAt(n, 'unknown operand');
        return { mode: 'value', type: st, node: n };
      }
      case 'copy':
        arg(0);
        arg(1);
        return { mode: 'value', type: Typ.int, node: n };
      case 'delete': {
        const m = arg(0);
        const mt = coreType(vt(m));
        const k = arg(1, mt?.k === 'map' ? mt.key : undefined);
        if (mt?.k === 'map') this.assign(k, mt.key);
        return { mode: 'novalue', node: n };
      }
      case 'close':
      case 'clear':
        arg(0);
        return { mode: 'novalue', node: n };
      case 'panic': {
        const x = arg(0);
        this.assign(x, anyType);
        return { mode: 'novalue', node: n };
      }
      case 'print':
      case 'println':
        for (let i = 0; i < args.length; i++) {
          const x = arg(i);
          const t = vt(x);
          if (t && isUntyped(t)) this.updateExprType(x.node, defaultType(t));
        }
        return { mode: 'novalue', node: n };
      case 'recover':
        return { mode: 'value', type: { k: 'interface', methods: [], embeddeds: [] }, node: n };
      case 'real':
      case 'imag': {
        const x = arg(0);
        const t = under(vt(x));
        if (t?.k === 'basic' && t.kind === 'complex64') return { mode: 'value', type: Typ.float32, node: n };
        if (t?.k === 'basic' && t.kind === 'complex128') return { mode: 'value', type: Typ.float64, node: n };
        if (x.mode === 'const' && isUntyped(x.type)) return { mode: 'const', type: Typ.untypedFloat, value: { k: 'float', v: undefined }, node: n };
        this.forget(x.node);
        return this.unknownAt(n, 'untyped complex');
      }
      case 'complex': {
        const a = arg(0);
        const b = arg(1);
        const ta = under(vt(a));
        const tb = under(vt(b));
        const typed = ta && !isUntyped(ta) ? ta : tb && !isUntyped(tb) ? tb : undefined;
        if (typed?.k === 'basic' && (typed.kind === 'float32' || typed.kind === 'float64')) {
          this.assign(a, typed);
          this.assign(b, typed);
          return { mode: 'value', type: typed.kind === 'float32' ? Typ.complex64 : Typ.complex128, node: n };
        }
        if (a.mode === 'const' && b.mode === 'const' && isUntyped(a.type) && isUntyped(b.type)) return { mode: 'const', type: Typ.untypedComplex, value: { k: 'complex' }, node: n };
        this.forget(a.node);
        this.forget(b.node);
        return this.unknownAt(n, 'untyped complex');
      }
      case 'min':
      case 'max': {
        const xs = args.map((a) => this.expr(a));
        const typed = xs.map(vt).find((t) => t && !isUntyped(t));
        if (!typed) {
          for (const x of xs) this.forget(x.node);
          return this.unknownAt(n, 'untyped min/max');
        }
        for (const x of xs) this.assign(x, typed);
        return { mode: 'value', type: typed, node: n };
      }
      case 'unsafe.Sizeof':
      case 'unsafe.Alignof':
      case 'unsafe.Offsetof': {
        const x = arg(0);
        const t = vt(x);
        if (t && isUntyped(t)) this.updateExprType(x.node, defaultType(t));
        return { mode: 'value', type: Typ.uintptr, node: n };
      }
      case 'unsafe.Add': {
        arg(0);
        this.index1(args[1] ?? -1);
        return { mode: 'value', type: Typ.unsafePointer, node: n };
      }
      case 'unsafe.Slice': {
        const p = vt(arg(0));
        this.index1(args[1] ?? -1);
        const pu = under(p);
        return pu?.k === 'pointer' ? { mode: 'value', type: { k: 'slice', elem: pu.elem }, node: n } : this.unknownAt(n, 'unknown operand');
      }
      case 'unsafe.String':
        arg(0);
        this.index1(args[1] ?? -1);
        return { mode: 'value', type: Typ.string, node: n };
      case 'unsafe.StringData':
        arg(0, Typ.string);
        return { mode: 'value', type: { k: 'pointer', elem: Typ.byte }, node: n };
      case 'unsafe.SliceData': {
        const s = under(vt(arg(0)));
        return s?.k === 'slice' ? { mode: 'value', type: { k: 'pointer', elem: s.elem }, node: n } : this.unknownAt(n, 'unknown operand');
      }
      default:
        for (const a of args) this.untypedUnknown(this.expr(a));
        return this.unknownAt(n, `builtin ${name}`);
    }
  }

  /** An index or size operand (`make` sizes, `a[i]`): an untyped constant becomes int. */
  private index1(n: NodeId): Operand {
    const x = this.expr(n);
    if ((x.mode === 'const' || x.mode === 'value') && isUntyped(x.type)) this.updateExprType(x.node, Typ.int);
    return x;
  }

  private hasCallOrRecv(n: NodeId): boolean {
    const v = this.v;
    const end = v.next(n);
    for (let i = n; i < end; i++) {
      const k = v.kind(i);
      if (k === 'call_expression' || (k === 'unary_expression' && v.text(i) === '<-')) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ index, slice

  /** `base[args]`: an instance of a generic named type or of a generic alias. */
  private instantiateType(base: Type, args: Type[]): Type | undefined {
    const a = base.k !== 'tuple' && base.k !== 'union' ? base.alias : undefined;
    if (a?.tparams) {
      if (a.targs || a.tparams.length !== args.length) return undefined;
      const bind = new Map<TypeParam, Type>();
      a.tparams.forEach((tp, i) => bind.set(tp, args[i]!));
      const actual = subst(a.actual, bind);
      return this.pkg.aliases ? aliasType(a.obj, actual, args) : unalias(actual);
    }
    const u = unalias(base);
    return u.k === 'named' ? instantiate(u, args) : undefined;
  }

  private index(n: NodeId): Operand {
    const v = this.v;
    const opn = v.child(n, 'operand');
    const idxs = v.childrenOf(n, 'index');
    const x = this.typeOrExpr(opn);
    if (x.mode === 'type') {
      const args = idxs.map((i) => this.typExpr(i));
      const inst = args.some((a) => !a) ? undefined : this.instantiateType(x.type, args as Type[]);
      return inst ? { mode: 'type', type: inst, node: n } : this.unknownAt(n, 'generic instantiation');
    }
    if (x.mode === 'value' && x.type.k === 'signature' && x.type.tparams) return this.instantiated(n, x, idxs);
    const t = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' || x.mode === 'const' ? x.type : undefined;
    const u = coreType(t);
    if (!t || !u || idxs.length !== 1) {
      // A map key or an int: unknown, so an untyped index's final type is too.
      for (const i of idxs) this.untypedUnknown(this.expr(i));
      return this.unknownAt(n, 'unknown operand');
    }
    if (u.k === 'map') {
      const k = this.expr(idxs[0]!, u.key);
      this.assign(k, u.key);
      return { mode: 'commaok', type: u.elem, node: n };
    }
    const i = this.index1(idxs[0]!);
    void i;
    switch (u.k) {
      case 'basic':
        if (isString(u)) {
          return { mode: 'value', type: Typ.byte, node: n };
        }
        break;
      case 'slice':
        return { mode: 'var', type: u.elem, node: n };
      case 'array':
        return { mode: x.mode === 'var' ? 'var' : 'value', type: u.elem, node: n };
      case 'pointer': {
        const a = under(u.elem);
        if (a?.k === 'array') return { mode: 'var', type: a.elem, node: n };
        break;
      }
      default:
        break;
    }
    return this.unknownAt(n, 'index of unsupported type');
  }

  private sliceExpr(n: NodeId): Operand {
    const v = this.v;
    const x = this.expr(v.child(n, 'operand'));
    for (const f of ['start', 'end', 'capacity'] as const) {
      const c = v.child(n, f);
      if (c >= 0) this.index1(c);
    }
    const t = x.mode === 'value' || x.mode === 'var' || x.mode === 'const' || x.mode === 'commaok' ? x.type : undefined;
    const u = coreType(t);
    if (!t || !u) return this.unknownAt(n, 'unknown operand');
    if (isString(u)) {
      if (isUntyped(t)) return { mode: 'value', type: Typ.string, node: n };
      return { mode: 'value', type: t, node: n };
    }
    if (u.k === 'slice') return { mode: 'value', type: t, node: n };
    if (u.k === 'array') return { mode: 'value', type: { k: 'slice', elem: u.elem }, node: n };
    if (u.k === 'pointer') {
      const a = under(u.elem);
      if (a?.k === 'array') return { mode: 'value', type: { k: 'slice', elem: a.elem }, node: n };
    }
    return this.unknownAt(n, 'slice of unsupported type');
  }

  // ------------------------------------------------------------------ operators

  private unary(n: NodeId): Operand {
    const v = this.v;
    const op = v.text(n);
    const opn = v.child(n, 'operand');
    if (op === '*') {
      const x = this.typeOrExpr(opn);
      if (x.mode === 'type') return { mode: 'type', type: { k: 'pointer', elem: x.type }, node: n };
      const u = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' ? coreType(x.type) : undefined;
      return u?.k === 'pointer' ? { mode: 'var', type: u.elem, node: n } : this.unknownAt(n, 'unknown operand');
    }
    const x = this.expr(opn);
    if (x.mode === 'unknown') return this.unknownAt(n, 'unknown operand');
    switch (op) {
      case '&': {
        const t = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' ? x.type : undefined;
        return t ? { mode: 'value', type: { k: 'pointer', elem: t }, node: n } : this.unknownAt(n, 'unknown operand');
      }
      case '<-': {
        const u = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' ? coreType(x.type) : undefined;
        return u?.k === 'chan' ? { mode: 'commaok', type: u.elem, node: n } : this.unknownAt(n, 'unknown operand');
      }
      default: {
        if (x.mode === 'const') {
          let value: ConstValue = UNKNOWN_VALUE;
          if (x.value.k === 'int') {
            if (op === '-') value = { k: 'int', v: -x.value.v };
            else if (op === '+') value = x.value;
            else if (op === '^') {
              const ut = under(x.type);
              const r = ut?.k === 'basic' && isUnsignedKind(ut.kind) ? intRange(ut.kind, 64) : undefined;
              value = { k: 'int', v: r ? r[1] ^ x.value.v : ~x.value.v };
              if (ut?.k === 'basic' && (ut.kind === 'uint' || ut.kind === 'uintptr')) value = UNKNOWN_VALUE; // word size
            }
          } else if (x.value.k === 'bool' && op === '!') value = { k: 'bool', v: x.value.v === undefined ? undefined : !x.value.v };
          else if (x.value.k === 'float' && op === '-') value = { k: 'float', v: x.value.v === undefined ? undefined : -x.value.v };
          else if (x.value.k === 'float' && op === '+') value = x.value;
          return { mode: 'const', type: x.type, value, node: n };
        }
        const t = x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok' ? x.type : undefined;
        return t ? { mode: 'value', type: t, node: n } : this.unknownAt(n, 'unknown operand');
      }
    }
  }

  private binary(n: NodeId): Operand {
    const v = this.v;
    const op = v.text(n);
    const x = this.expr(v.child(n, 'left'));
    const y = this.expr(v.child(n, 'right'));
    const xt = opType(x);
    const yt = opType(y);
    if (op === '<<' || op === '>>') return this.shift(n, op, x, y, xt, yt);
    if (x.mode === 'nil' || y.mode === 'nil') {
      // x == nil: the result is untyped bool; nil stays untyped nil.
      return BIN_CMP.has(op) ? { mode: 'value', type: Typ.untypedBool, node: n } : this.unknownAt(n, 'nil operand');
    }
    if (!xt || !yt) {
      if (xt && isUntyped(xt)) this.forget(x.node);
      if (yt && isUntyped(yt)) this.forget(y.node);
      return this.unknownAt(n, 'unknown operand');
    }
    // matchTypes: an untyped operand takes the other's type.
    let t: Type;
    if (isUntyped(xt) && !isUntyped(yt)) {
      this.convertUntyped(x, yt);
      t = yt;
    } else if (!isUntyped(xt) && isUntyped(yt)) {
      this.convertUntyped(y, xt);
      t = xt;
    } else if (isUntyped(xt) && isUntyped(yt)) {
      t = rank(yt) > rank(xt) ? yt : xt;
      if (rank(t) > 0) {
        if (t !== xt) this.updateExprType(x.node, t);
        if (t !== yt) this.updateExprType(y.node, t);
      }
    } else t = xt;
    if (BIN_CMP.has(op)) {
      if (x.mode === 'const' && y.mode === 'const') return { mode: 'const', type: Typ.untypedBool, value: compareConst(op, x.value, y.value), node: n };
      return { mode: 'value', type: Typ.untypedBool, node: n };
    }
    if (x.mode === 'const' && y.mode === 'const') return { mode: 'const', type: t, value: foldConst(op, x.value, y.value, t), node: n };
    return { mode: 'value', type: t, node: n };
  }

  private shift(n: NodeId, op: string, x: Operand, y: Operand, xt: Type | undefined, yt: Type | undefined): Operand {
    // A constant count keeps its untyped type (go/types checks it against uint without converting);
    // a non-constant untyped count becomes uint.
    if (yt && isUntyped(yt) && y.mode !== 'const') this.updateExprType(y.node, Typ.uint);
    if (!xt) return this.unknownAt(n, 'unknown operand');
    if (x.mode === 'const' && y.mode === 'const') {
      if (isUntyped(xt) && xt.k === 'basic' && xt.kind !== 'untyped int' && xt.kind !== 'untyped rune') {
        this.forget(x.node);
        return this.unknownAt(n, 'untyped shift');
      }
      let value: ConstValue = UNKNOWN_VALUE;
      if (x.value.k === 'int' && y.value.k === 'int' && y.value.v >= 0n && y.value.v < 10000n) {
        value = { k: 'int', v: op === '<<' ? x.value.v << y.value.v : x.value.v >> y.value.v };
        if (!isUntyped(xt)) value = truncTyped(value, xt);
      }
      if (isUntyped(yt)) this.updateExprType(y.node, yt!);
      return { mode: 'const', type: xt, value, node: n };
    }
    if (isUntyped(xt)) {
      // Non-constant shift of an untyped constant: an untyped value whose type comes from the
      // context, which then converts the shifted operand too (updateExprType).
      if (xt.k === 'basic' && (xt.kind === 'untyped int' || xt.kind === 'untyped rune')) return { mode: 'value', type: xt, node: n };
      this.forget(x.node);
      return this.unknownAt(n, 'untyped shift');
    }
    return { mode: 'value', type: xt, node: n };
  }

  // ------------------------------------------------------------------ untyped conversions

  /** Converts an untyped operand to `target` (assignment or operand context), updating records. */
  private convertUntyped(x: Operand, target: Type): void {
    const t = opType(x);
    if (!t || !isUntyped(t)) return;
    let final: Type;
    const u = under(target);
    if (!u) {
      this.forget(x.node);
      return;
    }
    if (u.k === 'interface' || u.k === 'typeparam') {
      if (u.k === 'typeparam') {
        this.forget(x.node);
        return;
      }
      final = defaultType(t);
    } else if (u.k === 'basic') {
      if (isUntyped(u)) final = rank(u) > rank(t) ? u : t;
      else final = target;
    } else {
      return;
    }
    this.updateExprType(x.node, final);
  }

  /**
   * An operand assigned to a variable, parameter or result of type `t`; `t` undefined: a target
   * whose type goport does not know, so an untyped operand's final type is unknown too.
   */
  private assign(x: Operand, t: Type | undefined): void {
    if (t === undefined) {
      this.untypedUnknown(x);
      return;
    }
    if (x.mode === 'value' && x.type.k === 'signature' && x.type.tparams) this.drop(x.node); // instantiated by the context
    if (x.mode === 'const' || x.mode === 'value' || x.mode === 'var' || x.mode === 'commaok') this.convertUntyped(x, t);
  }

  /** go/types' updateExprType: the final type of an untyped expression, down its operands. */
  private updateExprType(n: NodeId, t: Type): void {
    if (!this.rec || n < 0) return;
    const v = this.v;
    const old = this.rec.get(n);
    if (old && !isUntyped(old)) return;
    switch (v.kind(n)) {
      case 'parenthesized_expression':
        this.updateExprType(first(v, n)!, t);
        break;
      case 'unary_expression':
        if (this.constNodes?.has(n)) break;
        if (v.text(n) !== '<-' && v.text(n) !== '&' && v.text(n) !== '*') this.updateExprType(v.child(n, 'operand'), t);
        break;
      case 'binary_expression': {
        if (this.constNodes?.has(n)) break;
        const op = v.text(n);
        if (BIN_CMP.has(op)) break; // operands were matched when the comparison was checked
        if (op === '<<' || op === '>>') this.updateExprType(v.child(n, 'left'), t);
        else {
          this.updateExprType(v.child(n, 'left'), t);
          this.updateExprType(v.child(n, 'right'), t);
        }
        break;
      }
      default:
        break;
    }
    if (old) {
      this.rec.set(n, t);
      if (!isUntyped(t)) this.untyped?.delete(n);
    }
  }

  /** Drops the record of `n` (a type goport cannot state as go/types records it). */
  private drop(n: NodeId): void {
    if (this.rec?.delete(n)) this.unk?.set(n, 'generic value');
  }

  /** An operand whose context's type is unknown: when untyped, its final type is unknown. */
  private untypedUnknown(x: Operand): void {
    const t = opType(x);
    if (t && isUntyped(t)) this.forget(x.node);
  }

  /** Drops the records of an untyped expression whose final type goport does not model. */
  private forget(n: NodeId): void {
    if (!this.rec || n < 0) return;
    const end = this.v.next(n);
    for (let i = n; i < end; i++) {
      const t = this.rec.get(i);
      if (t && isUntyped(t)) {
        this.rec.delete(i);
        this.unk?.set(i, 'untyped context');
      }
    }
  }

  // ------------------------------------------------------------------ composite literals

  private compositeLit(n: NodeId, hint: Type | undefined): Operand {
    const v = this.v;
    const tn = v.child(n, 'type');
    const body = v.child(n, 'body');
    let t: Type | undefined;
    if (tn >= 0 && v.kind(tn) === 'implicit_length_array_type') {
      const elem = this.typExpr(v.child(tn, 'element'));
      if (!elem) {
        // The elements are still checked: their own types do not depend on the literal's, and a
        // constant conversion inside them (`uint32(math.MaxUint32 / n)`) happens all the same.
        this.literalBody(body, undefined);
        return this.unknownAt(n, 'unknown type');
      }
      const len = this.literalBody(body, { k: 'array', len: -1n, elem });
      if (len.mode === 'unknown') return len;
      return { mode: 'value', type: { k: 'array', len: (len as { len: bigint }).len, elem }, node: n } as Operand;
    }
    t = tn >= 0 ? this.typExpr(tn) : hint;
    if (!t) {
      this.literalBody(body, undefined);
      return this.unknownAt(n, 'unknown type');
    }
    const x = this.literalBody(body, t);
    if (x.mode === 'unknown') return x;
    return { mode: 'value', type: t, node: n };
  }

  /** The elements of `{...}` for type `t`; for an array of unknown length (-1) its length. */
  private literalBody(body: NodeId, t: Type | undefined): Operand | { mode: 'ok'; len: bigint } {
    const v = this.v;
    const u = coreType(t);
    const elems = body >= 0 ? v.children(body) : [];
    const elemOf = (le: NodeId) => first(v, le) ?? -1;
    const value = (le: NodeId, et: Type | undefined) => {
      const e = elemOf(le);
      if (e < 0) return;
      const x = this.expr(e, et);
      this.assign(x, et);
    };
    const partial = !u && t?.k === 'named' ? t.partial?.() : undefined;
    if (partial) {
      // A struct with fields of unknown type (Named.partial): the literal is still a T. Keyed
      // elements of its known fields are checked against their types, the others without one.
      for (const el of elems) {
        if (v.kind(el) === 'keyed_element') {
          const key = elemOf(v.child(el, 'key'));
          const f = key >= 0 && v.kind(key) === 'identifier' ? partial.fields.find((fl) => fl.name === v.text(key)) : undefined;
          value(v.child(el, 'value'), f?.type);
        } else value(el, undefined);
      }
      return { mode: 'ok', len: 0n };
    }
    if (!u) {
      for (const el of elems) {
        if (v.kind(el) === 'keyed_element') {
          const [k, val] = [v.child(el, 'key'), v.child(el, 'value')];
          const ke = elemOf(k);
          if (ke >= 0 && v.kind(ke) !== 'identifier') this.untypedUnknown(this.expr(ke));
          value(val, undefined);
        } else value(el, undefined);
      }
      return this.unknownAt(body, 'unknown type');
    }
    switch (u.k) {
      case 'struct': {
        let i = 0;
        for (const el of elems) {
          if (v.kind(el) === 'keyed_element') {
            const key = elemOf(v.child(el, 'key'));
            const f = u.fields.find((fl) => fl.name === v.text(key));
            if (key >= 0 && v.kind(key) === 'identifier' && t && this.quietDepth === 0) this.members?.set(key, { type: t, absent: !f });
            value(v.child(el, 'value'), f?.type);
          } else value(el, u.fields[i++]?.type);
        }
        return { mode: 'ok', len: 0n };
      }
      case 'array':
      case 'slice': {
        let idx = 0n;
        let max = 0n;
        for (const el of elems) {
          if (v.kind(el) === 'keyed_element') {
            const k = this.index1(elemOf(v.child(el, 'key')));
            if (k.mode === 'const' && k.value.k === 'int') idx = k.value.v;
            else if (u.k === 'array' && u.len < 0n) return this.unknownAt(body, 'array length');
            value(v.child(el, 'value'), u.elem);
          } else value(el, u.elem);
          idx++;
          if (idx > max) max = idx;
        }
        return { mode: 'ok', len: max };
      }
      case 'map': {
        for (const el of elems) {
          if (v.kind(el) === 'keyed_element') {
            const k = elemOf(v.child(el, 'key'));
            if (k >= 0) {
              const x = this.expr(k, u.key);
              this.assign(x, u.key);
            }
            value(v.child(el, 'value'), u.elem);
          } else value(el, u.elem);
        }
        return { mode: 'ok', len: 0n };
      }
      default:
        return this.unknownAt(body, 'composite literal of unsupported type');
    }
  }

  // ------------------------------------------------------------------ statements

  /**
   * Checks the whole file: package-level var initializers and every function body; with `only`,
   * just those of its top-level declarations (nodes of the file's syntax table).
   */
  checkFile(only?: ReadonlySet<NodeId>): void {
    const v = this.v;
    for (let top = 0 + 1, top$ = v.next(0); top < top$; top = v.next(top)) if (!only || only.has(top)) this.checkTop(top);
  }

  /** Checks one top-level declaration of the file (its function body, its initializers), recording. */
  checkTop(top: NodeId): void {
    const v = this.v;
    {
      try {
        switch (v.kind(top)) {
          case 'function_declaration': {
            const name = v.text(v.child(top, 'name'));
            const obj = name === 'init' || name === '_' ? undefined : this.pkg.lookup(name);
            const sig = obj?.k === 'func' ? obj.type() : this.guard(() => this.funcSignature(top, undefined));
            if (sig?.tparams) this.bodyWithTypeParams(top);
            else this.funcBody(top, sig);
            break;
          }
          case 'method_declaration': {
            this.methodBody(top);
            break;
          }
          case 'var_declaration':
            for (const spec of varSpecs(v, top)) this.pkgVarSpec(spec);
            break;
          case 'const_declaration':
            for (let spec = top + 1, spec$ = v.next(top); spec < spec$; spec = v.next(spec)) {
              if (v.kind(spec) !== 'const_spec') continue;
              for (const nm of v.childrenOf(spec, 'name')) {
                const o = this.pkg.lookup(v.text(nm));
                if (o?.k === 'const') o.resolve();
              }
            }
            this.constDeclRecords(top);
            break;
          case 'type_declaration':
            for (let spec = top + 1, spec$ = v.next(top); spec < spec$; spec = v.next(spec)) {
              const nm = v.child(spec, 'name');
              if (nm < 0) continue;
              const o = this.pkg.lookup(v.text(nm));
              if (o?.k === 'typename' && o.type?.k === 'named') o.type.underlying();
              this.arrayLengths(spec);
            }
            break;
          default:
            break;
        }
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        this.unknownAt(top, 'too deep');
      }
    }
  }

  /** Array lengths inside a type declaration are expressions go/types records. */
  private arrayLengths(spec: NodeId): void {
    const v = this.v;
    const end = v.next(spec);
    for (let i = spec; i < end; i++) if (v.kind(i) === 'array_type') this.typExpr(i);
  }

  private constDeclRecords(decl: NodeId): void {
    // Package-level constants were resolved lazily: their expressions were checked by the objects'
    // own checkers (without records). Re-check each written expression here, recording.
    const v = this.v;
    let iota = 0;
    for (let spec = decl + 1, spec$ = v.next(decl); spec < spec$; spec = v.next(spec)) {
      if (v.kind(spec) !== 'const_spec') continue;
      if (v.child(spec, 'value') >= 0) {
        v.childrenOf(spec, 'name').forEach((_, i) => this.constValueOf(spec, spec, i, iota));
      }
      iota++;
    }
  }

  private pkgVarSpec(spec: NodeId): void {
    const v = this.v;
    const names = v.childrenOf(spec, 'name');
    const tn = v.child(spec, 'type');
    const vals = v.child(spec, 'value');
    const t = tn >= 0 ? this.typExpr(tn) : undefined;
    if (vals < 0) return;
    const exprs = v.children(vals);
    if (exprs.length === names.length) {
      for (const e of exprs) {
        const x = this.expr(e, t);
        // A written type goport cannot read makes an untyped value's type unknown (assign); none: its default type.
        if (t || tn >= 0) this.assign(x, t);
        else this.valueType(x);
      }
    } else if (exprs.length === 1) {
      const x = this.expr(exprs[0]!);
      this.multiTypes(x, names.length);
    }
  }

  private methodBody(m: NodeId): void {
    const v = this.v;
    const recv = v.child(m, 'receiver');
    const p = v.children(recv).find((c) => v.kind(c) === 'parameter_declaration');
    let base: string | undefined;
    if (p !== undefined) {
      let t = v.child(p, 'type');
      while (t >= 0 && (v.kind(t) === 'pointer_type' || v.kind(t) === 'parenthesized_type')) t = first(v, t) ?? -1;
      if (t >= 0 && v.kind(t) === 'generic_type') t = v.child(t, 'type');
      if (t >= 0) base = v.text(t);
    }
    const o = base ? this.pkg.lookup(base) : undefined;
    const named = o?.k === 'typename' && o.type?.k === 'named' ? o.type : undefined;
    if (!named) {
      this.quiet(() => this.funcBody(m, undefined));
      this.unknownAt(m, 'unknown receiver');
      return;
    }
    const name = v.text(v.child(m, 'name'));
    const mo = namedMethods(named, name)[0];
    // The method object's signature was made by a checker of this file (same declaration): make ours
    // so that the receiver's type parameters are in the body's scope.
    const s: Scope = { parent: this.scope, names: NO_NAMES, file: this.file };
    this.inScope(s, () => {
      const sig = this.funcSignature(m, named, s);
      if (!sig || named.tparams || sig.tparams) {
        // Bodies of generic types' methods: their expressions are typed over type parameters.
        this.funcBody(m, sig, true);
        return;
      }
      this.funcBody(m, sig);
    });
    void mo;
  }

  private bodyWithTypeParams(fn: NodeId): void {
    const s: Scope = { parent: this.scope, names: NO_NAMES, file: this.file };
    this.inScope(s, () => {
      const tpl = this.v.child(fn, 'type_parameters');
      if (tpl >= 0) this.declareTypeParams(tpl, s);
      const sig = this.signature(this.v.child(fn, 'parameters'), this.v.child(fn, 'result'));
      this.funcBody(fn, sig, true);
    });
  }

  /** Checks a function's body in a scope with its receiver, parameters and results. */
  private funcBody(fn: NodeId, sig: Signature | undefined, generic = false): void {
    const v = this.v;
    const body = v.child(fn, 'body');
    if (body < 0) return;
    const savedResults = this.results;
    const savedIota = this.iota;
    this.iota = undefined;
    this.push();
    try {
      if (sig) {
        if (sig.recv) this.declareLocal(sig.recv.name, sig.recv);
        for (const p of sig.params.vars) this.declareLocal(p.name, p);
        for (const r of sig.results.vars) this.declareLocal(r.name, r);
        this.results = sig.results;
      } else {
        // Unknown signature (some parameter or result of unknown type): each name still gets the
        // type declared for it where that one is known, the others are unknown and shadow outer
        // names. Results are not checked (the result list is not known as a whole).
        for (const list of [v.child(fn, 'receiver'), v.child(fn, 'parameters'), v.child(fn, 'result')]) {
          if (list < 0 || v.kind(list) !== 'parameter_list') continue;
          for (let d = list + 1, d$ = v.next(list); d < d$; d = v.next(d)) {
            const t = this.quietDepth === 0 ? this.declaredParamType(d) : undefined;
            for (const nm of v.childrenOf(d, 'name')) this.declareLocal(v.text(nm), this.localVar(v.text(nm), t, d));
          }
        }
        this.results = undefined;
      }
      void generic;
      this.block(body);
    } finally {
      this.pop();
      this.results = savedResults;
      this.iota = savedIota;
    }
  }

  /** A parameter declaration's type as written (`...T` is []T), or undefined when unknown. */
  private declaredParamType(d: NodeId): Type | undefined {
    const v = this.v;
    const k = v.kind(d);
    if (k !== 'parameter_declaration' && k !== 'variadic_parameter_declaration') return undefined;
    const t = this.typExpr(v.child(d, 'type'));
    return t && k === 'variadic_parameter_declaration' ? { k: 'slice', elem: t } : t;
  }

  private block(b: NodeId): void {
    const v = this.v;
    this.push();
    try {
      for (let c = b + 1, c$ = v.next(b); c < c$; c = v.next(c)) {
        if (v.kind(c) === 'statement_list') for (let s = c + 1, s$ = v.next(c); s < s$; s = v.next(s)) this.stmt(s);
        else this.stmt(c);
      }
    } finally {
      this.pop();
    }
  }

  private stmtList(n: NodeId): void {
    const v = this.v;
    for (let c = n + 1, c$ = v.next(n); c < c$; c = v.next(c)) {
      if (v.kind(c) === 'statement_list') for (let s = c + 1, s$ = v.next(c); s < s$; s = v.next(s)) this.stmt(s);
    }
  }

  private stmt(s: NodeId): void {
    const v = this.v;
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.unknownAt(s, 'too deep');
      return;
    }
    try {
      this.stmtInner(s);
    } finally {
      this.depth--;
    }
    void v;
  }

  private stmtInner(s: NodeId): void {
    const v = this.v;
    switch (v.kind(s)) {
      case 'expression_statement':
        this.exprStmt(first(v, s) ?? -1);
        break;
      case 'send_statement': {
        const ch = this.expr(v.child(s, 'channel'));
        const u = opType(ch) ? coreType(opType(ch)) : undefined;
        const elem = u?.k === 'chan' ? u.elem : undefined;
        const x = this.expr(v.child(s, 'value'), elem);
        this.assign(x, elem);
        break;
      }
      case 'inc_statement':
      case 'dec_statement':
        this.expr(first(v, s) ?? -1);
        break;
      case 'assignment_statement':
        this.assignment(s);
        break;
      case 'short_var_declaration':
        this.shortVarDecl(v.children(v.child(s, 'left')), v.child(s, 'right') >= 0 ? v.children(v.child(s, 'right')) : []);
        break;
      case 'var_declaration':
        for (const spec of varSpecs(v, s)) this.localVarSpec(spec);
        break;
      case 'const_declaration':
        this.localConstDecl(s);
        break;
      case 'type_declaration':
        for (let spec = s + 1, spec$ = v.next(s); spec < spec$; spec = v.next(spec)) {
          const k = v.kind(spec);
          if (k !== 'type_spec' && k !== 'type_alias') continue;
          const obj = this.typeDecl(spec, this.scope);
          this.declareLocal(obj.name, obj);
          if (obj.type?.k === 'named') obj.type.underlying();
          this.arrayLengths(spec);
        }
        break;
      case 'labeled_statement':
        for (let c = s + 1, c$ = v.next(s); c < c$; c = v.next(c)) if (v.kind(c) !== 'label_name') this.stmt(c);
        break;
      case 'block':
        this.block(s);
        break;
      case 'if_statement':
        this.push();
        try {
          const init = v.child(s, 'initializer');
          if (init >= 0) this.stmt(init);
          this.expr(v.child(s, 'condition'));
          this.block(v.child(s, 'consequence'));
          const alt = v.child(s, 'alternative');
          if (alt >= 0) this.stmt(alt);
        } finally {
          this.pop();
        }
        break;
      case 'for_statement':
        this.forStmt(s);
        break;
      case 'expression_switch_statement':
        this.exprSwitch(s);
        break;
      case 'type_switch_statement':
        this.typeSwitch(s);
        break;
      case 'select_statement':
        for (let c = s + 1, c$ = v.next(s); c < c$; c = v.next(c)) {
          this.push();
          try {
            if (v.kind(c) === 'communication_case') {
              const comm = v.child(c, 'communication');
              if (comm >= 0) {
                if (v.kind(comm) === 'receive_statement') this.receiveStmt(comm);
                else this.stmt(comm);
              }
            }
            this.stmtList(c);
          } finally {
            this.pop();
          }
        }
        break;
      case 'return_statement': {
        const list = first(v, s);
        if (list === undefined) break;
        const exprs = v.children(list);
        const res = this.results?.vars ?? [];
        if (exprs.length === res.length) {
          exprs.forEach((e, i) => {
            const t = res[i]!.type;
            const x = this.expr(e, t);
            this.assign(x, t);
          });
        } else if (!this.results) {
          // Results of an unknown signature: an untyped value's final type is unknown too.
          for (const e of exprs) this.untypedUnknown(this.expr(e));
        } else for (const e of exprs) this.expr(e);
        break;
      }
      case 'go_statement':
      case 'defer_statement':
        this.exprStmt(first(v, s) ?? -1);
        break;
      default:
        break;
    }
  }

  private exprStmt(e: NodeId): void {
    const x = this.expr(e);
    void x;
  }

  private receiveStmt(r: NodeId): void {
    const v = this.v;
    const left = v.child(r, 'left');
    const right = v.child(r, 'right');
    if (left < 0) {
      this.expr(right);
      return;
    }
    const lhs = v.children(left);
    if (v.text(r) === ':=') this.shortVarDecl(lhs, [right]);
    else this.assignLists(lhs, [right]);
  }

  private assignment(s: NodeId): void {
    const v = this.v;
    const op = v.text(s);
    const lhs = v.children(v.child(s, 'left'));
    const rhs = v.children(v.child(s, 'right'));
    if (op !== '=') {
      const x = this.expr(lhs[0] ?? -1);
      const y = this.expr(rhs[0] ?? -1);
      const xt = opType(x);
      if (op === '<<=' || op === '>>=') {
        if (opType(y) && isUntyped(opType(y)) && y.mode !== 'const') this.updateExprType(y.node, Typ.uint);
      } else this.assign(y, xt);
      return;
    }
    this.assignLists(lhs, rhs);
  }

  private assignLists(lhs: NodeId[], rhs: NodeId[]): void {
    const v = this.v;
    const ltypes = lhs.map((l) => {
      if (v.kind(l) === 'identifier' && v.text(l) === '_') return undefined;
      const x = this.expr(l);
      return opType(x);
    });
    if (lhs.length === rhs.length) {
      rhs.forEach((r, i) => {
        const lt = ltypes[i];
        const x = this.expr(r, lt);
        if (!lt && v.kind(lhs[i]!) === 'identifier' && v.text(lhs[i]!) === '_') this.valueType(x);
        else this.assign(x, lt);
      });
    } else if (rhs.length === 1) {
      const x = this.expr(rhs[0]!);
      this.multiTypes(x, lhs.length);
    }
  }

  private shortVarDecl(lhs: NodeId[], rhs: NodeId[]): void {
    const v = this.v;
    let types: (Type | undefined)[];
    if (lhs.length === rhs.length) {
      types = rhs.map((r) => this.valueType(this.expr(r)));
    } else if (rhs.length === 1) {
      types = this.multiTypes(this.expr(rhs[0]!), lhs.length) ?? lhs.map(() => undefined);
      types = types.map((t) => (t && isUntyped(t) ? defaultType(t) : t));
    } else {
      for (const r of rhs) this.expr(r);
      types = lhs.map(() => undefined);
    }
    lhs.forEach((l, i) => {
      const name = v.text(l);
      if (name === '_' || v.kind(l) !== 'identifier') return;
      const existing = this.scope.names.get(name);
      if (existing && existing.k === 'var') return; // redeclared: assigned, not declared
      this.declareLocal(name, this.localVar(name, types[i], rhs.length === lhs.length ? rhs[i]! : (rhs[0] ?? -1)));
    });
  }

  private localVarSpec(spec: NodeId): void {
    const v = this.v;
    const names = v.childrenOf(spec, 'name');
    const tn = v.child(spec, 'type');
    const vals = v.child(spec, 'value');
    const declared = tn >= 0 ? this.typExpr(tn) : undefined;
    let types: (Type | undefined)[] = names.map(() => declared);
    if (vals >= 0) {
      const exprs = v.children(vals);
      if (exprs.length === names.length) {
        types = exprs.map((e) => {
          const x = this.expr(e, declared);
          if (declared) {
            this.assign(x, declared);
            return declared;
          }
          return tn >= 0 ? undefined : this.valueType(x);
        });
      } else if (exprs.length === 1) {
        const ts = this.multiTypes(this.expr(exprs[0]!), names.length);
        if (tn < 0) types = (ts ?? names.map(() => undefined)).map((t) => (t && isUntyped(t) ? defaultType(t) : t));
      }
    }
    names.forEach((nm, i) => this.declareLocal(v.text(nm), this.localVar(v.text(nm), types[i], tn >= 0 ? tn : vals >= 0 ? (v.children(vals)[i] ?? vals) : spec)));
  }

  private localConstDecl(decl: NodeId): void {
    const v = this.v;
    let iota = 0;
    let last = -1;
    for (let spec = decl + 1, spec$ = v.next(decl); spec < spec$; spec = v.next(spec)) {
      if (v.kind(spec) !== 'const_spec') continue;
      if (v.child(spec, 'value') >= 0 || v.child(spec, 'type') >= 0) last = spec;
      const names = v.childrenOf(spec, 'name');
      const results = names.map((_, i) => this.constValueOf(spec, last, i, iota));
      names.forEach((nm, i) => {
        const r = results[i];
        this.declareLocal(v.text(nm), { k: 'const', name: v.text(nm), pkg: this.pkg.path, resolve: () => r });
      });
      iota++;
    }
  }

  private forStmt(s: NodeId): void {
    const v = this.v;
    this.push();
    try {
      for (let c = s + 1, c$ = v.next(s); c < c$; c = v.next(c)) {
        const k = v.kind(c);
        if (k === 'for_clause') {
          const init = v.child(c, 'initializer');
          if (init >= 0) this.stmt(init);
          const cond = v.child(c, 'condition');
          if (cond >= 0) this.expr(cond);
          const upd = v.child(c, 'update');
          if (upd >= 0) this.stmt(upd);
        } else if (k === 'range_clause') this.rangeClause(c);
        else if (k === 'block') this.block(c);
        else this.expr(c); // for cond { }
      }
    } finally {
      this.pop();
    }
  }

  private rangeClause(c: NodeId): void {
    const v = this.v;
    const left = v.child(c, 'left');
    const x = this.expr(v.child(c, 'right'));
    let t = opType(x);
    if (t && isUntyped(t) && x.mode === 'const' && !isString(t)) {
      t = defaultType(t);
      this.updateExprType(x.node, t);
    }
    const u = coreType(t);
    let kt: Type | undefined;
    let vt: Type | undefined;
    if (u) {
      switch (u.k) {
        case 'basic':
          if (isString(u)) {
            kt = Typ.int;
            vt = Typ.rune;
          } else if (isInteger(u)) kt = t;
          break;
        case 'array':
        case 'slice':
        case 'pointer': {
          const a = u.k === 'pointer' ? under(u.elem) : u;
          if (a && (a.k === 'array' || (a.k === 'slice' && u.k === 'slice'))) {
            kt = Typ.int;
            vt = a.elem;
          }
          break;
        }
        case 'map':
          kt = u.key;
          vt = u.elem;
          break;
        case 'chan':
          kt = u.elem;
          break;
        case 'signature': {
          // Iterator functions: func(yield func(K[, V]) bool).
          const y = u.params.vars[0]?.type;
          const yu = under(y);
          if (u.params.vars.length === 1 && u.results.vars.length === 0 && yu?.k === 'signature') {
            kt = yu.params.vars[0]?.type;
            vt = yu.params.vars[1]?.type;
          }
          break;
        }
        default:
          break;
      }
    }
    if (left < 0) return;
    const lhs = v.children(left);
    const op = v.text(c);
    if (op === ':=') {
      lhs.forEach((l, i) => {
        const name = v.text(l);
        this.declareLocal(name, this.localVar(name, i === 0 ? kt : vt, v.child(c, 'right')));
      });
    } else {
      for (const l of lhs) if (!(v.kind(l) === 'identifier' && v.text(l) === '_')) this.expr(l);
    }
  }

  /** A switch statement's scope: its initializer, then `body`. */
  private switchScope(s: NodeId, body: () => void): void {
    this.push();
    try {
      const init = this.v.child(s, 'initializer');
      if (init >= 0) this.stmt(init);
      body();
    } finally {
      this.pop();
    }
  }

  private exprSwitch(s: NodeId): void {
    const v = this.v;
    this.switchScope(s, () => {
      const tagN = v.child(s, 'value');
      let tagT: Type | undefined = Typ.bool;
      if (tagN >= 0) {
        const x = this.expr(tagN);
        tagT = this.valueType(x);
      }
      for (let c = s + 1, c$ = v.next(s); c < c$; c = v.next(c)) {
        const k = v.kind(c);
        if (k !== 'expression_case' && k !== 'default_case') continue;
        if (k === 'expression_case') {
          const vals = v.child(c, 'value');
          for (const e of vals >= 0 ? v.children(vals) : []) {
            const x = this.expr(e);
            if (tagN < 0) this.assign(x, Typ.bool);
            else this.assign(x, tagT); // an unknown tag: an untyped case value's type is unknown too
          }
        }
        this.scoped(() => this.stmtList(c));
      }
    });
  }

  private typeSwitch(s: NodeId): void {
    const v = this.v;
    this.switchScope(s, () => {
      const alias = v.child(s, 'alias');
      const name = alias >= 0 ? v.text(first(v, alias) ?? -1) : '';
      const x = this.expr(v.child(s, 'value'));
      const xt = opType(x);
      for (let c = s + 1, c$ = v.next(s); c < c$; c = v.next(c)) {
        const k = v.kind(c);
        if (k !== 'type_case' && k !== 'default_case') continue;
        let bound: Type | undefined = xt;
        if (k === 'type_case') {
          const types = v.childrenOf(c, 'type');
          const ts = types.map((t) => (v.kind(t) === 'nil' ? null : this.typExpr(t)));
          if (ts.length === 1 && ts[0] !== null) bound = ts[0];
        }
        this.scoped(() => {
          if (name && name !== '_') this.declareLocal(name, this.localVar(name, bound, v.child(s, 'value')));
          this.stmtList(c);
        });
      }
    });
  }
}

// ------------------------------------------------------------------ helpers

function opType(x: Operand): Type | undefined {
  return x.mode === 'value' || x.mode === 'var' || x.mode === 'const' || x.mode === 'commaok' ? x.type : undefined;
}

function methodId(m: FuncObj): string {
  return /^\p{Lu}/u.test(m.name) ? m.name : `${m.pkg}.${m.name}`;
}


function embeddedName(t: Type): string | undefined {
  const b = t.k === 'pointer' ? t.elem : t;
  if (b.k === 'named') return b.obj.name;
  if (b.k === 'basic') return b.name === 'unsafe.Pointer' ? 'Pointer' : b.name;
  if (b.k === 'interface' && b.any) return 'any';
  return undefined;
}

function isUnsignedKind(k: string): boolean {
  return /^uint|^uintptr$/.test(k);
}

function isConstType(t: Type): boolean {
  const u = under(t);
  return u?.k === 'basic' && u.kind !== 'unsafe.Pointer' && !u.kind.startsWith('untyped nil');
}

function constRepresentable(v: ConstValue, kind: string): boolean {
  if (kind === 'unsafe.Pointer') return false;
  void v;
  return true;
}

function convertValue(v: ConstValue, kind: string): ConstValue {
  if (v.k === 'int' && /^(u?int|uintptr)/.test(kind)) {
    if (kind === 'int' || kind === 'uint' || kind === 'uintptr') return v;
    const r = intRange(kind, 64);
    if (r && (v.v < r[0] || v.v > r[1])) return UNKNOWN_VALUE; // a non-constant conversion in valid Go
    return v;
  }
  if (v.k === 'int' && /^float/.test(kind)) return { k: 'float', v: Number(v.v) };
  if (v.k === 'int' && kind === 'string') return UNKNOWN_VALUE;
  if (v.k === 'float' && /^(u?int|uintptr)/.test(kind)) return v.v !== undefined && Number.isInteger(v.v) && Math.abs(v.v) < 2 ** 53 ? { k: 'int', v: BigInt(v.v) } : UNKNOWN_VALUE;
  return v;
}

function truncTyped(v: ConstValue, t: Type): ConstValue {
  const u = under(t);
  if (v.k !== 'int' || u?.k !== 'basic') return v;
  if (u.kind === 'int' || u.kind === 'uint' || u.kind === 'uintptr') return v;
  return v;
}

function compareConst(op: string, a: ConstValue, b: ConstValue): ConstValue {
  if (a.k === 'int' && b.k === 'int') {
    const r = op === '==' ? a.v === b.v : op === '!=' ? a.v !== b.v : op === '<' ? a.v < b.v : op === '<=' ? a.v <= b.v : op === '>' ? a.v > b.v : a.v >= b.v;
    return { k: 'bool', v: r };
  }
  return { k: 'bool', v: undefined };
}

function foldConst(op: string, a: ConstValue, b: ConstValue, t: Type): ConstValue {
  if (a.k === 'int' && b.k === 'int') {
    const x = a.v;
    const y = b.v;
    const intDiv = isInteger(t);
    switch (op) {
      case '+':
        return { k: 'int', v: x + y };
      case '-':
        return { k: 'int', v: x - y };
      case '*':
        return { k: 'int', v: x * y };
      case '/':
        if (y === 0n) return UNKNOWN_VALUE;
        return intDiv ? { k: 'int', v: x / y } : Number(x % y) === 0 ? { k: 'int', v: x / y } : { k: 'float', v: Number(x) / Number(y) };
      case '%':
        return y === 0n ? UNKNOWN_VALUE : { k: 'int', v: x % y };
      case '&':
        return { k: 'int', v: x & y };
      case '|':
        return { k: 'int', v: x | y };
      case '^':
        return { k: 'int', v: x ^ y };
      case '&^':
        return { k: 'int', v: x & ~y };
      default:
        return UNKNOWN_VALUE;
    }
  }
  if (a.k === 'string' && b.k === 'string' && op === '+') return { k: 'string', v: a.v !== undefined && b.v !== undefined ? a.v + b.v : undefined };
  if (a.k === 'bool' && b.k === 'bool') {
    if (a.v === undefined || b.v === undefined) return { k: 'bool', v: undefined };
    return { k: 'bool', v: op === '&&' ? a.v && b.v : op === '||' ? a.v || b.v : undefined };
  }
  if ((a.k === 'float' || a.k === 'int') && (b.k === 'float' || b.k === 'int')) return { k: 'float', v: undefined };
  return UNKNOWN_VALUE;
}

/** Unifies a parameter type with an argument type, binding type parameters (identical structure only). */
function unify(p: Type, a: Type, bind: Map<TypeParam, Type>, variadicElem: boolean): boolean {
  if (variadicElem && p.k === 'slice') return unify(p.elem, a, bind, false);
  if (p.k === 'typeparam') {
    const b = bind.get(p);
    if (b) return identical(b, a);
    bind.set(p, a);
    return true;
  }
  if (p.k !== a.k) return !mentionsTypeParam(p);
  switch (p.k) {
    case 'pointer':
    case 'slice':
      return unify(p.elem, (a as typeof p).elem, bind, false);
    case 'array':
      return unify(p.elem, (a as typeof p).elem, bind, false);
    case 'map':
      return unify(p.key, (a as typeof p).key, bind, false) && unify(p.elem, (a as typeof p).elem, bind, false);
    case 'chan':
      return unify(p.elem, (a as typeof p).elem, bind, false);
    case 'named': {
      const an = a as Named;
      if ((p.origin ?? p).obj !== (an.origin ?? an).obj) return !mentionsTypeParam(p);
      const pa = p.targs ?? [];
      const aa = an.targs ?? [];
      return pa.length === aa.length && pa.every((t, i) => unify(t, aa[i]!, bind, false));
    }
    case 'signature': {
      const as = a as Signature;
      if (p.params.vars.length !== as.params.vars.length || p.results.vars.length !== as.results.vars.length) return false;
      return (
        p.params.vars.every((x, i) => !x.type || !as.params.vars[i]!.type || unify(x.type, as.params.vars[i]!.type!, bind, false)) &&
        p.results.vars.every((x, i) => !x.type || !as.results.vars[i]!.type || unify(x.type, as.results.vars[i]!.type!, bind, false))
      );
    }
    default:
      return !mentionsTypeParam(p);
  }
}

function mentionsTypeParam(t: Type): boolean {
  switch (t.k) {
    case 'typeparam':
      return true;
    case 'pointer':
    case 'slice':
    case 'array':
    case 'chan':
      return mentionsTypeParam(t.elem);
    case 'map':
      return mentionsTypeParam(t.key) || mentionsTypeParam(t.elem);
    case 'named':
      return (t.targs ?? []).some(mentionsTypeParam);
    case 'signature':
      return [...t.params.vars, ...t.results.vars].some((x) => x.type !== undefined && mentionsTypeParam(x.type));
    case 'struct':
      return t.fields.some((f) => mentionsTypeParam(f.type));
    default:
      return false;
  }
}

