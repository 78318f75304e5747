/**
 * atomic-calls: the facts the atomic-alignment rule needs, gathered on the single walk.
 *
 * - `calls`: calls of sync/atomic's 64-bit functions whose address argument is a field path
 *   (`&x.f`, `&(x.f)`, `&x.a.b.f`, `&arr[i].f`, `&x.f[i]`, also under pointer conversions) or a
 *   pointer to a named type converted (`(*uint64)(c)`), and method calls on a field path
 *   (`x.n.Add(1)`) whose method name is one of the 64-bit atomic wrappers' (go.uber.org/atomic):
 *   the rule decides from the field's type whether it is such a wrapper.
 * - `elems`: array and slice types whose element is a named type by value (`[]T`, `[4]pkg.T`):
 *   elements after the first of a type whose size is not a multiple of 8 are misaligned.
 * - `consts`: package-level constant expressions (array lengths such as `[numBuckets]uint64`).
 */
import type { Span, TypeExpr } from '../facts.js';
import type { Extractor, ExtractorContext } from '../extractor.js';
import { parseGoInt } from '../go-text.js';
import { childByField, hasToken, namedParts, type GoNode, unparen } from '../syntax.js';

/** sync/atomic functions that need an 8-byte aligned word (Go 1.23 added And/Or). */
export const ATOMIC_FUNCS_64: ReadonlySet<string> = new Set([
  'AddInt64', 'AddUint64', 'LoadInt64', 'LoadUint64', 'StoreInt64', 'StoreUint64', 'SwapInt64', 'SwapUint64',
  'CompareAndSwapInt64', 'CompareAndSwapUint64', 'AndInt64', 'AndUint64', 'OrInt64', 'OrUint64',
]);

/** Methods of go.uber.org/atomic's Int64, Uint64, Float64 and Duration that access the word atomically. */
export const WRAPPER_METHODS: ReadonlySet<string> = new Set([
  'Load', 'Store', 'Add', 'Sub', 'Inc', 'Dec', 'Swap', 'CAS', 'CompareAndSwap', 'String', 'MarshalJSON',
  'UnmarshalJSON',
]);

/**
 * Where the address path starts.
 * - `local`: a local variable, parameter or receiver (or an expression) of known type
 * - `fresh`: a new allocation (`T{}`, `&T{}`, `new(T)`)
 * - `global` / `qualGlobal`: a package-level variable of this or an imported package
 * - `unknown`: a root whose type the file doesn't tell (the rule counts the skip)
 */
export type AtomicRoot =
  | { k: 'local'; type: TypeExpr }
  | { k: 'fresh'; type: TypeExpr }
  | { k: 'global'; name: string }
  | { k: 'qualGlobal'; pkg: string; name: string }
  | { k: 'unknown'; reason: string };

/** A step of the path: a field name, a constant index, or `null` for an index not known here. */
export type AtomicStep = string | number | null;

export interface AtomicCallFact {
  /** `func`: a sync/atomic function (`name` is its name); `method`: a method call `path.name()`. */
  kind: 'func' | 'method';
  name: string;
  root: AtomicRoot;
  steps: AtomicStep[];
  /** The address argument (`&x.f`) or the method's operand (`x.n`). */
  span: Span;
}

/** `[]T`, `[N]T`: a slice or array of a named type by value. */
export interface ElemUseFact {
  elem: Extract<TypeExpr, { k: 'name' | 'qual' }>;
  /** Array length (number, or the expression text); absent for a slice. */
  len?: number | string;
  span: Span;
}

/** A package-level constant: its value expression and the value of `iota` in its spec. */
export interface ConstFact {
  name: string;
  expr: string;
  iota: number;
}

export interface AtomicCallsFacts {
  calls: AtomicCallFact[];
  elems: ElemUseFact[];
  consts: ConstFact[];
}

declare module '../facts.js' {
  interface FactMap {
    atomicCalls: AtomicCallsFacts;
  }
}

const MAX_STEPS = 32;


/** Splits `x.a[i].b` into its root expression and steps; undefined if the path has other forms. */
function pathOf(n: GoNode, ctx: ExtractorContext): { root: AtomicRoot; steps: AtomicStep[] } | undefined {
  const steps: AtomicStep[] = [];
  let cur = unparen(n);
  for (let i = 0; i < MAX_STEPS; i++) {
    if (cur.type === 'selector_expression') {
      const op = childByField(cur, 'operand');
      const f = childByField(cur, 'field');
      if (!op || !f || f.missing) return undefined;
      const inner = unparen(op);
      // pkg.Var.f: a variable of an imported package.
      if (inner.type === 'identifier') {
        const pkg = ctx.importPath(ctx.text(inner));
        if (pkg !== undefined) {
          if (!steps.some((s) => typeof s === 'string')) return undefined;
          steps.reverse();
          return { root: { k: 'qualGlobal', pkg, name: ctx.text(f) }, steps };
        }
      }
      steps.push(ctx.text(f));
      cur = inner;
      continue;
    }
    if (cur.type === 'index_expression') {
      const op = childByField(cur, 'operand');
      const ix = childByField(cur, 'index');
      if (!op || !ix) return undefined;
      const lit = unparen(ix);
      steps.push(lit.type === 'int_literal' ? parseGoInt(ctx.text(lit)) ?? null : null);
      cur = unparen(op);
      continue;
    }
    // `(*p).f`: selection dereferences implicitly, so an explicit `*` on the way changes nothing.
    if (cur.type === 'unary_expression' && hasToken(cur, '*') && steps.length > 0) {
      const op = childByField(cur, 'operand');
      if (!op) return undefined;
      cur = unparen(op);
      continue;
    }
    break;
  }
  if (!steps.some((s) => typeof s === 'string')) return undefined;
  steps.reverse();
  return { root: rootOf(cur, ctx), steps };
}

/**
 * The address argument: `&path`, also under pointer conversions (`(*int64)(unsafe.Pointer(&x.f))`),
 * or a pointer variable converted to the word's type (`(*uint64)(c)` with `c *counter`, where
 * `type counter uint64`): the word is then the start of whatever `c` points to.
 */
function addressOf(arg: GoNode, ctx: ExtractorContext): { root: AtomicRoot; steps: AtomicStep[] } | undefined {
  let a = unparen(arg);
  for (let depth = 0; depth < 4; depth++) {
    if (a.type === 'unary_expression' && hasToken(a, '&')) {
      const operand = childByField(a, 'operand');
      return operand && pathOf(operand, ctx);
    }
    if (a.type === 'identifier' && depth > 0) {
      const t = ctx.isLocal(ctx.text(a)) ? ctx.localType(ctx.text(a)) : undefined;
      const e = t?.k === 'ptr' ? t.elem : undefined;
      const named = e?.k === 'qual' || (e?.k === 'name' && !PREDECLARED_TYPES.has(e.name));
      return named ? { root: { k: 'local', type: t! }, steps: [] } : undefined;
    }
    if (a.type !== 'call_expression' || !isPointerConversion(childByField(a, 'function'), ctx)) return undefined;
    const args = childByField(a, 'arguments');
    const only = args ? namedParts(args) : [];
    if (only.length !== 1) return undefined;
    a = unparen(only[0]!);
  }
  return undefined;
}

/** `(*T)` or `unsafe.Pointer` in function position. */
function isPointerConversion(fn: GoNode | undefined, ctx: ExtractorContext): boolean {
  if (!fn) return false;
  if (fn.type === 'selector_expression') {
    const op = childByField(fn, 'operand');
    const f = childByField(fn, 'field');
    return op?.type === 'identifier' && ctx.importPath(ctx.text(op)) === 'unsafe' && f !== undefined && ctx.text(f) === 'Pointer';
  }
  const inner = fn.type === 'parenthesized_expression' ? namedParts(fn)[0] : undefined;
  return (inner?.type === 'unary_expression' && hasToken(inner, '*')) || inner?.type === 'pointer_type';
}

function rootOf(n: GoNode, ctx: ExtractorContext): AtomicRoot {
  if (n.type === 'identifier') {
    const name = ctx.text(n);
    if (ctx.isLocal(name)) {
      const t = ctx.localType(name);
      return t ? { k: 'local', type: t } : { k: 'unknown', reason: 'unknown-local-type' };
    }
    if (ctx.importPath(name) !== undefined) return { k: 'unknown', reason: 'package-name' };
    return { k: 'global', name };
  }
  const t = ctx.typeOf(n);
  if (!t) return { k: 'unknown', reason: 'unknown-root-type' };
  let e = n;
  if (e.type === 'unary_expression' && hasToken(e, '&')) e = unparen(childByField(e, 'operand') ?? e);
  const fresh = e.type === 'composite_literal'
    || (e.type === 'call_expression' && ctx.text(childByField(e, 'function') ?? e) === 'new');
  return { k: fresh ? 'fresh' : 'local', type: t };
}

/** Predeclared types: never a struct, so never interesting as elements. */
const PREDECLARED_TYPES: ReadonlySet<string> = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64',
  'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', '_',
]);

function namedElem(n: GoNode | undefined, ctx: ExtractorContext): ElemUseFact['elem'] | undefined {
  if (!n || n.missing) return undefined;
  if (n.type === 'type_identifier') {
    const name = ctx.text(n);
    return ctx.isLocal(name) || PREDECLARED_TYPES.has(name) ? undefined : { k: 'name', name };
  }
  if (n.type === 'qualified_type') {
    const p = childByField(n, 'package');
    const nm = childByField(n, 'name');
    if (!p || !nm) return undefined;
    const pkg = ctx.importPath(ctx.text(p));
    return pkg === undefined ? undefined : { k: 'qual', pkg, name: ctx.text(nm) };
  }
  if (n.type === 'parenthesized_type') return namedElem(namedParts(n)[0], ctx);
  return undefined;
}

let facts: AtomicCallsFacts = { calls: [], elems: [], consts: [] };
let seenElems = new Set<string>();

function topConsts(root: GoNode, ctx: ExtractorContext): void {
  for (const decl of root.children) {
    if (decl.type !== 'const_declaration') continue;
    let prev: GoNode[] = [];
    let iota = 0;
    for (const spec of namedParts(decl)) {
      if (spec.type !== 'const_spec') continue;
      const names = spec.children.filter((c) => c.field === 'name' && c.named && !c.missing);
      const value = childByField(spec, 'value');
      const values = value ? namedParts(value) : prev;
      if (value) prev = values;
      if (values.length === names.length) {
        names.forEach((id, i) => {
          const name = ctx.text(id);
          if (name !== '_') facts.consts.push({ name, expr: ctx.text(values[i]!), iota });
        });
      }
      iota++;
    }
  }
}

export const atomicCalls: Extractor = {
  name: 'atomic-calls',
  nodeTypes: ['source_file', 'call_expression', 'slice_type', 'array_type'],
  begin() {
    facts = { calls: [], elems: [], consts: [] };
    seenElems = new Set();
  },
  visit(n, ctx) {
    switch (n.type) {
      case 'source_file':
        return topConsts(n, ctx);
      case 'slice_type':
      case 'array_type': {
        const elem = namedElem(childByField(n, 'element'), ctx);
        if (!elem) return;
        let len: number | string | undefined;
        if (n.type === 'array_type') {
          const l = childByField(n, 'length');
          if (!l) return;
          const text = ctx.text(l);
          len = (l.type === 'int_literal' ? parseGoInt(text) : undefined) ?? text;
        }
        const key = `${len ?? ''}|${elem.k === 'qual' ? elem.pkg : ''}.${elem.name}`;
        if (seenElems.has(key)) return;
        seenElems.add(key);
        facts.elems.push(len === undefined ? { elem, span: ctx.span(n) } : { elem, len, span: ctx.span(n) });
        return;
      }
      case 'call_expression': {
        const fn = childByField(n, 'function');
        const args = childByField(n, 'arguments');
        if (fn?.type !== 'selector_expression' || !args) return;
        const op = childByField(fn, 'operand');
        const f = childByField(fn, 'field');
        if (!op || !f) return;
        const name = ctx.text(f);
        if (op.type === 'identifier' && ctx.importPath(ctx.text(op)) === 'sync/atomic') {
          if (!ATOMIC_FUNCS_64.has(name)) return;
          const a0 = namedParts(args)[0];
          const p = a0 && addressOf(a0, ctx);
          if (p) facts.calls.push({ kind: 'func', name, ...p, span: ctx.span(a0) });
          return;
        }
        if (!WRAPPER_METHODS.has(name)) return;
        const p = pathOf(op, ctx);
        if (p) facts.calls.push({ kind: 'method', name, ...p, span: ctx.span(op) });
        return;
      }
      default:
    }
  },
  finish(ctx) {
    if (facts.calls.length || facts.elems.length || facts.consts.length) ctx.facts.extra.atomicCalls = facts;
  },
};
