/**
 * Atomic summaries over the type layer (issue #12, atomic-alignment): which pointer parameters and
 * receivers of the module's functions reach a 64-bit atomic operation, and at which offset from
 * where they point, to a fixpoint; and the call sites that pass such a parameter an address that
 * is not 64-bit aligned. Addresses are followed through fields, array elements, pointer
 * conversions and locals defined once (`p := &s.x`); anything else is unknown, and unknown is silent.
 */
import { archLayout, type ArchLayout } from '../layout/arch.js';
import { selectField, sizeAlign } from '../layout/types.js';
import type { PackageModel, SourceFile } from '../model/program.js';
import { ATOMIC_FUNCS_64, WRAPPER_METHODS } from '../parser/extractors/atomic-calls.js';
import type { Span } from '../parser/facts.js';
import { type NodeId, type SyntaxView, viewOf } from '../parser/syntax-table.js';
import type { PlatformMask } from '../platform/targets.js';
import type { TypeDeclSite } from '../symbols/table.js';
import type { PackageGroup, TypeLayer } from './layer.js';
import { Dep, within } from './track.js';
import { exprString } from './query.js';
import type { PackageTypes, TypesFile } from './package.js';
import { lastElem, receiverBase } from './package.js';
import { type Struct, type Type, under } from './types.js';
import type { ConstValue } from './constant.js';

/** go.uber.org/atomic's plain 64-bit words → the sync/atomic type to use instead. */
export const WRAPPER_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'go.uber.org/atomic': { Int64: 'Int64', Uint64: 'Uint64', Float64: 'Uint64', Duration: 'Int64' },
  'github.com/uber-go/atomic': { Int64: 'Int64', Uint64: 'Uint64', Float64: 'Uint64', Duration: 'Int64' },
};

// ------------------------------------------------------------------------------------------------
// Addresses.

/** Where an address points: `aligned` starts an allocation (variable, new, composite, slice backing array). */
type Base = { k: 'aligned' } | { k: 'param'; index: number } | { k: 'opaque' };

export interface Addr {
  base: Base;
  offset: number;
  /** gcd of the strides of variable indexes (0: none). */
  stride: number;
  /** How the address was reached, for messages and fixes. */
  path: AddrPath;
}

/** The way from the start of the allocation (or what a pointer points to) to the address. */
export interface AddrPath {
  /** The allocation's type as the message names it (`outer`, `pkg.T`, `array`, `struct`). */
  readonly baseName: string;
  /** Field names selected since (implicit embedded ones left out), with `[i]` for array indexes. */
  readonly fields: readonly string[];
  readonly steps: readonly PathStep[];
  /** The element type whose stride is not a multiple of 8 (for the message). */
  readonly strideElem?: string;
  /** The last thing done was selecting a field by value (the next holder is that field's type). */
  readonly afterField: boolean;
}

/**
 * One field selected on the way: what the messages and the move-field fix read of it, no types (call
 * rows outlive the types of their package, and a type would keep every package it reaches alive).
 */
export interface PathStep {
  /** Offset of the field from the start of the allocation. */
  offset: number;
  /** The struct that declares it is a named type; its name when it has no type arguments. */
  named: boolean;
  name?: string;
  /** The number of fields of that struct, and the field's index. */
  fieldCount: number;
  index: number;
  /** The holder as the message names it. */
  label: string;
  /** The holder is the type of the previous step's field (so a literal holder is written there). */
  nested: boolean;
  /** The package model declaring a named holder, when goport read its source. */
  model?: PackageModel;
}

/** The package model that declares the named type `t` (the package being read or one it imports). */
function declaringModel(c: FnCtx, t: Type): PackageModel | undefined {
  if (t.k !== 'named') return undefined;
  const pkg = (t.origin?.obj ?? t.obj).pkg;
  return (pkg === c.pt.path ? c.pt : c.pt.env.importPackage(pkg))?.model;
}

/** The expression as written, for messages (`s.a.b[i].n`, `&x.f`). */
function exprText(v: SyntaxView, n: NodeId, depth = 0): string {
  if (n < 0 || depth > 20) return '…';
  switch (v.kind(n)) {
    case 'selector_expression':
      return `${exprText(v, v.child(n, 'operand'), depth + 1)}.${v.text(v.child(n, 'field'))}`;
    case 'index_expression':
      return `${exprText(v, v.child(n, 'operand'), depth + 1)}[${exprText(v, v.child(n, 'index'), depth + 1)}]`;
    case 'unary_expression':
      return `${v.text(n)}${exprText(v, v.child(n, 'operand'), depth + 1)}`;
    default:
      return exprString(v, n, depth);
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** One function body being read on one GOARCH: its declaration, syntax and recorded types. */
interface FnCtx extends Pick<FnDecl, 'pt' | 'tf' | 'params' | 'defs' | 'written'> {
  v: SyntaxView;
  rec: Map<NodeId, Type>;
  consts: ReadonlyMap<NodeId, { value: ConstValue }> | undefined;
  arch: ArchLayout;
}

const strip = (v: SyntaxView, n: NodeId): NodeId => {
  while (n >= 0 && v.kind(n) === 'parenthesized_expression') n = v.children(n)[0] ?? -1;
  return n;
};

/** The name a call's function is written with: `f(…)`, `x.f(…)`, `(x.f)(…)`; undefined for anything else. */
function calleeName(v: SyntaxView, call: NodeId): string | undefined {
  const f = strip(v, v.child(call, 'function'));
  if (f < 0) return undefined;
  const k = v.kind(f);
  if (k === 'identifier') return v.text(f);
  if (k === 'selector_expression') return v.text(v.child(f, 'field'));
  return undefined;
}

/** Whether a call may be a 64-bit atomic access or reach one (by its callee's name; see AtomicSummaries.reachingNames). */
function mayReach(v: SyntaxView, call: NodeId, names: ReadonlySet<string>): boolean {
  const name = calleeName(v, call);
  return name !== undefined && names.has(name);
}

function constIndex(c: FnCtx, n: NodeId): number | undefined {
  if (c.v.kind(n) === 'int_literal') return Number(c.v.text(n).replace(/_/g, ''));
  const k = c.consts?.get(n);
  return k?.value.k === 'int' ? Number(k.value.v) : undefined;
}

/** `T` for a type of the package being read, `pkg.T` for another package's; `fallback` for type literals. */
function label(c: FnCtx, t: Type | undefined, fallback: string): string {
  if (t?.k === 'named') {
    const o = t.origin?.obj ?? t.obj;
    if (o.pkg === c.pt.path || o.pkg === '') return o.name;
    return `${c.pt.env.importName(o.pkg) ?? lastElem(o.pkg)}.${o.name}`;
  }
  return under(t)?.k === 'array' ? 'array' : fallback;
}

/** An address at the start of something of type `t` (an allocation, or where a pointer points). */
function start(c: FnCtx, base: Base, t: Type | undefined): Addr {
  return { base, offset: 0, stride: 0, path: { baseName: label(c, t, 'struct'), fields: [], steps: [], afterField: false } };
}

const pointee = (t: Type | undefined): Type | undefined => {
  const u = under(t);
  return u?.k === 'pointer' ? u.elem : undefined;
};

/** The value of a pointer expression. */
function ptrOf(c: FnCtx, n0: NodeId, depth = 0): Addr | undefined {
  const v = c.v;
  const n = strip(v, n0);
  if (n < 0 || depth > 20) return undefined;
  switch (v.kind(n)) {
    case 'unary_expression':
      return v.text(n).startsWith('&') ? addrOf(c, v.child(n, 'operand'), depth + 1) : undefined;
    case 'identifier': {
      const name = v.text(n);
      const pi = c.params.get(name);
      if (pi !== undefined) return start(c, { k: 'param', index: pi }, pointee(c.rec.get(n)));
      const d = c.defs.get(name);
      if (d !== undefined) return ptrOf(c, d, depth + 1);
      const t = c.rec.get(n);
      return under(t)?.k === 'pointer' ? start(c, { k: 'opaque' }, pointee(t)) : undefined;
    }
    case 'type_conversion_expression':
    case 'call_expression': {
      // (*int64)(p), (*uint64)(unsafe.Pointer(p)), unsafe.Pointer(p), new(T)
      const fn = strip(v, v.child(n, v.kind(n) === 'call_expression' ? 'function' : 'type'));
      const args = v.kind(n) === 'call_expression' ? v.children(v.child(n, 'arguments')) : v.childrenOf(n, 'operand');
      if (fn >= 0 && v.kind(fn) === 'identifier' && v.text(fn) === 'new' && !c.rec.has(fn)) return start(c, { k: 'aligned' }, pointee(c.rec.get(n)));
      const conv = fn >= 0 && (v.kind(fn) === 'pointer_type' || (v.kind(fn) === 'unary_expression' && v.text(fn).startsWith('*'))
        || (v.kind(fn) === 'selector_expression' && v.text(fn) === 'unsafe.Pointer' && c.tf.imports.get('unsafe')?.path === 'unsafe'));
      if (conv && args.length === 1) {
        const t = c.rec.get(strip(v, args[0]!));
        if (t?.k === 'pointer' || (t?.k === 'basic' && t.kind === 'unsafe.Pointer')) return ptrOf(c, args[0]!, depth + 1);
      }
      return undefined;
    }
    default: {
      const t = c.rec.get(n);
      return under(t)?.k === 'pointer' ? start(c, { k: 'opaque' }, pointee(t)) : undefined;
    }
  }
}

/** The address of an addressable expression. */
function addrOf(c: FnCtx, n0: NodeId, depth = 0): Addr | undefined {
  const v = c.v;
  const n = strip(v, n0);
  if (n < 0 || depth > 20) return undefined;
  switch (v.kind(n)) {
    case 'identifier': {
      // A variable (local, global, value parameter): the start of its own allocation.
      const t = c.rec.get(n);
      return t ? start(c, { k: 'aligned' }, t) : undefined;
    }
    case 'composite_literal': {
      const t = c.rec.get(n);
      return t ? start(c, { k: 'aligned' }, t) : undefined;
    }
    case 'unary_expression':
      return v.text(n).startsWith('*') ? ptrOf(c, v.child(n, 'operand'), depth + 1) : undefined;
    case 'selector_expression': {
      const op = v.child(n, 'operand');
      const ops = strip(v, op);
      if (v.kind(ops) === 'identifier' && !c.rec.has(ops) && c.tf.imports.has(v.text(ops))) {
        // pkg.Var: another package's variable, the start of its own allocation.
        const vt = c.rec.get(n);
        return vt ? start(c, { k: 'aligned' }, vt) : undefined;
      }
      const t = c.rec.get(ops);
      if (!t) return undefined;
      const viaPtr = under(t)?.k === 'pointer';
      const base = viaPtr ? ptrOf(c, op, depth + 1) : addrOf(c, op, depth + 1);
      if (!base) return undefined;
      const sel = selectField(t, v.text(v.child(n, 'field')), c.pt.path, c.arch);
      if (!sel) return undefined;
      let a = base;
      let nested = !viaPtr && base.path.afterField;
      for (const s of sel) {
        if (s.deref) {
          a = start(c, { k: 'opaque' }, s.holder);
          nested = false;
        }
        const offset = a.offset + s.offset;
        const model = declaringModel(c, s.holder);
        const h = s.holder;
        const step: PathStep = {
          offset, named: h.k === 'named', ...(h.k === 'named' && !h.targs?.length ? { name: h.obj.name } : {}), fieldCount: s.struct.fields.length,
          index: s.index, label: label(c, h, a.path.baseName), nested, ...(model ? { model } : {}),
        };
        a = {
          ...a, offset,
          path: { ...a.path, fields: s.implicit ? a.path.fields : [...a.path.fields, s.field.name], steps: [...a.path.steps, step], afterField: true },
        };
        nested = true;
      }
      return a;
    }
    case 'index_expression': {
      const op = v.child(n, 'operand');
      const t = under(c.rec.get(strip(v, op)));
      let arr = t;
      let base: Addr | undefined;
      if (t?.k === 'slice') base = start(c, { k: 'aligned' }, t.elem);
      else if (t?.k === 'pointer') {
        arr = under(t.elem);
        base = ptrOf(c, op, depth + 1);
      } else if (t?.k === 'array') base = addrOf(c, op, depth + 1);
      if (!base || (arr?.k !== 'array' && arr?.k !== 'slice')) return undefined;
      const el = sizeAlign(arr.elem, c.arch);
      if (!el) return undefined;
      const elemName = label(c, arr.elem, 'element');
      let path: AddrPath = arr.k === 'slice'
        ? { ...base.path, baseName: elemName, afterField: false }
        : { ...base.path, afterField: false };
      const i = constIndex(c, v.child(n, 'index'));
      if (arr.k === 'array') {
        // `x.counts[i]`: the index is part of the field's name in the message.
        const ix = `[${i ?? 'i'}]`;
        path = path.fields.length > 0
          ? { ...path, fields: [...path.fields.slice(0, -1), path.fields[path.fields.length - 1] + ix] }
          : { ...path, baseName: path.baseName + ix };
      }
      if (i !== undefined) return { ...base, offset: base.offset + i * el.size, path };
      const varies = arr.k === 'slice' || arr.len > 1n;
      if (!varies) return { ...base, path };
      if (el.size % 8 !== 0 && path.strideElem === undefined) path = { ...path, strideElem: elemName };
      return { ...base, stride: gcd(base.stride, el.size), path };
    }
    default:
      return undefined;
  }
}

// ------------------------------------------------------------------------------------------------
// Calls.

/** A summarized callee's requirement: param index → offsets from the pointer that are accessed atomically. */
type Summary = Map<number, { offset: number; via: string; fix: string }>;

interface CallRef {
  key: string;
  /** The callee's package path. */
  pkg: string;
  /** The argument expressions, and the receiver's (-1 when the callee is no method). */
  args: NodeId[];
  recv: NodeId;
  /** Argument expression per parameter index (-1: the receiver), as an address. */
  arg(index: number): Addr | undefined;
  text(index: number): string;
}

function wrapperFix(t: Type | undefined): string | undefined {
  if (t?.k !== 'named') return undefined;
  const f = WRAPPER_TYPES[t.obj.pkg]?.[t.obj.name];
  return f ? `sync/atomic.${f}` : undefined;
}

/** What a call is: a direct 64-bit atomic access, or a call of a module function. */
function classify(c: FnCtx, call: NodeId): { direct?: { addr: Addr | undefined; via: string; fix: string; arg: NodeId }; ref?: CallRef } | undefined {
  const v = c.v;
  const fn = strip(v, v.child(call, 'function'));
  const argList = v.child(call, 'arguments');
  const args = argList >= 0 ? v.children(argList) : [];
  if (fn < 0) return undefined;
  const argAddr = (i: number) => (args[i] === undefined ? undefined : ptrOf(c, args[i]!));
  const argText = (i: number) => (args[i] === undefined ? '' : exprText(v, args[i]!));
  if (v.kind(fn) === 'identifier') {
    const name = v.text(fn);
    if (c.written.has(name) || c.pt.decls.get(name)?.kind !== 'func') return undefined;
    return { ref: { key: `${c.pt.path}.${name}`, pkg: c.pt.path, args, recv: -1, arg: argAddr, text: argText } };
  }
  if (v.kind(fn) !== 'selector_expression') return undefined;
  const op = strip(v, v.child(fn, 'operand'));
  const name = v.text(v.child(fn, 'field'));
  const pkgName = v.kind(op) === 'identifier' && !c.rec.has(op) ? c.tf.imports.get(v.text(op)) : undefined;
  if (pkgName) {
    if (pkgName.path === 'sync/atomic') {
      if (!ATOMIC_FUNCS_64.has(name)) return undefined;
      return { direct: { addr: argAddr(0), via: `atomic.${name}`, fix: name.endsWith('Uint64') ? 'atomic.Uint64' : 'atomic.Int64', arg: args[0] ?? -1 } };
    }
    return { ref: { key: `${pkgName.path}.${name}`, pkg: pkgName.path, args, recv: -1, arg: argAddr, text: argText } };
  }
  const t = c.rec.get(op);
  if (!t) return undefined;
  const isPtr = t.k === 'pointer';
  const nt = isPtr ? t.elem : t;
  const recvAddr = () => (isPtr ? ptrOf(c, op) : addrOf(c, op));
  const fix = wrapperFix(nt);
  if (fix) {
    if (!WRAPPER_METHODS.has(name) || nt.k !== 'named') return undefined;
    return { direct: { addr: recvAddr(), via: `${nt.obj.pkg}.${nt.obj.name}.${name}`, fix, arg: op } };
  }
  if (nt.k !== 'named' || nt.targs?.length || nt.obj.local) return undefined;
  const m = nt.methods().find((f) => f.name === name);
  if (!m?.ptrRecv) return undefined; // promoted or value receiver: not followed
  const key = `${nt.obj.pkg}.${nt.obj.name}.${name}`;
  return { ref: { key, pkg: nt.obj.pkg, args, recv: op, arg: (i) => (i === -1 ? recvAddr() : argAddr(i)), text: (i) => (i === -1 ? exprText(v, op) : argText(i)) } };
}

// ------------------------------------------------------------------------------------------------
// Function bodies.

interface FnDecl {
  key: string;
  label: string;
  pt: PackageTypes;
  tf: TypesFile;
  node: NodeId;
  /** Parameter (and receiver, index -1) names written nowhere in the body. */
  params: Map<string, number>;
  /** Local pointers defined exactly once and never assigned: name → initializer. */
  defs: Map<string, NodeId>;
  /** Every name declared or assigned in the body (closures included), parameters too. */
  written: ReadonlySet<string>;
  calls: NodeId[];
}

const WRITE_PARENTS = new Set(['short_var_declaration', 'assignment_statement', 'range_clause', 'receive_statement']);

/** Writes and declarations per name in a body (closures included), and the call expressions. */
function scanBody(v: SyntaxView, body: NodeId): { writes: Map<string, NodeId[]>; calls: NodeId[] } {
  const writes = new Map<string, NodeId[]>();
  const calls: NodeId[] = [];
  const write = (n: NodeId, init: NodeId) => {
    if (v.kind(n) !== 'identifier') return;
    const l = writes.get(v.text(n)) ?? [];
    l.push(init);
    writes.set(v.text(n), l);
  };
  // The table is in preorder: the nodes of the body's subtree are body .. next(body) - 1, in walk order.
  for (let n = body, end = v.next(body); n < end; n++) {
    const k = v.kind(n);
    if (k === 'call_expression') calls.push(n);
    if (WRITE_PARENTS.has(k)) {
      const left = v.child(n, 'left');
      const right = v.child(n, 'right');
      const lefts = left < 0 ? [] : v.kind(left) === 'expression_list' ? v.children(left) : [left];
      const rights = right < 0 ? [] : v.kind(right) === 'expression_list' ? v.children(right) : [right];
      const single = k === 'short_var_declaration' && lefts.length === 1 && rights.length === 1;
      for (const l of lefts) write(l, single ? rights[0]! : -1);
    } else if (k === 'var_spec' || k === 'const_spec') {
      const names = v.childrenOf(n, 'name');
      const vals = v.child(n, 'value') >= 0 ? v.children(v.child(n, 'value')) : [];
      for (const nm of names) write(nm, k === 'var_spec' && names.length === 1 && vals.length === 1 ? vals[0]! : -1);
    } else if (k === 'parameter_declaration' || k === 'variadic_parameter_declaration') {
      for (const nm of v.childrenOf(n, 'name')) write(nm, -1);
    } else if (k === 'inc_statement' || k === 'dec_statement') {
      for (const c of v.children(n)) write(c, -1);
    } else if (k === 'type_switch_statement') {
      for (const a of v.childrenOf(n, 'alias')) write(a, -1);
    }
  }
  return { writes, calls };
}

/** What a function declaration's syntax alone gives (shared by every platform group that compiles its file). */
interface FnSyntax {
  node: NodeId;
  /** `name` or `Base.name`. */
  label: string;
  params: Map<string, number>;
  writes: Map<string, NodeId[]>;
  written: ReadonlySet<string>;
  calls: NodeId[];
}

/** A top-level function or method declaration with a body (no generic ones): its node, name and label. */
interface FnHead {
  node: NodeId;
  /** The function's or method's name. */
  name: string;
  /** `name` or `Base.name`. */
  label: string;
  method: boolean;
  /** A method whose receiver may be a pointer (only those are followed: classify). */
  ptr: boolean;
}

const headCache = new WeakMap<SyntaxView, FnHead[]>();

/** The file's function and method declarations with bodies (no generic ones), without reading the bodies; once per file. */
function fnHeads(v: SyntaxView): FnHead[] {
  let out = headCache.get(v);
  if (out) return out;
  out = [];
  for (const top of v.children(0)) {
    const k = v.kind(top);
    if (k !== 'function_declaration' && k !== 'method_declaration') continue;
    if (v.child(top, 'body') < 0 || v.child(top, 'type_parameters') >= 0) continue;
    const name = v.text(v.child(top, 'name'));
    if (k === 'method_declaration') {
      const recv = v.child(top, 'receiver');
      const base = recv >= 0 ? receiverBase(v, recv) : undefined;
      if (!base) continue;
      const rp = v.children(recv).find((c) => v.kind(c) === 'parameter_declaration');
      const rt = rp === undefined ? -1 : v.child(rp, 'type');
      // A value receiver `(t T)`, `(t T[K])` is never followed; anything else might be a pointer.
      const ptr = rt < 0 || (v.kind(rt) !== 'type_identifier' && v.kind(rt) !== 'generic_type');
      out.push({ node: top, name, label: `${base}.${name}`, method: true, ptr });
    } else out.push({ node: top, name, label: name, method: false, ptr: false });
  }
  headCache.set(v, out);
  return out;
}

const syntaxCache = new WeakMap<SyntaxView, Map<NodeId, FnSyntax>>();

/** What the syntax of one declaration of fnHeads gives (its body read once per file and declaration). */
function fnSyntax(v: SyntaxView, h: FnHead): FnSyntax {
  let m = syntaxCache.get(v);
  if (!m) syntaxCache.set(v, (m = new Map()));
  const hit = m.get(h.node);
  if (hit) return hit;
  const top = h.node;
  const params = new Map<string, number>();
  if (h.method) {
    const recv = v.child(top, 'receiver');
    const rp = v.children(recv).find((c) => v.kind(c) === 'parameter_declaration');
    const rn = rp === undefined ? [] : v.childrenOf(rp, 'name');
    if (rn[0] !== undefined) params.set(v.text(rn[0]), -1);
  }
  let i = 0;
  const pl = v.child(top, 'parameters');
  for (const d of pl >= 0 ? v.children(pl) : []) {
    if (v.kind(d) !== 'parameter_declaration' && v.kind(d) !== 'variadic_parameter_declaration') continue;
    const names = v.childrenOf(d, 'name');
    if (names.length === 0) i++;
    for (const nm of names) params.set(v.text(nm), i++);
  }
  const { writes, calls } = scanBody(v, v.child(top, 'body'));
  for (const n of writes.keys()) params.delete(n);
  // Parameter names count as written: a call `p(x)` of a function-typed parameter is not a package function.
  const out: FnSyntax = { node: top, label: h.label, params, writes, written: new Set([...writes.keys(), ...params.keys()]), calls };
  m.set(top, out);
  return out;
}

const declsCache = new WeakMap<PackageTypes, FnDecl[]>();

/** A declaration's file and node: the same declaration in every PackageTypes that compiles the file. */
const declKey = (d: FnDecl): string => `${d.tf.file.path}\0${d.node}`;

/** The package's function and method declarations with bodies (once per platform group). */
function declsOf(pt: PackageTypes): FnDecl[] {
  let out = declsCache.get(pt);
  if (!out) declsCache.set(pt, (out = scanDecls(pt)));
  return out;
}

function scanDecls(pt: PackageTypes): FnDecl[] {
  const out: FnDecl[] = [];
  for (const tf of pt.files) {
    for (const h of fnHeads(tf.view)) {
      // A body the run does not check (TypeLayer.focus) has no rows: summaryBodies chose the ones needed.
      if (!pt.bodyChecked(tf, h.node)) continue;
      const f = fnSyntax(tf.view, h);
      const defs = new Map<string, NodeId>();
      for (const [n, w] of f.writes) {
        if (w.length === 1 && w[0]! >= 0 && !f.params.has(n) && !pt.decls.has(n) && !tf.imports.has(n)) defs.set(n, w[0]!);
      }
      out.push({ key: `${pt.path}.${f.label}`, label: f.label, pt, tf, node: f.node, params: f.params, defs, written: f.written, calls: f.calls });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------

export interface MisalignedCall {
  file: SourceFile;
  span: Span;
  /** The callee as written and the argument passed. */
  callee: string;
  arg: string;
  offset: number;
  stride: number;
  via: string;
  fix: string;
  /** A direct sync/atomic call whose address goes through a local pointer. */
  direct?: boolean;
}

/** A direct 64-bit atomic access (sync/atomic function, go.uber.org/atomic method) at an address that is not 64-bit aligned. */
export interface MisalignedDirect {
  file: SourceFile;
  span: Span;
  /** `atomic.AddInt64`, `go.uber.org/atomic.Uint64.Add`. */
  callee: string;
  fix: string;
  addr: Addr;
  /** Per step of the address's path: the declarations of its named struct (not an alias) in its package, as the symbol table has them. */
  sites: readonly (readonly TypeDeclSite[] | undefined)[];
}

export interface PackageAnswer {
  calls: MisalignedCall[];
  direct: MisalignedDirect[];
  unknown: { file: SourceFile; span: Span; reason: string }[];
}

/** A set of platforms that see the same types in every package and the same layout parameters. */
export interface ArchGroup {
  mask: PlatformMask;
  goarch: string;
  answers: Map<PackageModel, PackageAnswer>;
}

const EMPTY: PackageAnswer = Object.freeze({ calls: [], direct: [], unknown: [] });

/** Whether an address argument is a local pointer defined once (through conversions). */
function viaLocal(c: FnCtx, n0: NodeId): string | undefined {
  const v = c.v;
  let n = strip(v, n0);
  for (let i = 0; i < 4 && n >= 0; i++) {
    const k = v.kind(n);
    if (k === 'identifier') return c.defs.has(v.text(n)) ? v.text(n) : undefined;
    if (k !== 'call_expression' && k !== 'type_conversion_expression') return undefined;
    const args = k === 'call_expression' ? v.children(v.child(n, 'arguments')) : v.childrenOf(n, 'operand');
    if (args.length !== 1) return undefined;
    n = strip(v, args[0]!);
  }
  return undefined;
}

/**
 * What the summaries need of one call, read from the recorded types once, so that a package's
 * expression types can be released after its rules ran (see collect): a direct 64-bit atomic access
 * (with its finding when it goes through a misaligned local pointer), or a call of a function of an
 * analyzed package with the address of each argument (index 0: the receiver, i + 1: argument i).
 */
interface CallRow {
  /** The call's span. */
  span: Span;
  /** `span`: the address operand's (the receiver of a wrapper method), the finding's span; `sites`: see MisalignedDirect (a misaligned address only). */
  direct?: { addr: Addr | undefined; via: string; fix: string; span: Span; local?: MisalignedCall; sites?: MisalignedDirect['sites'] };
  /** `callee` and `texts` (per address): the expressions as written, when some address is known (else no finding can name them). */
  ref?: { key: string; addrs: (Addr | undefined)[]; callee?: string; texts?: (string | undefined)[]; id?: number };
}

/**
 * A function's call rows, with what the fixpoint and the findings read of its declaration: no
 * types, syntax or file scope (rows outlive their package's types and facts).
 */
interface FnRows {
  d: Pick<FnDecl, 'key' | 'label'>;
  file: SourceFile;
  model: PackageModel;
  rows: CallRow[];
  /** The rows that can add to a summary (an address based on a parameter), in order; computed on first use. */
  feeding?: CallRow[];
  /** The same with the ids the fixpoint reads (feedingOf). */
  fed?: Feeding;
  /** The rows as the findings read them (splitOf). */
  split?: Split;
}

/** Whether a row can ever add to its function's summary (the fixpoint reads only these). */
function feeds(k: CallRow): boolean {
  if (k.direct) {
    const a = k.direct.addr;
    return a?.base.k === 'param' && a.stride === 0 && a.offset % 8 === 0;
  }
  return k.ref !== undefined && k.ref.addrs.some((a) => a?.base.k === 'param' && a.stride === 0);
}

/** Function keys as small integers, so that the fixpoint of each arch group indexes arrays, not string maps. */
class KeyIds {
  private readonly ids = new Map<string, number>();
  get size(): number {
    return this.ids.size;
  }
  of(key: string): number {
    let i = this.ids.get(key);
    if (i === undefined) this.ids.set(key, (i = this.ids.size));
    return i;
  }
}

/**
 * A package's rows on a group of platforms (`holds`: those where they are the rows); for a group
 * with its own types, each declaration's rows and the platforms where they hold (AtomicSummaries.ownRows).
 */
interface RowsEntry {
  rows: FnRows[];
  holds: PlatformMask;
  /** Per declaration (by declKey: no types or syntax held, as FnRows holds none). */
  each?: { key: string; f: FnRows | undefined; holds: PlatformMask }[];
}

/** A function's rows as the fixpoint reads them: its key's id, and per feeding row the callee's id (-1: a direct access). Computed once per FnRows (rows are shared by arch groups). */
interface Feeding {
  id: number;
  rows: CallRow[];
  callees: Int32Array;
}

function feedingOf(f: FnRows, ids: KeyIds): Feeding {
  if (f.fed) return f.fed;
  const rows = (f.feeding ??= f.rows.filter(feeds));
  const callees = new Int32Array(rows.length);
  rows.forEach((k, i) => (callees[i] = k.direct ? -1 : (k.ref!.id ??= ids.of(k.ref!.key))));
  return (f.fed = { id: ids.of(f.d.key), rows, callees });
}

/** A function's direct rows, and its calls with their callees' ids (read per arch group: typed arrays, not the rows). */
interface Split {
  directs: CallRow[];
  refs: CallRow[];
  refIds: Int32Array;
}

function splitOf(f: FnRows, ids: KeyIds): Split {
  if (f.split) return f.split;
  const directs: CallRow[] = [];
  const refs: CallRow[] = [];
  for (const k of f.rows) {
    if (k.direct) directs.push(k);
    else if (k.ref) refs.push(k);
  }
  const refIds = new Int32Array(refs.length);
  refs.forEach((k, i) => (refIds[i] = k.ref!.id ??= ids.of(k.ref!.key)));
  return (f.split = { directs, refs, refIds });
}

/**
 * The functions that can get a summary and, for each, the rows that can add to it, in the order of
 * `fns`: a function can when one of its rows is a direct access through a parameter (feeds) or a
 * call, with a parameter-based argument, of a function that can (to a fixpoint over the calls). A
 * row calling any other function never adds (its callee never gets a summary), and a function that
 * cannot is never changed, so the summaries' fixpoint may skip both.
 */
function liveRows(fns: readonly FnRows[], ids: KeyIds): [FnRows, CallRow[]][] {
  const fed = fns.map((f) => feedingOf(f, ids));
  const can = new Uint8Array(ids.size);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { id, callees } of fed) {
      if (can[id]) continue;
      for (let i = 0; i < callees.length; i++) {
        const c = callees[i]!;
        if (c < 0 || can[c]) {
          can[id] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  const out: [FnRows, CallRow[]][] = [];
  fed.forEach(({ id, rows, callees }, j) => {
    if (!can[id]) return;
    out.push([fns[j]!, rows.filter((_, i) => callees[i]! < 0 || can[callees[i]!])]);
  });
  return out;
}

/**
 * The findings of every package, computed once over the module per arch group: the platforms whose
 * packages all fall in the same type-layer groups and whose layout parameters agree (linux/386 and
 * linux/arm usually form one), so the fixpoint and the findings cost grows with the distinct groups,
 * not with the platforms.
 */
export class AtomicSummaries {
  private readonly groups: (ArchGroup & { key: string })[] = [];
  private readonly byBit = new Map<PlatformMask, ArchGroup>();
  /**
   * The call rows of each platform group's types, per layout parameters (`ptrSize/regSize`): what a
   * platform's rows are depends on nothing else, so platforms of one group share them. Dropped once
   * every collected platform has its arch group.
   */
  private readonly rowCache = new Map<PackageModel, Map<string, RowsEntry>>();
  /** Platforms collected whose arch group is not computed yet. */
  private readonly pending = new Set<PlatformMask>();
  /** Import paths of the analyzed packages: only their functions can be summarized. */
  private paths: Set<string> | undefined;
  /** Summarized functions per arch group (for tests and --verbose). */
  readonly summarized = new Map<PlatformMask, number>();

  constructor(private readonly layer: TypeLayer, private readonly goMinor: number) {}

  /** The misaligned calls of `pkg` on one platform, and the calls of summarized functions whose argument goport could not follow. */
  findings(pkg: PackageModel, bit: PlatformMask, goarch: string): PackageAnswer {
    return this.groupOf(bit, goarch).answers.get(pkg) ?? EMPTY;
  }

  /**
   * Reads what the summaries need of `model`'s calls on each of `platforms` while its expression
   * types are there: the engine calls it for every package before releasing their body types, so
   * the summaries never hold the types of the whole module at once. Idempotent.
   */
  collect(model: PackageModel, platforms: readonly { bit: PlatformMask; goarch: string }[]): void {
    for (const { bit, goarch } of platforms) {
      if (this.byBit.has(bit)) continue;
      this.pending.add(bit);
      this.rowsOn(model, bit, archLayout(goarch, this.goMinor));
    }
  }

  /** The call rows of `model` on platform `bit` (those of its platform group, read once per layout). */
  private rowsOn(model: PackageModel, bit: PlatformMask, arch: ArchLayout): FnRows[] {
    // Keyed by the group's mask, not its types: the engine drops a package's types once its rules
    // ran (TypeLayer.forgetGroups), the rows collected before stay.
    const mask = this.layer.groupMasks(model).find((x) => (x & bit) !== 0n);
    if (mask === undefined) return [];
    let m = this.rowCache.get(model);
    if (!m) this.rowCache.set(model, (m = new Map()));
    const k = `${mask}/${arch.ptrSize}/${arch.regSize}`;
    let r = m.get(k);
    if (!r) {
      const g = this.layer.groups(model).find((x) => (x.mask & bit) !== 0n);
      if (!g) m.set(k, (r = { rows: [], holds: mask }));
      else if (g.types.bodiesReused > 0) m.set(k, (r = this.reusedRows(model, g, arch)));
      else m.set(k, (r = this.ownRows(model, g, arch)));
    }
    if ((r.holds & bit) !== 0n) return r.rows;
    // This platform declares some part differently: its own rows, from its own types.
    this.alone.set(model, (this.alone.get(model) ?? 0n) | bit);
    const k1 = `${bit}!/${arch.ptrSize}/${arch.regSize}`;
    let r1 = m.get(k1);
    if (!r1) {
      const t = this.layer.typesAlone(model, bit);
      if (r.each) {
        // Only the declarations whose rows read such a part are checked again, with the platform's
        // own objects (the others' rows are the group's, read from parts that answer the same).
        const own = new Map(declsOf(t).map((d) => [declKey(d), d]));
        const rows: FnRows[] = [];
        for (const e of r.each) {
          let f = e.f;
          if ((e.holds & bit) === 0n) {
            const d = own.get(e.key)!;
            const again = t.checkBodyAgain(d.tf, d.node);
            f = this.fnRows(model, d, again.rec, again.consts, arch);
          }
          if (f) rows.push(f);
        }
        m.set(k1, (r1 = { rows, holds: bit }));
      } else {
        m.set(k1, (r1 = { rows: this.rows(model, t, arch), holds: bit }));
        t.releaseBodies();
      }
    }
    return r1.rows;
  }

  /**
   * The rows of a group whose types are its own (no records taken from another group), one
   * declaration at a time: they lay out types the body check may never have resolved (a
   * dependency's struct held by value), so each declaration's rows hold on the group's platforms
   * whose files answer the parts it read the same (`each`, for rowsOn's platforms where some do not).
   */
  private ownRows(model: PackageModel, g: PackageGroup, arch: ArchLayout): RowsEntry {
    const types = g.types;
    const dep0 = new Dep();
    within(dep0, () => types.checkBodies());
    let holds = this.layer.holdsOn(dep0, g);
    const rows: FnRows[] = [];
    const each: NonNullable<RowsEntry['each']> = [];
    for (const d of declsOf(types)) {
      const rec = types.records.get(d.tf);
      if (!rec) continue;
      const dep = new Dep();
      const f = within(dep, () => this.fnRows(model, d, rec, types.constants.get(d.tf), arch));
      const h = dep.deps === undefined ? g.mask : this.layer.holdsOn(dep, g);
      holds &= h;
      each.push({ key: declKey(d), f, holds: h });
      if (f) rows.push(f);
    }
    return { rows, holds, each };
  }

  /** The rows of one function declaration read from a body check's records, per layout parameters, with what they read (reusedRows). */
  private readonly rowMemo = new WeakMap<Map<NodeId, Type>, Map<string, { consts: FnCtx['consts']; dep: Dep; f: FnRows | undefined }>>();

  /** Per package, the platforms whose rows are their own (rowsOn: a part of their group answers differently there). */
  private readonly alone = new Map<PackageModel, PlatformMask>();

  /** Per step of `a`'s path: the declarations of its named struct in the package that declares it (see MisalignedDirect). */
  private sitesOf(a: Addr): MisalignedDirect['sites'] {
    return a.path.steps.map((s) => (s.name !== undefined && s.model ? this.layer.ws.symbols(s.model).types.get(s.name)?.filter((x) => !x.alias) : undefined));
  }

  private rows(model: PackageModel, types: PackageTypes, arch: ArchLayout): FnRows[] {
    const out: FnRows[] = [];
    types.checkBodies();
    for (const d of declsOf(types)) {
      const rec = types.records.get(d.tf);
      if (!rec) continue;
      const f = this.fnRows(model, d, rec, types.constants.get(d.tf), arch);
      if (f) out.push(f);
    }
    return out;
  }

  /**
   * The rows of a group whose types took some bodies' records from another group's check
   * (TypeLayer.groups): those records' types are that group's objects, so a part laid out now
   * answers for its platform. Each function's rows are read within a node of their own; where they
   * do not hold on every platform of the group, the function's body is checked again with the
   * group's own objects (PackageTypes.checkBodyAgain) and its rows read from that.
   */
  private reusedRows(model: PackageModel, g: PackageGroup, arch: ArchLayout): { rows: FnRows[]; holds: PlatformMask } {
    const types = g.types;
    const out: FnRows[] = [];
    let holds = g.mask;
    types.checkBodies();
    for (const d of declsOf(types)) {
      const rec = types.records.get(d.tf);
      if (!rec) continue;
      // The rows read from these very records on another group (the records a check made are
      // taken by every group whose leaves answer the same): the same rows, read from the same
      // leaves, which must answer the same on this group's platforms too.
      const consts = types.constants.get(d.tf);
      let m = this.rowMemo.get(rec);
      if (!m) this.rowMemo.set(rec, (m = new Map()));
      const ak = `${arch.ptrSize}/${arch.regSize}`;
      let e = m.get(ak);
      if (!e || e.consts !== consts) {
        const dep0 = new Dep();
        m.set(ak, (e = { consts, dep: dep0, f: within(dep0, () => this.fnRows(model, d, rec, consts, arch)) }));
      }
      let dep = e.dep;
      let f = e.f;
      let h = this.layer.holdsOn(dep, g);
      if (h !== g.mask) {
        dep = new Dep();
        f = within(dep, () => {
          const again = types.checkBodyAgain(d.tf, d.node);
          return this.fnRows(model, d, again.rec, again.consts, arch);
        });
        h = this.layer.holdsOn(dep, g);
      }
      holds &= h;
      if (f) out.push(f);
    }
    return { rows: out, holds };
  }

  /**
   * Names that may reach a 64-bit atomic access: the sync/atomic functions and wrapper methods
   * themselves, and the functions and methods of the packages noted so far (see reachingNames).
   */
  private readonly reaching = new Set<string>([...ATOMIC_FUNCS_64, ...WRAPPER_METHODS]);
  private readonly noted = new Set<PackageModel>();

  /**
   * The names of every function and method of `model` and of the analyzed packages it imports
   * (transitively) that may reach a 64-bit atomic access, from their syntax alone (as summaryBodies
   * reads it, by name): a call of a sync/atomic 64-bit function or a wrapper method, or of a name
   * found so, to a fixpoint within each package. A superset: a function that gets a summary calls one
   * of these names, and a call a package makes can only reach its own functions and those of what
   * it imports. Accumulated over the run (the names of packages noted earlier only add to it).
   */
  private reachingNames(model: PackageModel): ReadonlySet<string> {
    if (this.noted.has(model)) return this.reaching;
    this.noted.add(model);
    for (const { file } of model.files) {
      for (const imp of file.header.imports) {
        const dep = imp.path === 'C' || imp.path === 'unsafe' ? undefined : this.layer.resolve(model, imp.path);
        if (dep && !this.noted.has(dep) && this.paths!.has(this.layer.pathOf(dep))) this.reachingNames(dep);
      }
    }
    const fns: { name: string; callees: string[] }[] = [];
    for (const { file } of model.files) {
      const syntax = file.facts?.extra.syntax;
      if (!syntax) continue;
      const v = viewOf(syntax);
      for (const h of fnHeads(v)) {
        const callees: string[] = [];
        for (const call of fnSyntax(v, h).calls) {
          const name = calleeName(v, call);
          if (name !== undefined) callees.push(name);
        }
        if (callees.length > 0) fns.push({ name: h.name, callees });
      }
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of fns) {
        if (this.reaching.has(f.name) || !f.callees.some((n) => this.reaching.has(n))) continue;
        this.reaching.add(f.name);
        changed = true;
      }
    }
    return this.reaching;
  }

  /** The call rows of one function declaration, from its recorded types. */
  private fnRows(model: PackageModel, d: FnDecl, rec: Map<NodeId, Type>, consts: FnCtx['consts'], arch: ArchLayout): FnRows | undefined {
    this.paths ??= new Set(this.layer.ws.program.packages.map((p) => this.layer.pathOf(p)));
    {
      // A call of no function or method that may reach a 64-bit atomic access never adds a row
      // that matters (its callee has no summary): not classified.
      const names = this.reachingNames(model);
      const v = d.tf.view;
      const calls = d.calls.filter((call) => mayReach(v, call, names));
      if (calls.length === 0) return undefined;
      const c: FnCtx = { ...d, v, rec, consts, arch };
      const rows: CallRow[] = [];
      for (const call of calls) {
        const k = classify(c, call);
        if (k?.direct) {
          const span = c.v.span(k.direct.arg >= 0 ? k.direct.arg : call);
          const row: CallRow = { span: c.v.span(call), direct: { addr: k.direct.addr, via: k.direct.via, fix: k.direct.fix, span } };
          const local = k.direct.addr ? viaLocal(c, k.direct.arg) : undefined;
          const a = k.direct.addr;
          // `p := &s.x; atomic.AddInt64(p, 1)`: the written-type path cannot follow p; this one can.
          if (a && local && (a.offset % 8 !== 0 || a.stride % 8 !== 0)) {
            row.direct!.local = { file: d.tf.file, span: c.v.span(call), callee: k.direct.via, arg: exprText(c.v, c.defs.get(local)!), offset: a.offset, stride: a.stride, via: `through ${local}`, fix: k.direct.fix, direct: true };
          } else if (a && (a.offset % 8 !== 0 || a.stride % 8 !== 0)) row.direct!.sites = this.sitesOf(a);
          rows.push(row);
        } else if (k?.ref && this.paths.has(k.ref.pkg)) {
          const n = k.ref.args.length;
          const addrs: (Addr | undefined)[] = [];
          for (let i = -1; i < n; i++) addrs.push(k.ref.arg(i));
          const ref: NonNullable<CallRow['ref']> = { key: k.ref.key, addrs };
          if (addrs.some((x) => x !== undefined)) {
            ref.callee = exprText(c.v, c.v.child(call, 'function'));
            ref.texts = addrs.map((x, j) => (x === undefined ? undefined : k.ref!.text(j - 1)));
          }
          rows.push({ span: c.v.span(call), ref });
        }
      }
      return rows.length > 0 ? { d: { key: d.key, label: d.label }, file: d.tf.file, model, rows } : undefined;
    }
  }

  /**
   * The arch groups of `platforms` (each with the part of their mask in `platforms`), in the order
   * of their first platform; each group's answers are those of every platform in it.
   */
  archGroups(platforms: readonly { bit: PlatformMask; goarch: string }[]): { mask: PlatformMask; goarch: string; answers: Map<PackageModel, PackageAnswer> }[] {
    const out: { mask: PlatformMask; goarch: string; answers: Map<PackageModel, PackageAnswer> }[] = [];
    const at = new Map<ArchGroup, number>();
    for (const { bit, goarch } of platforms) {
      const g = this.groupOf(bit, goarch);
      const i = at.get(g);
      if (i === undefined) {
        at.set(g, out.length);
        out.push({ mask: bit, goarch: g.goarch, answers: g.answers });
      } else out[i]!.mask |= bit;
    }
    return out;
  }

  private groupOf(bit: PlatformMask, goarch: string): ArchGroup {
    const hit = this.byBit.get(bit);
    if (hit) return hit;
    const arch = archLayout(goarch, this.goMinor);
    // The type-layer group of every package on this platform (or its own rows), and the layout parameters.
    for (const model of this.layer.ws.program.packages) this.rowsOn(model, bit, arch);
    const parts: string[] = [`${arch.ptrSize}/${arch.regSize}`];
    for (const model of this.layer.ws.program.packages) {
      const gs = this.layer.groupMasks(model);
      const i = gs.findIndex((m) => (m & bit) !== 0n);
      parts.push(((this.alone.get(model) ?? 0n) & bit) !== 0n ? `${i}!${bit}` : String(i));
    }
    const key = parts.join(',');
    let g = this.groups.find((x) => x.key === key);
    if (!g) {
      g = { key, mask: 0n, goarch, answers: this.compute(bit, goarch) };
      this.groups.push(g);
      this.summarized.set(bit, this.lastSummarized);
    }
    g.mask |= bit;
    this.byBit.set(bit, g);
    this.pending.delete(bit);
    if (this.pending.size === 0) this.rowCache.clear();
    return g;
  }

  private lastSummarized = 0;
  private readonly keyIds = new KeyIds();

  private compute(bit: PlatformMask, goarch: string): Map<PackageModel, PackageAnswer> {
    const arch = archLayout(goarch, this.goMinor);
    const fns: FnRows[] = [];
    for (const model of this.layer.ws.program.packages) for (const f of this.rowsOn(model, bit, arch)) fns.push(f);
    const argOf = (r: NonNullable<CallRow['ref']>, i: number): Addr | undefined => r.addrs[i + 1];
    const ids = this.keyIds;
    const sums = new Map<number, Summary>();
    // Fixpoint: a parameter reaches an atomic operation directly or through a summarized callee.
    // One offset per parameter is enough to judge a call site: the first one found stays (the
    // rounds visit the rows in the same order every time; a parameter already summarized is
    // skipped before its message is made). The rounds visit only the rows that can ever add to a
    // summary (see live): the same rows in the same order as visiting all, so the same summaries.
    const live = liveRows(fns, ids);
    for (let round = 0, changed = true; changed && round < 20; round++) {
      changed = false;
      for (const [f, feeding] of live) {
        const d = f.d;
        const id = f.fed!.id;
        let own = sums.get(id);
        for (const k of feeding) {
          if (k.direct) {
            const a = k.direct.addr;
            if (a?.base.k === 'param' && a.stride === 0 && a.offset % 8 === 0) {
              if (own?.has(a.base.index)) continue;
              if (!own) sums.set(id, (own = new Map()));
              own.set(a.base.index, { offset: a.offset, via: `${k.direct.via} in ${d.label}`, fix: k.direct.fix });
              changed = true;
            }
          } else if (k.ref) {
            const callee = sums.get(k.ref.id!);
            if (!callee) continue;
            const ref = k.ref;
            // forEach: no entry arrays (it visits entries added meanwhile, as for-of does).
            callee.forEach((r, i) => {
              const a = argOf(ref, i);
              if (a?.base.k === 'param' && a.stride === 0 && (a.offset + r.offset) % 8 === 0) {
                if (own?.has(a.base.index)) return;
                if (!own) sums.set(id, (own = new Map()));
                own.set(a.base.index, { offset: a.offset + r.offset, via: r.via, fix: r.fix });
                changed = true;
              }
            });
          }
        }
      }
    }
    this.lastSummarized = sums.size;
    const out = new Map<PackageModel, PackageAnswer>();
    const answer = (m: PackageModel): PackageAnswer => {
      let a = out.get(m);
      if (!a) out.set(m, (a = { calls: [], direct: [], unknown: [] }));
      return a;
    };
    // Per function: its direct rows, then its calls of summarized functions (findings in row order within each).
    const summarized = new Uint8Array(ids.size);
    for (const id of sums.keys()) summarized[id] = 1;
    for (const f of fns) {
      const { file, model } = f;
      const { directs, refs, refIds } = splitOf(f, ids);
      for (const k of directs) {
        if (k.direct!.local) {
          answer(model).calls.push(k.direct!.local);
          continue;
        }
        const a = k.direct!.addr;
        if (!a) answer(model).unknown.push({ file, span: k.span, reason: 'atomic-address-unknown' });
        else if (a.offset % 8 !== 0 || a.stride % 8 !== 0) {
          answer(model).direct.push({ file, span: k.direct!.span, callee: k.direct!.via, fix: k.direct!.fix, addr: a, sites: k.direct!.sites ?? [] });
        }
      }
      for (let j = 0; j < refIds.length; j++) {
        const id = refIds[j]!;
        if (id >= summarized.length || !summarized[id]) continue;
        const k = refs[j]!;
        const sum = sums.get(id)!;
        for (const [i, r] of sum) {
          const a = argOf(k.ref!, i);
          if (!a) {
            answer(model).unknown.push({ file, span: k.span, reason: 'summary-argument-unknown' });
            continue;
          }
          const offset = a.offset + r.offset;
          const stride = a.stride;
          if (offset % 8 === 0 && stride % 8 === 0) continue;
          answer(model).calls.push({
            file, span: k.span, callee: k.ref!.callee!, arg: k.ref!.texts![i + 1]!,
            offset, stride, via: r.via, fix: r.fix,
          });
        }
      }
    }
    return out;
  }
}

// ------------------------------------------------------------------------------------------------
// Bodies a run on some files needs.

/** A function declaration with a body of an analyzed package, as summaryBodies reads it. */
interface FnNode {
  file: SourceFile;
  pkg: PackageModel;
  v: SyntaxView;
  h: FnHead;
  /** The functions and methods its calls may reach (read from its body when first needed). */
  callees?: FnNode[];
  /** Whether a call in it may be a 64-bit atomic access (a sync/atomic function's name, a wrapper method's). */
  direct?: boolean;
}

/**
 * The function and method declarations outside `focus` whose bodies the atomic summaries of calls
 * in `focus` need (per file: their top-level nodes), to a fixpoint: every function a call in a
 * focus function may reach, through calls, that may itself reach a 64-bit atomic access. Read from
 * the syntax alone, as a superset of what the summaries follow (classify): a call `f(…)` may reach
 * the package's functions named f; `p.F(…)` with p an analyzed package's import name, its
 * functions named F; any other `x.M(…)`, every analyzed package's methods named M. A function
 * reaching no atomic access has an empty summary whatever its body's types, so it is left out.
 * With these bodies checked too, every summary a focus call reads is the one a check of every
 * body computes. Only the bodies reachable from the focus functions are read.
 */
export function summaryBodies(layer: TypeLayer, focus: ReadonlySet<SourceFile>): Map<SourceFile, Set<NodeId>> {
  const pkgs = layer.ws.program.packages;
  const analyzed = new Set(pkgs);
  const funcs = new Map<PackageModel, Map<string, FnNode[]>>();
  const methods = new Map<string, FnNode[]>();
  const roots: FnNode[] = [];
  const push = (m: Map<string, FnNode[]>, k: string, fn: FnNode) => {
    const l = m.get(k);
    if (l) l.push(fn);
    else m.set(k, [fn]);
  };
  for (const pkg of pkgs) {
    const own = new Map<string, FnNode[]>();
    funcs.set(pkg, own);
    for (const { file } of pkg.files) {
      const syntax = file.facts?.extra.syntax;
      if (!syntax) continue;
      const v = viewOf(syntax);
      for (const h of fnHeads(v)) {
        const fn: FnNode = { file, pkg, v, h };
        if (focus.has(file)) roots.push(fn);
        if (!h.method) push(own, h.name, fn);
        else if (h.ptr) push(methods, h.name, fn);
      }
    }
  }
  // Per file: its import names (as the type layer names them: PackageTypes) → the analyzed package
  // (null: another one, whose functions have no summary), and those of sync/atomic.
  const importNames = new Map<SourceFile, { pkgs: Map<string, PackageModel | null>; atomic: Set<string> }>();
  const namesOf = (pkg: PackageModel, file: SourceFile): { pkgs: Map<string, PackageModel | null>; atomic: Set<string> } => {
    let m = importNames.get(file);
    if (m) return m;
    m = { pkgs: new Map(), atomic: new Set() };
    for (const imp of file.facts?.imports ?? []) {
      if (imp.kind === 'blank' || imp.kind === 'dot') continue;
      const dep = imp.path === 'unsafe' || imp.path === 'C' ? undefined : layer.resolve(pkg, imp.path);
      const name = imp.alias ?? (imp.path === 'unsafe' ? 'unsafe' : dep?.name) ?? lastElem(imp.path);
      if (imp.path === 'sync/atomic') m.atomic.add(name);
      m.pkgs.set(name, dep && analyzed.has(dep) ? dep : null);
    }
    importNames.set(file, m);
    return m;
  };
  // A wrapper method call (`x.n.Add(1)` on a go.uber.org/atomic Int64) is possible only where the
  // wrapper package is among what the analyzed packages import, transitively.
  let wrappers: boolean | undefined;
  const wrappersReachable = (): boolean => {
    if (wrappers !== undefined) return wrappers;
    wrappers = false;
    const seen = new Set<PackageModel>(pkgs);
    const todo = [...pkgs];
    while (todo.length > 0 && !wrappers) {
      const p = todo.pop()!;
      for (const { file } of p.files) {
        for (const imp of file.header.imports) {
          const d = layer.resolve(p, imp.path);
          if (d && Object.hasOwn(WRAPPER_TYPES, imp.path)) wrappers = true;
          if (d && !seen.has(d)) (seen.add(d), todo.push(d));
        }
      }
    }
    return wrappers;
  };
  const expand = (fn: FnNode): FnNode[] => {
    if (fn.callees) return fn.callees;
    const out: FnNode[] = [];
    const add = (l: FnNode[] | undefined) => {
      if (l) out.push(...l);
    };
    const { v } = fn;
    const s = fnSyntax(v, fn.h);
    let direct = false;
    for (const call of s.calls) {
      const f = strip(v, v.child(call, 'function'));
      if (f < 0) continue;
      if (v.kind(f) === 'identifier') {
        if (!s.written.has(v.text(f))) add(funcs.get(fn.pkg)!.get(v.text(f)));
        continue;
      }
      if (v.kind(f) !== 'selector_expression') continue;
      const name = v.text(v.child(f, 'field'));
      const op = strip(v, v.child(f, 'operand'));
      const qual = op >= 0 && v.kind(op) === 'identifier' && !s.written.has(v.text(op)) ? v.text(op) : undefined;
      const names = namesOf(fn.pkg, fn.file);
      if (qual !== undefined && names.atomic.has(qual)) {
        if (ATOMIC_FUNCS_64.has(name)) direct = true;
        continue;
      }
      const dep = qual !== undefined ? names.pkgs.get(qual) : undefined;
      // `p.F(…)`: a function of the package p names (summarized only when it is analyzed).
      if (dep !== undefined) {
        if (dep) add(funcs.get(dep)!.get(name));
        continue;
      }
      if (WRAPPER_METHODS.has(name) && wrappersReachable()) direct = true;
      add(methods.get(name));
    }
    fn.direct = direct;
    return (fn.callees = out);
  };
  // The functions the focus functions reach through calls, with their bodies read.
  const reached = new Set<FnNode>(roots);
  const todo = [...roots];
  while (todo.length > 0) for (const c of expand(todo.pop()!)) if (!reached.has(c)) (reached.add(c), todo.push(c));
  // Which of them may reach an atomic access: to a fixpoint over the calls.
  const reaches = new Set<FnNode>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of reached) {
      if (reaches.has(fn)) continue;
      if (fn.direct || fn.callees!.some((c) => reaches.has(c))) (reaches.add(fn), (changed = true));
    }
  }
  // From the focus functions, through the calls, every function outside them that may reach one.
  const out = new Map<SourceFile, Set<NodeId>>();
  const seen = new Set<FnNode>(roots);
  const walk = [...roots];
  while (walk.length > 0) {
    const fn = walk.pop()!;
    if (!focus.has(fn.file)) {
      let l = out.get(fn.file);
      if (!l) out.set(fn.file, (l = new Set()));
      l.add(fn.h.node);
    }
    for (const c of fn.callees!) if (reaches.has(c) && !seen.has(c)) (seen.add(c), walk.push(c));
  }
  return out;
}

const cache = new WeakMap<TypeLayer, AtomicSummaries>();

export function atomicSummaries(layer: TypeLayer, goMinor: number): AtomicSummaries {
  let s = cache.get(layer);
  if (!s) cache.set(layer, (s = new AtomicSummaries(layer, goMinor)));
  return s;
}
