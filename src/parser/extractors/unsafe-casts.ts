/**
 * unsafe-casts: pointer conversions through unsafe.Pointer, `(*T)(unsafe.Pointer(x))`, with the
 * pointee types on both sides as far as the file tells them, how the result is used, and the file's
 * top-level functions (so a rule can look at what else a function does). Feeds rules/endianness.ts.
 *
 * Only files that import "unsafe" or "encoding/binary" record anything.
 */
import type { Span, TypeExpr } from '../facts.js';
import type { Extractor, ExtractorContext } from '../extractor.js';
import { parseGoInt } from '../go-text.js';
import { childByField, hasToken, namedParts, type GoNode } from '../syntax.js';
import { ancestors, funcName } from './string-literals.js';

/** Where the pointer given to unsafe.Pointer points, when the file tells it. */
export type CastSource =
  /** A value of this type (`&x`, `&b[0]`, a pointer `p` of known type). */
  | { k: 'type'; type: TypeExpr }
  /**
   * A package-level variable, then `steps`: `i` an index, `s` a slice, `*` through a pointer
   * (`&buf` is `''`, `&buf[0]` is `'i'`, `p` for a package-level pointer `p` is `'*'`).
   */
  | { k: 'global'; name: string; steps: string };

export interface UnsafeCastFact {
  /** The whole conversion `(*T)(unsafe.Pointer(x))`. */
  span: Span;
  /** The conversion as written, at most ~60 characters. */
  text: string;
  /** The pointee type converted to: `uint32` for `(*uint32)(…)`, `[4]byte` for `(*[4]byte)(…)`. */
  to: TypeExpr;
  from?: CastSource;
  /** `*(*T)(…)` dereferences at once; `unsafe.Slice((*T)(…), n)` makes a slice; anything else. */
  use: 'deref' | 'slice' | 'other';
  /** Index of the enclosing top-level function in `funcs`, or -1. */
  func: number;
  /**
   * A dereferenced read whose every use gives the same answer in either byte order, and why:
   * `popcount` (bits.OnesCount* of it), `symmetric-compare` (masked with a constant whose bytes are
   * all equal, or combined with another native read, then compared with such a constant or another
   * native read). Through one local variable: `w := *(*uint64)(p); if w&0x8080808080808080 != 0`.
   * `lookup-key`: the bytes of a number that only go to a hash or a key lookup
   * (`xxhash.Sum64((*[8]byte)(unsafe.Pointer(&h))[:])`, `cache.Get(dst, key[:])`).
   */
  orderFree?: 'popcount' | 'symmetric-compare' | 'lookup-key';
}

/** A top-level function or method. */
export interface FuncSpanFact {
  /** `Name`, or `Recv.Name` for a method. */
  name: string;
  span: Span;
}

export interface UnsafeCastFacts {
  casts: UnsafeCastFact[];
  funcs: FuncSpanFact[];
}

declare module '../facts.js' {
  interface FactMap {
    unsafeCasts: UnsafeCastFacts;
  }
}

class UnsafeCasts implements Extractor {
  readonly name = 'unsafe-casts';
  readonly nodeTypes = ['source_file', 'function_declaration', 'method_declaration', 'call_expression', 'type_conversion_expression'];
  private active = false;
  private root: GoNode | undefined;
  private casts: UnsafeCastFact[] = [];
  private funcs: FuncSpanFact[] = [];
  private funcEnd = -1;

  begin(ctx: ExtractorContext): void {
    this.active = ctx.facts.imports.some((i) => i.path === 'unsafe' || i.path === 'encoding/binary');
    this.root = undefined;
    this.casts = [];
    this.funcs = [];
    this.funcEnd = -1;
  }

  visit(n: GoNode, ctx: ExtractorContext): void {
    if (!this.active) return;
    switch (n.type) {
      case 'source_file':
        this.root = n;
        return;
      case 'function_declaration':
      case 'method_declaration':
        this.funcs.push({ name: funcName(n, ctx), span: ctx.span(n) });
        this.funcEnd = n.end;
        return;
      case 'call_expression': {
        const args = namedParts(childByField(n, 'arguments') ?? n);
        return this.conversion(n, childByField(n, 'function'), args.length === 1 ? args[0] : undefined, false, ctx);
      }
      case 'type_conversion_expression': {
        // tree-sitter-go reads `*(*[8]byte)(p)` as a conversion to the type `*(*[8]byte)`: a dereference.
        let t = childByField(n, 'type');
        const inner = t?.type === 'pointer_type' ? namedParts(t)[0] : undefined;
        const deref = inner?.type === 'parenthesized_type';
        if (deref) t = inner;
        return this.conversion(n, t, childByField(n, 'operand'), deref, ctx);
      }
      default:
    }
  }

  finish(ctx: ExtractorContext): void {
    if (this.casts.length > 0 || this.funcs.length > 0) ctx.facts.extra.unsafeCasts = { casts: this.casts, funcs: this.funcs };
    this.root = undefined;
    this.casts = [];
    this.funcs = [];
  }

  /** How the converted pointer is used, from the conversion's nearest ancestors. */
  private useOf(n: GoNode, ctx: ExtractorContext): UnsafeCastFact['use'] {
    if (!this.root) return 'other';
    const path = ancestors(this.root, n);
    let i = path.length - 1;
    while (i >= 0 && path[i]!.type === 'parenthesized_expression') i--;
    const parent = path[i];
    if (parent?.type === 'unary_expression' && hasToken(parent, '*')) return 'deref';
    // unsafe.Slice((*T)(…), n): parent is the argument list of the call.
    const call = parent?.type === 'argument_list' ? path[i - 1] : undefined;
    if (call?.type === 'call_expression' && this.isUnsafe(childByField(call, 'function'), 'Slice', ctx) && namedParts(parent!)[0] === (path[i + 1] ?? n)) {
      return 'slice';
    }
    return 'other';
  }

  /** `(*T)(unsafe.Pointer(x))`: `fn` is `(*T)`, `operand` is `unsafe.Pointer(x)`. */
  private conversion(n: GoNode, fn: GoNode | undefined, operand: GoNode | undefined, deref: boolean, ctx: ExtractorContext): void {
    if (!fn || !operand) return;
    const ptrCall = unparen(operand);
    if (ptrCall.type !== 'call_expression' || !this.isUnsafe(childByField(ptrCall, 'function'), 'Pointer', ctx)) return;
    const target = typeOfNode(fn, ctx);
    if (target?.k !== 'ptr') return;
    const ptrArgs = namedParts(childByField(ptrCall, 'arguments') ?? ptrCall);
    const from = ptrArgs.length === 1 ? pointee(ptrArgs[0]!, ctx) : undefined;
    const text = ctx.text(n).replace(/\s+/g, ' ');
    const fact: UnsafeCastFact = {
      span: ctx.span(n),
      text: text.length > 60 ? `${text.slice(0, 57)}...` : text,
      to: target.elem,
      use: deref ? 'deref' : this.useOf(n, ctx),
      func: n.start < this.funcEnd ? this.funcs.length - 1 : -1,
    };
    if (from) fact.from = from;
    const size = target.elem.k === 'name' ? FIXED_SIZE[target.elem.name] : undefined;
    if (size !== undefined && fact.use === 'deref' && this.root) {
      const path = ancestors(this.root, n);
      const value = deref ? n : path[path.length - 1]!;
      const free = orderFreeValue(value, deref ? path : path.slice(0, -1), size, ctx, this.root);
      if (free) fact.orderFree = free;
    }
    const elem = target.elem.k === 'array' || target.elem.k === 'slice' ? target.elem.elem : undefined;
    if (elem?.k === 'name' && (elem.name === 'byte' || elem.name === 'uint8') && fact.use === 'other' && this.root) {
      const path = ancestors(this.root, n);
      if (keyOnly(n, path, ctx, this.root)) fact.orderFree = 'lookup-key';
    }
    this.casts.push(fact);
  }

  private isUnsafe(fn: GoNode | undefined, name: string, ctx: ExtractorContext): boolean {
    if (fn?.type !== 'selector_expression') return false;
    const op = childByField(fn, 'operand');
    const field = childByField(fn, 'field');
    return op?.type === 'identifier' && field !== undefined && ctx.text(field) === name && ctx.importPath(ctx.text(op)) === 'unsafe';
  }
}

/** Byte sizes of the fixed-size integer types whose reads can be order-free. */
const FIXED_SIZE: Readonly<Record<string, number>> = { uint16: 2, int16: 2, uint32: 4, int32: 4, uint64: 8, int64: 8 };

/** An integer literal whose `size` bytes are all equal (0x8080808080808080, 0x01010101, 0): byte order cannot change it. */
function symmetricConst(n: GoNode, size: number, ctx: ExtractorContext): boolean {
  const u = unparen(n);
  if (u.type !== 'int_literal') return false;
  const text = ctx.text(u).replace(/_/g, '');
  let big: bigint;
  try {
    big = BigInt(/^0[0-7]+$/.test(text) ? `0o${text.slice(1)}` : text.replace(/^0([oObBxX])/, (_m, b: string) => `0${b.toLowerCase()}`));
  } catch {
    return false;
  }
  if (big === 0n) return true;
  const byte = big & 0xffn;
  let rep = 0n;
  for (let i = 0; i < size; i++) rep = (rep << 8n) | byte;
  return big === rep;
}

/** `*(*T)(unsafe.Pointer(…))` or `*p`-style native read, by its text: another native-order value. */
const isNativeRead = (n: GoNode, ctx: ExtractorContext) => /^\*\s*\(\s*\*[\w.]+\s*\)\s*\(\s*unsafe\.Pointer\(/.test(ctx.text(unparen(n)));

/**
 * Whether a native-order value (`value`, with its ancestors `path`) is only used in ways byte order
 * cannot change; one local variable is followed to its uses in the enclosing function.
 */
function orderFreeValue(value: GoNode, path: GoNode[], size: number, ctx: ExtractorContext, root: GoNode, depth = 0): UnsafeCastFact['orderFree'] {
  let cur = value;
  let i = path.length - 1;
  for (;;) {
    while (i >= 0 && path[i]!.type === 'parenthesized_expression') cur = path[i--]!;
    const p = path[i];
    if (!p) return undefined;
    if (p.type === 'binary_expression') {
      const op = p.children.find((c) => !c.named && c.field === 'operator')?.type ?? '';
      const other = p.children.find((c) => c.named && c !== cur && (c.field === 'left' || c.field === 'right'));
      if (!other) return undefined;
      const symmetric = symmetricConst(other, size, ctx) || isNativeRead(other, ctx);
      if ((op === '&' || op === '|' || op === '^') && symmetric) {
        cur = p;
        i--;
        continue;
      }
      return (op === '==' || op === '!=') && symmetric ? 'symmetric-compare' : undefined;
    }
    if (p.type === 'argument_list' && namedParts(p).length === 1) {
      const call = path[i - 1];
      const fn = call && childByField(call, 'function');
      if (fn?.type === 'selector_expression') {
        const q = childByField(fn, 'operand');
        const f = childByField(fn, 'field');
        if (q?.type === 'identifier' && f && ctx.importPath(ctx.text(q)) === 'math/bits' && /^OnesCount(?:16|32|64)?$/.test(ctx.text(f))) return 'popcount';
      }
      return undefined;
    }
    // w := <value>: every use of w in the function must be order-free, and w is never assigned again.
    if (depth === 0) {
      const uses = varUses(cur, path, i, ctx, root);
      if (!uses) return undefined;
      let why: UnsafeCastFact['orderFree'];
      for (const u of uses) {
        const r = orderFreeValue(u.node, u.path, size, ctx, root, 1);
        if (!r) return undefined;
        why = why === 'symmetric-compare' ? why : r;
      }
      return why;
    }
    return undefined;
  }
}

/**
 * When `cur` (child of `path[i]`) is the whole right side of `v := cur` in a function, the uses of
 * `v` there with their ancestors; undefined when there are none, too many, or `v` is assigned again
 * or has its address taken (it is then not one value).
 */
function varUses(cur: GoNode, path: GoNode[], i: number, ctx: ExtractorContext, root: GoNode): { node: GoNode; path: GoNode[] }[] | undefined {
  const p = path[i];
  if (p?.type !== 'expression_list' || cur.field !== null || path[i - 1]?.type !== 'short_var_declaration' || p.field !== 'right' || namedParts(p).length !== 1) return undefined;
  const left = childByField(path[i - 1]!, 'left');
  const ids = left ? namedParts(left) : [];
  if (ids.length !== 1 || ids[0]!.type !== 'identifier') return undefined;
  const fn = [...path.slice(0, i - 1)].reverse().find((a) => a.type === 'function_declaration' || a.type === 'method_declaration' || a.type === 'func_literal');
  if (!fn) return undefined;
  const name = ctx.text(ids[0]!);
  const nodes: GoNode[] = [];
  const walk = (n: GoNode) => {
    if (n.type === 'identifier' && n !== ids[0] && ctx.text(n) === name) nodes.push(n);
    for (const c of n.children) walk(c);
  };
  walk(fn);
  if (nodes.length === 0 || nodes.length > 16) return undefined;
  const out: { node: GoNode; path: GoNode[] }[] = [];
  for (const node of nodes) {
    const up = ancestors(root, node);
    const parent = up[up.length - 1];
    if (parent?.type === 'expression_list' && up[up.length - 2]?.type === 'assignment_statement' && parent.field === 'left') return undefined;
    if (parent?.type === 'unary_expression' && hasToken(parent, '&')) return undefined;
    out.push({ node, path: up });
  }
  return out;
}

/** Calls that only hash their bytes or look them up as a key: any fixed mapping from a number to bytes gives the same answers. */
const KEY_CALL = /^(?:Sum(?:32|64|128)?(?:String)?|Checksum(?:IEEE)?|Hash(?:Bytes)?|Get|Set|Has|HasGet|Add|Del|Delete|Remove|Lookup|Contains)$/;

/**
 * Whether the bytes of a number (`value`, a byte-array pointer or a slice of it) only go to hashing
 * or key lookups, through at most two local variables (`bp := (*[8]byte)(…); b := bp[:]; xxhash.Sum64(b)`).
 */
function keyOnly(value: GoNode, path: GoNode[], ctx: ExtractorContext, root: GoNode, depth = 0): boolean {
  let cur = value;
  let i = path.length - 1;
  for (;;) {
    while (i >= 0 && path[i]!.type === 'parenthesized_expression') cur = path[i--]!;
    const p = path[i];
    if (!p) return false;
    if (p.type === 'slice_expression' && cur.field === 'operand') {
      cur = p;
      i--;
      continue;
    }
    if (p.type === 'argument_list') {
      let fn = path[i - 1] && childByField(path[i - 1]!, 'function');
      if (fn?.type === 'selector_expression') fn = childByField(fn, 'field');
      return fn !== undefined && KEY_CALL.test(ctx.text(fn));
    }
    if (depth >= 2) return false;
    const uses = varUses(cur, path, i, ctx, root);
    return uses !== undefined && uses.every((u) => keyOnly(u.node, u.path, ctx, root, depth + 1));
  }
}

function unparen(n: GoNode): GoNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' || cur.type === 'parenthesized_type') {
    const p = namedParts(cur);
    if (p.length !== 1) break;
    cur = p[0]!;
  }
  return cur;
}

/** A type written as a type or in expression syntax (`(*uint32)` is an expression), from syntax alone. */
function typeOfNode(n: GoNode, ctx: ExtractorContext): TypeExpr | undefined {
  const u = unparen(n);
  switch (u.type) {
    case 'identifier':
    case 'type_identifier': {
      const name = ctx.text(u);
      return ctx.isLocal(name) ? undefined : { k: 'name', name };
    }
    case 'selector_expression':
    case 'qualified_type': {
      const q = childByField(u, u.type === 'qualified_type' ? 'package' : 'operand');
      const f = childByField(u, u.type === 'qualified_type' ? 'name' : 'field');
      if (!q || !f || (q.type !== 'identifier' && q.type !== 'package_identifier')) return undefined;
      const pkg = ctx.importPath(ctx.text(q));
      return pkg === undefined ? undefined : { k: 'qual', pkg, name: ctx.text(f) };
    }
    case 'unary_expression':
    case 'pointer_type': {
      if (u.type === 'unary_expression' && !hasToken(u, '*')) return undefined;
      const inner = namedParts(u)[0];
      const t = inner ? typeOfNode(inner, ctx) : undefined;
      return t ? { k: 'ptr', elem: t } : undefined;
    }
    case 'array_type': {
      const lenNode = childByField(u, 'length');
      const elemNode = childByField(u, 'element');
      const elem = elemNode ? typeOfNode(elemNode, ctx) : undefined;
      if (!lenNode || !elem) return undefined;
      const text = ctx.text(lenNode);
      return { k: 'array', len: (lenNode.type === 'int_literal' ? parseGoInt(text) : undefined) ?? text, elem };
    }
    case 'slice_type': {
      const elemNode = childByField(u, 'element');
      const elem = elemNode ? typeOfNode(elemNode, ctx) : undefined;
      return elem ? { k: 'slice', elem } : undefined;
    }
    default:
      return undefined;
  }
}

/** Where the pointer expression `x` (the argument of unsafe.Pointer) points. */
function pointee(x: GoNode, ctx: ExtractorContext): CastSource | undefined {
  const u = unparen(x);
  if (u.type === 'unary_expression' && hasToken(u, '&')) {
    const op = childByField(u, 'operand');
    return op ? valueOf(op, ctx) : undefined;
  }
  if (u.type === 'identifier') {
    const name = ctx.text(u);
    if (!ctx.isLocal(name)) return { k: 'global', name, steps: '*' };
    const t = ctx.typeOf(u);
    return t?.k === 'ptr' ? { k: 'type', type: t.elem } : undefined;
  }
  return undefined;
}

/** The type of an addressable operand: a variable, an element of one, a slice of one. */
function valueOf(o: GoNode, ctx: ExtractorContext): CastSource | undefined {
  const u = unparen(o);
  switch (u.type) {
    case 'identifier': {
      const name = ctx.text(u);
      if (!ctx.isLocal(name)) return { k: 'global', name, steps: '' };
      const t = ctx.typeOf(u);
      return t ? { k: 'type', type: t } : undefined;
    }
    case 'index_expression':
    case 'slice_expression': {
      const op = childByField(u, 'operand');
      const base = op ? valueOf(op, ctx) : undefined;
      if (!base) return undefined;
      const step = u.type === 'index_expression' ? 'i' : 's';
      if (base.k === 'global') return { ...base, steps: base.steps + step };
      let t = base.type;
      if (t.k === 'ptr' && t.elem.k === 'array') t = t.elem;
      if (t.k !== 'array' && t.k !== 'slice') return undefined;
      return { k: 'type', type: step === 'i' ? t.elem : { k: 'slice', elem: t.elem } };
    }
    default:
      return undefined;
  }
}

export const unsafeCasts: Extractor = new UnsafeCasts();
