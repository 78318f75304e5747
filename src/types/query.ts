/** Questions rules ask the type layer (answers hold on every platform group of a file, or none). */
import type { PackageModel, SourceFile } from '../model/program.js';
import type { Span } from '../parser/facts.js';
import type { PlatformMask } from '../platform/targets.js';
import type { TypeLayer } from './layer.js';
import type { Type } from './types.js';

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

/**
 * Every selector `x.f` of `file` whose operand `x` has the same package-level named type (or a
 * pointer to it) on every platform group that compiles the file. `skip` counts the others.
 */
export function typedSelections(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask, skip: (reason: string) => void): TypedSelection[] {
  const groups = layer.groups(pkg).filter((g) => (g.mask & fmask) !== 0n);
  const per = groups.map((g) => g.types.files.find((f) => f.file === file)).map((tf, i) => ({ tf, rec: tf ? groups[i]!.types.records.get(tf) : undefined }));
  if (per.length === 0 || per.some((p) => !p.tf || !p.rec)) return [];
  const v = per[0]!.tf!.view;
  const out: TypedSelection[] = [];
  for (let n = 0; n < v.count; n++) {
    if (v.kind(n) !== 'selector_expression') continue;
    const opn = v.child(n, 'operand');
    const fld = v.child(n, 'field');
    if (opn < 0 || fld < 0) continue;
    if (v.kind(opn) === 'identifier' && per[0]!.tf!.imports.has(v.text(opn)) && !per[0]!.rec!.has(opn)) continue; // pkg.Name
    let key: { pkg: string; name: string } | undefined;
    let ok = true;
    for (const p of per) {
      const t = p.rec!.get(opn);
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
  return out;
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
}

/**
 * The places in `file` where an untyped integer constant takes an integer type (assignment,
 * argument, operand, composite literal element, return, index...), per platform group: the points
 * where Go checks that the constant is representable in that type.
 */
export function constantConversions(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask): ConstantConversion[] {
  const out: ConstantConversion[] = [];
  for (const g of layer.groups(pkg)) {
    const mask = g.mask & fmask;
    if (!mask) continue;
    const tf = g.types.files.find((f) => f.file === file);
    const rec = tf && g.types.records.get(tf);
    const consts = tf && g.types.constants.get(tf);
    if (!tf || !rec || !consts) continue;
    for (const [n, c] of consts) {
      if (!c.untyped) continue;
      const t = rec.get(n);
      let u: Type | undefined = t;
      for (let i = 0; u?.k === 'named' && i < 50; i++) u = u.underlying();
      if (!t || u?.k !== 'basic' || !/^(u?int(8|16|32|64)?|uintptr)$/.test(u.kind)) continue;
      let value: bigint | undefined;
      if (c.value.k === 'int') value = c.value.v;
      else if (c.value.k === 'float' && c.value.v !== undefined && Number.isSafeInteger(c.value.v)) value = BigInt(c.value.v);
      if (value === undefined) continue;
      const from = c.value.k === 'float' ? 'untyped float' : 'untyped int';
      out.push({ span: tf.view.span(n), text: exprString(tf.view, n), value, from, typeName: t.k === 'named' ? t.obj.name : u.name, basic: u.kind, mask });
    }
  }
  return out;
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
    const tf = g.types.files.find((f) => f.file === file);
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
  for (let n = 0; n < v.count; n++) {
    if (v.kind(n) !== 'selector_expression') continue;
    const e = byNode.get(v.child(n, 'field'));
    if (!e || e.literal) continue;
    for (const p of per) if (p.rec.has(n)) e.found |= p.mask;
  }
  const selOf = new Map<number, number>();
  for (let n = 0; n < v.count; n++) if (v.kind(n) === 'selector_expression') selOf.set(v.child(n, 'field'), n);
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
