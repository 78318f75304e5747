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
    this.casts.push(fact);
  }

  private isUnsafe(fn: GoNode | undefined, name: string, ctx: ExtractorContext): boolean {
    if (fn?.type !== 'selector_expression') return false;
    const op = childByField(fn, 'operand');
    const field = childByField(fn, 'field');
    return op?.type === 'identifier' && field !== undefined && ctx.text(field) === name && ctx.importPath(ctx.text(op)) === 'unsafe';
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
