/** Questions rules ask the type layer (answers hold on every platform group of a file, or none). */
import type { PackageModel, SourceFile } from '../model/program.js';
import type { Span } from '../parser/facts.js';
import type { PlatformMask } from '../platform/targets.js';
import type { TypeLayer } from './layer.js';
import type { NodeId, SyntaxView } from '../parser/syntax-table.js';
import type { PackageTypes, TypesFile } from './package.js';
import { type Named, type Type, under } from './types.js';

export interface TypedSelection {
  /** Span of the selected name (`f` in `x.f`). */
  span: Span;
  member: string;
  /** The named type of the operand (through one pointer): its package path and name. */
  typePkg: string;
  typeName: string;
}

/** The package-level named type `t` denotes, directly or through one pointer. */
export function namedBase(t: Type | undefined): { pkg: string; name: string } | undefined {
  let b = t;
  if (b?.k === 'pointer') b = b.elem;
  if (b?.k !== 'named' || b.obj.local || !b.obj.pkg) return undefined;
  const o = b.origin?.obj ?? b.obj;
  return { pkg: o.pkg, name: o.name };
}

const filesOf = new WeakMap<PackageTypes, Map<SourceFile, TypesFile>>();

/** The types file of `file` in a group's types (undefined: the group does not compile it). */
export function typesFile(types: PackageTypes, file: SourceFile): TypesFile | undefined {
  let m = filesOf.get(types);
  if (!m) {
    m = new Map();
    // The first of several (as Array.find would answer).
    for (const tf of types.files) if (!m.has(tf.file)) m.set(tf.file, tf);
    filesOf.set(types, m);
  }
  return m.get(file);
}

const selectorsOf = new WeakMap<SyntaxView, Int32Array>();

/** The selector expressions of a file with an operand and a field, as (selector, operand, field) triples in node order; read once per file. */
export function selectorNodes(v: SyntaxView): Int32Array {
  let s = selectorsOf.get(v);
  if (s) return s;
  const out: number[] = [];
  for (let n = 0; n < v.count; n++) {
    if (v.kind(n) !== 'selector_expression') continue;
    out.push(n, v.child(n, 'operand'), v.child(n, 'field'));
  }
  selectorsOf.set(v, (s = Int32Array.from(out)));
  return s;
}

interface SelectionsAnswer {
  out: TypedSelection[];
  /** `out` without the selections at a span of the file's facts selectors (inferredSelections). */
  inferred?: TypedSelection[];
  /** Skip reasons and their counts, in the order first met. */
  skips: Map<string, number>;
}

/** typedSelections per first group's records and file mask: gated-symbol and platform-syscall ask the same question of each file. */
const selectionsCache = new WeakMap<Map<NodeId, Type>, Map<PlatformMask, SelectionsAnswer>>();

/**
 * Every selector `x.f` of `file` whose operand `x` has the same package-level named type (or a
 * pointer to it) on every platform group that compiles the file. `skip` counts the others (a
 * reason and how many). Computed once per file and groups, whichever rules ask.
 */
export function typedSelections(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask, skip: (reason: string, n: number) => void): TypedSelection[] {
  return selectionsAnswer(layer, pkg, file, fmask, skip)?.out ?? [];
}

/**
 * typedSelections less those at the span of a selector the file's facts give (`sel.spans`), which
 * the rules check through written types already: the selections only the inferred types reach.
 */
export function inferredSelections(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask, skip: (reason: string, n: number) => void): TypedSelection[] {
  const ans = selectionsAnswer(layer, pkg, file, fmask, skip);
  if (!ans) return [];
  if (!ans.inferred) {
    const covered = new Set<string>();
    for (const sel of file.facts?.selectors ?? []) for (const sp of sel.spans) covered.add(sp.join(':'));
    ans.inferred = ans.out.filter((ts) => !covered.has(ts.span.join(':')));
  }
  return ans.inferred;
}

function selectionsAnswer(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask, skip: (reason: string, n: number) => void): SelectionsAnswer | undefined {
  const groups = layer.groups(pkg).filter((g) => (g.mask & fmask) !== 0n);
  const per = groups.map((g) => typesFile(g.types, file)).map((tf, i) => ({ tf, rec: tf ? groups[i]!.types.records.get(tf) : undefined }));
  if (per.length === 0 || per.some((p) => !p.tf || !p.rec)) return undefined;
  const first = per[0]!.rec!;
  let byMask = selectionsCache.get(first);
  if (!byMask) selectionsCache.set(first, (byMask = new Map()));
  let ans = byMask.get(fmask);
  if (!ans) byMask.set(fmask, (ans = selections(per as { tf: TypesFile; rec: Map<NodeId, Type> }[])));
  for (const [why, n] of ans.skips) skip(why, n);
  return ans;
}

function selections(per: { tf: TypesFile; rec: Map<NodeId, Type> }[]): SelectionsAnswer {
  const v = per[0]!.tf.view;
  const imports = per[0]!.tf.imports;
  const rec0 = per[0]!.rec;
  const out: TypedSelection[] = [];
  const skips = new Map<string, number>();
  const skip = (why: string) => skips.set(why, (skips.get(why) ?? 0) + 1);
  const sels = selectorNodes(v);
  for (let i = 0; i < sels.length; i += 3) {
    const opn = sels[i + 1]!;
    const fld = sels[i + 2]!;
    if (opn < 0 || fld < 0) continue;
    if (v.kind(opn) === 'identifier' && imports.has(v.text(opn)) && !rec0.has(opn)) continue; // pkg.Name
    let key: { pkg: string; name: string } | undefined;
    let ok = true;
    for (const p of per) {
      const t = p.rec.get(opn);
      const nb = namedBase(t);
      if (!nb) {
        ok = false;
        skip(t ? 'operand-not-named' : 'operand-type-unknown');
        break;
      }
      if (key && (key.pkg !== nb.pkg || key.name !== nb.name)) {
        skip('operand-type-differs-by-platform');
        ok = false;
        break;
      }
      key = nb;
    }
    if (!ok || !key) continue;
    out.push({ span: v.span(fld), member: v.text(fld), typePkg: key.pkg, typeName: key.name });
  }
  return { out, skips };
}

export interface ConstantConversion {
  span: Span;
  /** The expression as go/types prints it (ExprString), e.g. `10 * 1024 * 1024 * 1024`. */
  text: string;
  value: bigint;
  /** untyped int, untyped rune, untyped float. */
  from: string;
  /** The type it becomes: its name as written, and its basic underlying kind. */
  typeName: string;
  basic: string;
  /** Platforms (of the file's group) where this conversion happens. */
  mask: PlatformMask;
  /** For a typed constant converted to a word type (`int(time.Hour)`): the constant's type name. */
  typedFrom?: string;
  /** How go/types words a failed conversion here (computed on demand: it reads the syntax around). */
  context(): ConversionContext;
}

/**
 * Where the conversion happens, as go/types' messages say: an assignment of some kind ("cannot use
 * X as T value in <what>"), an explicit conversion T(X), or an operand (of a binary operation,
 * comparison, index, size, case: "X overflows T").
 */
export type ConversionContext = { k: 'assign'; what: string } | { k: 'convert' } | { k: 'operand' };

/** Builtins whose arguments go/types assigns to parameters ("argument to append"). */
const ASSIGNING_BUILTINS = new Set(['append', 'delete', 'panic']);

/** Parent of every node of a syntax table (preorder: a node's children follow it). */
function parents(v: import('../parser/syntax-table.js').SyntaxView): Int32Array {
  const p = new Int32Array(v.count).fill(-1);
  for (let n = 0; n < v.count; n++) for (let c = n + 1, end = v.next(n); c < end; c = v.next(c)) p[c] = n;
  return p;
}

/** go/types' word for an `=` assignment to `lhs` (-1: none known). */
function assignmentTo(v: import('../parser/syntax-table.js').SyntaxView, lhs: number): ConversionContext {
  return { k: 'assign', what: lhs >= 0 && v.kind(lhs) === 'identifier' && v.text(lhs) === '_' ? 'assignment to _ identifier' : 'assignment' };
}

/** The context of a value in a var or const declaration or a return statement; else an operand. */
function declarationContext(kind: string): ConversionContext {
  switch (kind) {
    case 'var_spec':
      return { k: 'assign', what: 'variable declaration' };
    case 'const_spec':
      return { k: 'assign', what: 'constant declaration' };
    case 'return_statement':
      return { k: 'assign', what: 'return statement' };
    default:
      return { k: 'operand' };
  }
}

function contextOf(v: import('../parser/syntax-table.js').SyntaxView, par: Int32Array, rec: Map<number, Type>, n: number): ConversionContext {
  const p = par[n] ?? -1;
  if (p < 0) return { k: 'operand' };
  const up = (i: number) => (v.kind(i) === 'expression_list' ? (par[i] ?? -1) : i);
  switch (v.kind(p)) {
    case 'argument_list': {
      const call = par[p] ?? -1;
      const fn = call >= 0 ? v.child(call, 'function') : -1;
      if (fn < 0) return { k: 'operand' };
      if (rec.has(fn)) return { k: 'assign', what: `argument to ${exprString(v, fn)}` };
      // Not a value: a conversion T(x), or a builtin.
      if (v.kind(fn) === 'identifier' && ASSIGNING_BUILTINS.has(v.text(fn))) return { k: 'assign', what: `argument to ${v.text(fn)}` };
      if (v.kind(fn) === 'identifier' && /^(make|len|cap|copy|min|max|complex|real|imag|new|clear|close|print|println|recover)$/.test(v.text(fn))) return { k: 'operand' };
      return { k: 'convert' };
    }
    case 'literal_element': {
      const parent = par[p] ?? -1;
      let body = parent;
      let isKey = false;
      if (parent >= 0 && v.kind(parent) === 'keyed_element') {
        isKey = v.child(parent, 'key') === p;
        body = par[parent] ?? -1;
      }
      if (body < 0 || v.kind(body) !== 'literal_value') return { k: 'operand' };
      const owner = par[body] ?? -1;
      // An elided literal's type is recorded on its body; a written one's on the composite literal.
      const lt = rec.get(owner >= 0 && v.kind(owner) === 'composite_literal' ? owner : body);
      const u = under(lt);
      if (!u) return { k: 'operand' };
      if (u.k === 'map') return { k: 'assign', what: 'map literal' };
      if (isKey) return { k: 'operand' }; // an array or slice literal's index
      if (u.k === 'struct') return { k: 'assign', what: 'struct literal' };
      if (u.k === 'array' || u.k === 'slice') return { k: 'assign', what: 'array or slice literal' };
      return { k: 'operand' };
    }
    case 'expression_list': {
      const g = up(p);
      switch (g >= 0 ? v.kind(g) : 'other') {
        case 'assignment_statement': {
          if (v.child(g, 'right') !== p || v.text(g) !== '=') return { k: 'operand' };
          const l = v.child(g, 'left');
          const lhs = l >= 0 ? (v.kind(l) === 'expression_list' ? v.children(l) : [l]) : [];
          const rhs = v.children(p);
          if (rhs.length > 1) return { k: 'assign', what: 'multiple assignment' };
          return assignmentTo(v, lhs[rhs.indexOf(n)] ?? -1);
        }
        case 'short_var_declaration':
          return v.child(g, 'right') === p ? { k: 'assign', what: v.children(p).length > 1 ? 'multiple assignment' : 'assignment' } : { k: 'operand' };
        default:
          return declarationContext(g >= 0 ? v.kind(g) : 'other');
      }
    }
    case 'assignment_statement': {
      if (v.child(p, 'right') !== n || v.text(p) !== '=') return { k: 'operand' };
      const l = v.child(p, 'left');
      return assignmentTo(v, l >= 0 && v.kind(l) === 'expression_list' && v.children(l).length === 1 ? v.children(l)[0]! : l);
    }
    case 'short_var_declaration':
      return v.child(p, 'right') === n ? { k: 'assign', what: 'assignment' } : { k: 'operand' };
    case 'var_spec':
    case 'const_spec':
    case 'return_statement':
      return declarationContext(v.kind(p));
    case 'send_statement':
      return v.child(p, 'value') === n ? { k: 'assign', what: 'send' } : { k: 'operand' };
    case 'range_clause':
      return { k: 'assign', what: 'range clause' };
    case 'index_expression': {
      if (v.child(p, 'index') !== n) return { k: 'operand' };
      const u = under(rec.get(v.child(p, 'operand')));
      return u?.k === 'map' ? { k: 'assign', what: 'map index' } : { k: 'operand' };
    }
    default:
      return { k: 'operand' };
  }
}

/**
 * The places in `file` where an untyped integer constant takes an integer type (assignment,
 * argument, operand, composite literal element, return, index...), per platform group: the points
 * where Go checks that the constant is representable in that type.
 */
export function constantConversions(
  layer: TypeLayer,
  pkg: PackageModel,
  file: SourceFile,
  fmask: PlatformMask,
  /** Which (value, basic kind) pairs the caller wants (default: all); the rest are never built. */
  keep: (value: bigint, basic: string) => boolean = () => true,
): ConstantConversion[] {
  const out: ConstantConversion[] = [];
  for (const g of layer.groups(pkg)) {
    const mask = g.mask & fmask;
    if (!mask) continue;
    const tf = typesFile(g.types, file);
    const rec = tf && g.types.records.get(tf);
    const consts = tf && g.types.constants.get(tf);
    if (!tf || !rec || !consts) continue;
    let par: Int32Array | undefined;
    const view = tf.view;
    // forEach: no entry array per constant (a package's constants are many).
    consts.forEach((c, n) => {
      if (!c.untyped) {
        const tc = typedConversion(view, rec, consts, n, keep);
        if (tc) out.push({ ...tc, mask, typeName: tc.typeName instanceof Object ? qualifiedName(tc.typeName, g.types) : tc.typeName });
        return;
      }
      const t = rec.get(n);
      let u: Type | undefined = t;
      for (let i = 0; u?.k === 'named' && i < 50; i++) u = u.underlying();
      if (!t || u?.k !== 'basic' || !INTEGER_KINDS.has(u.kind)) return;
      let value: bigint | undefined;
      if (c.value.k === 'int') value = c.value.v;
      else if (c.value.k === 'float' && c.value.v !== undefined && Number.isSafeInteger(c.value.v)) value = BigInt(c.value.v);
      if (value === undefined || !keep(value, u.kind)) return;
      const from = c.value.k === 'float' ? 'untyped float' : 'untyped int';
      out.push({
        span: view.span(n), text: exprString(view, n), value, from, typeName: t.k === 'named' ? qualifiedName(t, g.types) : u.name, basic: u.kind, mask,
        context: () => contextOf(view, (par ??= parents(view)), rec, n),
      });
    });
  }
  return out;
}

const INTEGER = /^(u?int(8|16|32|64)?|uintptr)$/;
const INTEGER_KINDS: ReadonlySet<string> = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);
const WORD = /^(u?int|uintptr)$/;

/**
 * `T(x)` for a typed integer constant `x` of another, wider type (`int(time.Hour)`): the point
 * where go/types checks that x's value fits the word type T (reported at x).
 */
function typedConversion(
  view: import('../parser/syntax-table.js').SyntaxView,
  rec: Map<number, Type>,
  consts: Map<number, { value: import('./constant.js').ConstValue; untyped: boolean }>,
  n: number,
  keep: (value: bigint, basic: string) => boolean,
): (Omit<ConstantConversion, 'mask' | 'typeName'> & { typeName: string | Named }) | undefined {
  if (view.kind(n) !== 'call_expression') return undefined;
  const t = rec.get(n);
  const u = under(t);
  if (!t || u?.k !== 'basic' || !WORD.test(u.kind)) return undefined;
  const fn = view.child(n, 'function');
  const argList = view.child(n, 'arguments');
  if (fn < 0 || rec.has(fn) || argList < 0) return undefined; // a call of a function value, not a conversion
  const args = view.children(argList);
  if (args.length !== 1) return undefined;
  const x = consts.get(args[0]!);
  const xt = rec.get(args[0]!);
  const xu = under(xt);
  // An untyped argument is converted (and reported) as such; one of a word type was checked where it got it.
  if (!x || x.untyped || x.value.k !== 'int' || xu?.k !== 'basic' || !INTEGER.test(xu.kind) || WORD.test(xu.kind)) return undefined;
  if (!keep(x.value.v, u.kind)) return undefined;
  const typedFrom = xt!.k === 'named' ? xt!.obj.name : xu.kind;
  return {
    span: view.span(args[0]!), text: exprString(view, args[0]!), value: x.value.v, from: `constant of type ${typedFrom}`, typedFrom,
    typeName: t.k === 'named' ? t : u.kind, basic: u.kind, context: () => ({ k: 'convert' }),
  };
}

/** A named type as go/types prints it in a message of package `from`: qualified by package name elsewhere. */
function qualifiedName(t: Named, types: import('./package.js').PackageTypes): string {
  const o = t.obj;
  if (!o.pkg || o.pkg === types.path || o.local) return o.name;
  const name = types.env.importName(o.pkg);
  return name ? `${name}.${o.name}` : o.name;
}

/** go/ast's ExprString for the expression forms constants take; `…` for the rest. */
export function exprString(v: import('../parser/syntax-table.js').SyntaxView, n: number, depth = 0): string {
  if (depth > 20) return '…';
  const kids = v.children(n);
  switch (v.kind(n)) {
    case 'identifier':
    case 'type_identifier':
    case 'field_identifier':
    case 'int_literal':
    case 'float_literal':
    case 'imaginary_literal':
    case 'rune_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return v.text(n);
    case 'true':
    case 'false':
    case 'nil':
    case 'iota':
      return v.kind(n);
    case 'binary_expression':
      return `${exprString(v, v.child(n, 'left'), depth + 1)} ${v.text(n)} ${exprString(v, v.child(n, 'right'), depth + 1)}`;
    case 'unary_expression':
      return `${v.text(n)}${exprString(v, v.child(n, 'operand'), depth + 1)}`;
    case 'parenthesized_expression':
      return `(${kids.map((k) => exprString(v, k, depth + 1)).join('')})`;
    case 'selector_expression':
      return `${exprString(v, v.child(n, 'operand'), depth + 1)}.${v.text(v.child(n, 'field'))}`;
    case 'call_expression': {
      const args = v.child(n, 'arguments');
      return `${exprString(v, v.child(n, 'function'), depth + 1)}(${(args >= 0 ? v.children(args) : []).map((a) => exprString(v, a, depth + 1)).join(', ')})`;
    }
    default:
      return '…';
  }
}

export interface AbsentMember {
  /** Span of the member's name (`f` in `x.f`, the key in `T{f: v}`). */
  span: Span;
  member: string;
  /** A struct literal's key (else a selector). */
  literal: boolean;
  /** Platforms (of the file's) whose group has no such field or method in the fully known type. */
  absent: PlatformMask;
  /** Platforms whose group finds it. */
  found: PlatformMask;
  /** The type looked in on the first absent group, as written for a message, and its named base. */
  typeText: string;
  named: { pkg: string; name: string } | undefined;
  /** The selector as written when short (`c.Resources`), else `T.f`; for a key, `T{f: …}`. */
  exprText: string;
}

/**
 * The selectors and struct-literal keys of `file` whose member some platform groups find and
 * others, with the operand's type fully known there, do not: "x.f undefined (type T has no field
 * or method f)" or "unknown field f in struct literal" on those platforms only. Promotion through
 * embedded fields, interface methods and generic instances are the type layer's (lookup.ts).
 */
export function absentMembers(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask): AbsentMember[] {
  const groups = layer.groups(pkg).filter((g) => (g.mask & fmask) !== 0n);
  const per: { mask: PlatformMask; view: import('../parser/syntax-table.js').SyntaxView; rec: Map<number, Type>; members: Map<number, { type: Type; absent: boolean }> }[] = [];
  for (const g of groups) {
    const tf = typesFile(g.types, file);
    const rec = tf && g.types.records.get(tf);
    const members = tf && g.types.members.get(tf);
    if (!tf || !rec || !members) return [];
    per.push({ mask: g.mask & fmask, view: tf.view, rec, members });
  }
  if (per.length < 2) return [];
  const byNode = new Map<number, { absent: PlatformMask; found: PlatformMask; literal: boolean; type?: Type }>();
  const entry = (n: number, literal: boolean) => {
    let e = byNode.get(n);
    if (!e) byNode.set(n, (e = { absent: 0n, found: 0n, literal }));
    return e;
  };
  for (const p of per) {
    for (const [n, m] of p.members) {
      const e = entry(n, p.view.kind(n) !== 'field_identifier');
      if (m.absent) {
        e.absent |= p.mask;
        e.type ??= m.type;
      } else e.found |= p.mask;
    }
  }
  // A selector is found where its expression has a type.
  const v = per[0]!.view;
  const sels = selectorNodes(v);
  const selOf = new Map<number, number>();
  for (let i = 0; i < sels.length; i += 3) {
    const n = sels[i]!;
    const fld = sels[i + 2]!;
    selOf.set(fld, n);
    const e = byNode.get(fld);
    if (!e || e.literal) continue;
    for (const p of per) if (p.rec.has(n)) e.found |= p.mask;
  }
  const self = layer.pathOf(pkg);
  const out: AbsentMember[] = [];
  for (const [n, e] of [...byNode].sort((a, b) => a[0] - b[0])) {
    if (!e.absent || !e.found || !e.type) continue;
    const typeText = typeString(e.type, self);
    const member = v.text(n);
    const sel = selOf.get(n);
    const written = sel === undefined ? '…' : exprString(v, sel);
    const exprText = e.literal ? `${typeText.replace(/^\*/, '')}{${member}: …}` : written.length <= 60 && !written.includes('…') ? written : `${typeText}.${member}`;
    out.push({ span: v.span(n), member, literal: e.literal, absent: e.absent, found: e.found, typeText, named: namedBase(e.type), exprText });
  }
  return out;
}

/** A short name of a type for messages (qualified outside package `self`): `T`, `*pkg.T`, else its kind. */
function typeString(t: Type, self: string): string {
  if (t.k === 'pointer') return `*${typeString(t.elem, self)}`;
  if (t.k === 'named') {
    const o = t.origin?.obj ?? t.obj;
    const last = o.pkg && o.pkg !== self ? o.pkg.slice(o.pkg.lastIndexOf('/') + 1) : '';
    return last ? `${last}.${o.name}` : o.name;
  }
  return t.k;
}
