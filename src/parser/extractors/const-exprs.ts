/**
 * const-exprs: constant declarations (package-level and local) as evaluable expression trees,
 * the signatures of the package's functions and methods, and the places where a constant
 * expression is given an integer type: `x := c`, `var x T = c`, `x = c`, `T(c)`, arguments,
 * results, composite literal elements, indexes, `make` sizes, array lengths and operands of a
 * binary operation whose other side has a known type. Read by rules/int-overflow-32bit.ts, which
 * evaluates the expressions per platform (src/constant/expr.ts).
 *
 * Only expressions that could be constant are recorded: one with an operand that is certainly not
 * constant (a local variable, a call) is left out; a package-level name is kept, and the rule
 * decides per platform whether it names a constant.
 */
import type { Span, TypeExpr } from '../facts.js';
import type { Extractor, ExtractorContext } from '../extractor.js';
import type { GoNode } from '../syntax.js';
import { namedParts, unparen } from '../syntax.js';
import {
  type CBinOp,
  type CExpr,
  cexprSize,
  hasUnknown,
  isClosed,
  parseIntegralFloat,
  parseIntLiteral,
  parseRuneLiteral,
} from '../../constant/expr.js';

/** Where the value of a constant expression goes, i.e. which type it is given. */
export type ConstTarget =
  /** The constant takes its default type (`x := c`, `var x = c`, `_ = c`, an `any` argument). */
  | { k: 'default' }
  /** A type written in the source (or the known type of a local). */
  | { k: 'type'; type: TypeExpr }
  /** The declared type of a package-level variable. */
  | { k: 'var'; name: string }
  /**
   * Argument `index` of a call of `fn` (a package-level name, a name of imported package `pkg`, or
   * method `fn` of the package's type `recv`): a conversion when `fn` is a type, else a parameter.
   */
  | { k: 'call'; fn: string; pkg?: string; recv?: string; index: number; nargs: number }
  /** An element of a composite literal of type `lit`: field `key` of a struct, else the element or value type. */
  | { k: 'elem'; lit: TypeExpr; key?: string }
  /** An index, slice bound, `make` size or array length: any integer constant must fit in int. */
  | { k: 'index'; operand?: { k: 'type'; type: TypeExpr } | { k: 'var'; name: string } };

export interface ConstUseFact {
  target: ConstTarget;
  /** What the use is, in the compiler's words: `assignment`, `argument`, `return statement`, `index`... */
  what: string;
  expr: CExpr;
  span: Span;
  /** Source text of the expression (shortened). */
  text: string;
}

export interface ConstDeclFact {
  name: string;
  /** Span of the name. */
  span: Span;
  /** The declared type, when written (or repeated from the group's previous spec). */
  type?: TypeExpr;
  expr: CExpr;
  iota: number;
  /** Declared in a function body. */
  local?: true;
  /** Span and text of the value expression. */
  valueSpan: Span;
  text: string;
}

export interface FuncSigFact {
  name: string;
  /** Receiver base type name, for methods. */
  recv?: string;
  params: TypeExpr[];
  variadic: boolean;
}

export interface ConstExprFacts {
  consts: ConstDeclFact[];
  funcs: FuncSigFact[];
  uses: ConstUseFact[];
}

declare module '../facts.js' {
  interface FactMap {
    constExprs: ConstExprFacts;
  }
}

const BIN_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '&^', '<<', '>>']);
/** Operators whose operands must have the same type (so an untyped constant gets the other side's type). */
const TYPED_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '&^', '==', '!=', '<', '<=', '>', '>=']);
const ASSIGN_OPS: ReadonlySet<string> = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '&^=']);
const BUILTIN_FUNCS: ReadonlySet<string> = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new',
  'panic', 'print', 'println', 'real', 'recover',
]);

/** Largest expression tree recorded (a generated table is not worth evaluating). */
const MAX_NODES = 300;
const MAX_TEXT = 60;
const INT32_MAX = (1n << 31n) - 1n;

/**
 * Functions whose arguments are `...any`: an untyped constant argument becomes an int
 * (`fmt.Println(math.MaxUint32)` does not compile on 386).
 */
const ANY_ARG_FUNCS: Readonly<Record<string, ReadonlySet<string>>> = {
  fmt: new Set(['Print', 'Println', 'Printf', 'Sprint', 'Sprintln', 'Sprintf', 'Fprint', 'Fprintln', 'Fprintf', 'Errorf', 'Append', 'Appendln', 'Appendf']),
  log: new Set(['Print', 'Println', 'Printf', 'Fatal', 'Fatalln', 'Fatalf', 'Panic', 'Panicln', 'Panicf']),
};
const TESTING_METHODS: ReadonlySet<string> = new Set(['Log', 'Logf', 'Error', 'Errorf', 'Fatal', 'Fatalf', 'Skip', 'Skipf']);

interface LocalConst {
  name: string;
  expr: CExpr;
  /** Visible from `start` to `end` (offsets). */
  start: number;
  end: number;
}

interface FuncFrame {
  start: number;
  end: number;
  results: TypeExpr[] | null;
}

class State {
  facts: ConstExprFacts = { consts: [], funcs: [], uses: [] };
  locals: LocalConst[] = [];
  /** Offsets where a name is bound to something that is not a constant (it may shadow a local constant). */
  binders = new Map<string, number[]>();
  scopes: { start: number; end: number }[] = [];
  funcs: FuncFrame[] = [];
  composites: GoNode[] = [];
  elided = new Map<GoNode, TypeExpr>();
  /** Type parameters of the declaration being entered (never package types). */
  tparams = new Set<string>();
}

let st = new State();

const unknownType = (text: string): TypeExpr => ({ k: 'unknown', text });


function operatorOf(n: GoNode): string | undefined {
  for (const c of n.children) if (c.field === 'operator') return c.type;
  return undefined;
}

function shortText(ctx: ExtractorContext, n: GoNode): string {
  const t = ctx.text(n).replace(/\s+/g, ' ');
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}

/** A type as written, read without the walker's cache (which is filled only after the visit). */
function simpleType(n: GoNode | undefined, ctx: ExtractorContext): TypeExpr {
  if (!n) return unknownType('');
  switch (n.type) {
    case 'type_identifier':
    case 'identifier': {
      const name = ctx.text(n);
      if (ctx.isLocal(name) || st.tparams.has(name)) return unknownType(name);
      return { k: 'name', name };
    }
    case 'qualified_type':
    case 'selector_expression': {
      const p = ctx.child(n, 'package') ?? ctx.child(n, 'operand');
      const f = ctx.child(n, 'name') ?? ctx.child(n, 'field');
      if (!p || !f || p.type === 'selector_expression') return unknownType(ctx.text(n));
      const pkg = ctx.importPath(ctx.text(p));
      return pkg === undefined ? unknownType(ctx.text(n)) : { k: 'qual', pkg, name: ctx.text(f) };
    }
    case 'parenthesized_type':
    case 'parenthesized_expression': {
      const p = namedParts(n);
      return p.length === 1 ? simpleType(p[0], ctx) : unknownType(ctx.text(n));
    }
    case 'pointer_type':
      return { k: 'ptr', elem: simpleType(namedParts(n)[0], ctx) };
    case 'slice_type':
      return { k: 'slice', elem: simpleType(ctx.child(n, 'element'), ctx) };
    case 'array_type': {
      const len = ctx.child(n, 'length');
      return { k: 'array', len: len ? ctx.text(len) : '', elem: simpleType(ctx.child(n, 'element'), ctx) };
    }
    case 'map_type':
      return { k: 'map', key: simpleType(ctx.child(n, 'key'), ctx), value: simpleType(ctx.child(n, 'value'), ctx) };
    case 'interface_type':
      return namedParts(n).length === 0 ? { k: 'iface', methods: [], embeds: [] } : unknownType(ctx.text(n));
    default:
      return unknownType(ctx.text(n));
  }
}

/** The constant expression tree of `n`; `budget` bounds its size. */
function toCExpr(n: GoNode, ctx: ExtractorContext, budget = { left: MAX_NODES }): CExpr {
  if (--budget.left < 0) return { k: 'unknown' };
  const u = unparen(n);
  switch (u.type) {
    case 'int_literal': {
      const v = parseIntLiteral(ctx.text(u));
      return v === undefined ? { k: 'unknown' } : { k: 'lit', v: v.toString(), kind: 'int' };
    }
    case 'float_literal': {
      const v = parseIntegralFloat(ctx.text(u));
      return v === undefined ? { k: 'unknown' } : { k: 'lit', v: v.toString(), kind: 'float' };
    }
    case 'rune_literal': {
      const v = parseRuneLiteral(ctx.text(u));
      return v === undefined ? { k: 'unknown' } : { k: 'lit', v: v.toString(), kind: 'rune' };
    }
    case 'iota':
      return ctx.isLocal('iota') ? { k: 'unknown' } : { k: 'iota' };
    case 'identifier': {
      const name = ctx.text(u);
      if (name === '_') return { k: 'unknown' };
      if (ctx.isLocal(name)) return localConst(name, u.start);
      return { k: 'name', name };
    }
    case 'selector_expression': {
      const op = ctx.child(u, 'operand');
      const f = ctx.child(u, 'field');
      if (!op || !f || op.type !== 'identifier') return { k: 'unknown' };
      const pkg = ctx.importPath(ctx.text(op));
      return pkg === undefined ? { k: 'unknown' } : { k: 'qual', pkg, name: ctx.text(f) };
    }
    case 'unary_expression': {
      const op = operatorOf(u);
      const x = ctx.child(u, 'operand');
      if (!x || (op !== '-' && op !== '+' && op !== '^')) return { k: 'unknown' };
      const cx = toCExpr(x, ctx, budget);
      return cx.k === 'unknown' ? cx : { k: 'un', op, x: cx };
    }
    case 'binary_expression': {
      const op = operatorOf(u);
      const l = ctx.child(u, 'left');
      const r = ctx.child(u, 'right');
      if (!l || !r || op === undefined || !BIN_OPS.has(op)) return { k: 'unknown' };
      const x = toCExpr(l, ctx, budget);
      if (x.k === 'unknown') return x;
      const y = toCExpr(r, ctx, budget);
      return y.k === 'unknown' ? y : { k: 'bin', op: op as CBinOp, x, y };
    }
    case 'call_expression': {
      const f = ctx.child(u, 'function');
      const args = ctx.child(u, 'arguments');
      if (!f || !args || args.children.some((c) => c.type === '...')) return { k: 'unknown' };
      const a = namedParts(args);
      if (a.length !== 1) return { k: 'unknown' };
      const fu = unparen(f);
      if (fu.type === 'identifier' && BUILTIN_FUNCS.has(ctx.text(fu)) && !ctx.isLocal(ctx.text(fu))) return { k: 'unknown' };
      if (fu.type !== 'identifier' && fu.type !== 'selector_expression' && fu.type !== 'type_identifier' && fu.type !== 'qualified_type') return { k: 'unknown' };
      const fn = simpleType(fu, ctx);
      if (fn.k === 'unknown') return { k: 'unknown' };
      const x = toCExpr(a[0]!, ctx, budget);
      return x.k === 'unknown' ? x : { k: 'call', fn, x };
    }
    default:
      return { k: 'unknown' };
  }
}

/** A local constant's expression, when `name` at `pos` certainly denotes it. */
function localConst(name: string, pos: number): CExpr {
  let best: LocalConst | undefined;
  for (const l of st.locals) {
    if (l.name === name && l.start <= pos && pos < l.end && (!best || l.start > best.start)) best = l;
  }
  if (!best) return { k: 'unknown' };
  // Anything else bound to the name since (a variable, a parameter of a closure) may shadow it.
  if (st.binders.get(name)?.some((b) => b > best!.start && b < pos)) return { k: 'unknown' };
  return best.expr;
}

function substituteIota(e: CExpr, iota: number): CExpr {
  switch (e.k) {
    case 'iota':
      return { k: 'lit', v: String(iota), kind: 'int' };
    case 'un':
      return { ...e, x: substituteIota(e.x, iota) };
    case 'bin':
      return { ...e, x: substituteIota(e.x, iota), y: substituteIota(e.y, iota) };
    case 'call':
      return { ...e, x: substituteIota(e.x, iota) };
    default:
      return e;
  }
}

/** Worth recording: not unknown, and not a literal expression that fits in 32 bits anyway. */
function worthRecording(e: CExpr): boolean {
  if (hasUnknown(e) || cexprSize(e) > MAX_NODES) return false;
  if (!isClosed(e)) return true;
  const v = closedValue(e);
  return v === undefined || v > INT32_MAX || v < -INT32_MAX - 1n;
}

function closedValue(e: CExpr): bigint | undefined {
  switch (e.k) {
    case 'lit':
      return BigInt(e.v);
    case 'un': {
      const x = closedValue(e.x);
      if (x === undefined) return undefined;
      return e.op === '-' ? -x : e.op === '^' ? ~x : x;
    }
    case 'bin': {
      const x = closedValue(e.x);
      const y = closedValue(e.y);
      if (x === undefined || y === undefined) return undefined;
      switch (e.op) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/': return y === 0n ? undefined : x / y;
        case '%': return y === 0n ? undefined : x % y;
        case '&': return x & y;
        case '|': return x | y;
        case '^': return x ^ y;
        case '&^': return x & ~y;
        case '<<': return y < 0n || y > 1100n ? undefined : x << y;
        case '>>': return y < 0n ? undefined : x >> y;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Predeclared types that are certainly not integers. */
const NON_INT: ReadonlySet<string> = new Set(['bool', 'string', 'error', 'any', 'float32', 'float64', 'complex64', 'complex128']);

/** A type that may be (or be defined from) int, uint or uintptr. */
function maybeWordType(t: TypeExpr): boolean {
  return (t.k === 'name' && !NON_INT.has(t.name)) || t.k === 'qual';
}

/**
 * An integer literal of at most this many characters is never recorded: its value fits in 32 bits
 * (999999999, 0x7ffffff, 0o7777777...) or it is not valid (then unknown): worthRecording says no to both.
 * Generated tables are mostly such literals.
 */
const SHORT_INT_LITERAL = 9;

function use(ctx: ExtractorContext, n: GoNode, target: ConstTarget, what: string): void {
  if (n.type === 'int_literal' && n.end - n.start <= SHORT_INT_LITERAL) return;
  if (target.k === 'type' && !maybeWordType(target.type)) return;
  const expr = toCExpr(n, ctx);
  if (!worthRecording(expr)) return;
  st.facts.uses.push({ target, what, expr, span: ctx.span(n), text: shortText(ctx, n) });
}

function bindName(name: string, pos: number): void {
  const l = st.binders.get(name);
  if (l) l.push(pos);
  else st.binders.set(name, [pos]);
}

function innermostScope(pos: number): { start: number; end: number } | undefined {
  while (st.scopes.length > 0 && st.scopes[st.scopes.length - 1]!.end <= pos) st.scopes.pop();
  return st.scopes[st.scopes.length - 1];
}

function enclosingFunc(pos: number): FuncFrame | undefined {
  while (st.funcs.length > 0 && st.funcs[st.funcs.length - 1]!.end <= pos) st.funcs.pop();
  const f = st.funcs[st.funcs.length - 1];
  return f && f.start <= pos ? f : undefined;
}

/** Parameter types of a parameter list, expanded per name; `variadic` when the last is `...T`. */
function paramTypes(list: GoNode | undefined, ctx: ExtractorContext): { types: TypeExpr[]; variadic: boolean } {
  const types: TypeExpr[] = [];
  let variadic = false;
  if (!list) return { types, variadic };
  if (list.type !== 'parameter_list') return { types: [simpleType(list, ctx)], variadic };
  const pds = namedParts(list).filter((p) => p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration');
  const anyNamed = pds.some((pd) => pd.children.some((c) => c.field === 'name'));
  let pending = 0;
  for (const pd of pds) {
    const typeNode = ctx.child(pd, 'type');
    const names = pd.children.filter((c) => c.field === 'name' && !c.missing).length;
    // tree-sitter-go reads `(a, b, c int)` in long lists as type-only parameters followed by a
    // named group (see walker.paramList): a bare identifier then is a name of the next group.
    if (anyNamed && names === 0 && typeNode?.type === 'type_identifier' && pd.type === 'parameter_declaration') {
      pending++;
      continue;
    }
    const t = simpleType(typeNode, ctx);
    const count = pending + Math.max(names, 1);
    pending = 0;
    for (let i = 0; i < count; i++) types.push(t);
    if (pd.type === 'variadic_parameter_declaration') variadic = true;
  }
  return { types, variadic };
}

function typeParamNames(n: GoNode, ctx: ExtractorContext): void {
  st.tparams = new Set();
  const tp = ctx.child(n, 'type_parameters');
  if (tp) {
    for (const d of namedParts(tp)) for (const c of d.children) if (c.field === 'name') st.tparams.add(ctx.text(c));
  }
  const recv = ctx.child(n, 'receiver');
  if (recv) {
    // `func (s *S[K, V]) M(...)`: K and V are type parameters.
    const walk = (x: GoNode): void => {
      if (x.type === 'type_arguments') {
        for (const te of namedParts(x)) for (const id of namedParts(te)) if (id.type === 'type_identifier') st.tparams.add(ctx.text(id));
        return;
      }
      for (const c of x.children) walk(c);
    };
    walk(recv);
  }
}

function funcDecl(n: GoNode, ctx: ExtractorContext): void {
  typeParamNames(n, ctx);
  const params = paramTypes(ctx.child(n, 'parameters'), ctx);
  const resultNode = ctx.child(n, 'result');
  const results = resultNode ? paramTypes(resultNode, ctx).types : [];
  const body = ctx.child(n, 'body');
  if (body) st.funcs.push({ start: n.start, end: n.end, results });
  const nameNode = ctx.child(n, 'name');
  if (n.type === 'func_literal' || !nameNode) return;
  const sig: FuncSigFact = { name: ctx.text(nameNode), params: params.types, variadic: params.variadic };
  if (n.type === 'method_declaration') {
    const recvList = ctx.child(n, 'receiver');
    const pd = recvList ? namedParts(recvList)[0] : undefined;
    let t = pd ? ctx.child(pd, 'type') : undefined;
    while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = namedParts(t)[0];
    if (t?.type === 'generic_type') t = ctx.child(t, 'type');
    if (!t || t.type !== 'type_identifier') return;
    sig.recv = ctx.text(t);
  }
  st.facts.funcs.push(sig);
}

function constDecl(n: GoNode, ctx: ExtractorContext): void {
  const local = st.funcs.length > 0 && enclosingFunc(n.start) !== undefined;
  const scope = local ? innermostScope(n.start) : undefined;
  let prevType: TypeExpr | undefined;
  let prevValues: readonly GoNode[] = [];
  let iota = 0;
  for (const spec of namedParts(n)) {
    if (spec.type !== 'const_spec') continue;
    const typeNode = ctx.child(spec, 'type');
    const valueNode = ctx.child(spec, 'value');
    let type: TypeExpr | undefined;
    let values: readonly GoNode[];
    if (valueNode) {
      values = namedParts(valueNode);
      type = typeNode ? simpleType(typeNode, ctx) : undefined;
      prevValues = values;
      prevType = type;
    } else {
      // Implicit repetition of the previous expression list (and its type).
      values = prevValues;
      type = prevType;
    }
    const names = spec.children.filter((c) => c.field === 'name' && c.named && !c.missing);
    const newLocals: LocalConst[] = [];
    names.forEach((id, i) => {
      const name = ctx.text(id);
      const v = values[i];
      let expr: CExpr = v ? toCExpr(v, ctx) : { k: 'unknown' };
      if (local) {
        expr = substituteIota(expr, iota);
        // A typed local constant is evaluated through a conversion, which keeps its type.
        const inlined: CExpr = type && type.k !== 'unknown' ? { k: 'call', fn: type, x: expr } : expr;
        if (name !== '_' && scope) newLocals.push({ name, expr: cexprSize(inlined) > MAX_NODES ? { k: 'unknown' } : inlined, start: spec.end, end: scope.end });
      }
      if (name === '_' && !local) return;
      // Local untyped constants matter only where they are used; typed ones are checked where declared.
      if (local && !type) return;
      if (local && !worthRecording(expr)) return;
      const f: ConstDeclFact = {
        name,
        span: ctx.span(id),
        expr: !local && cexprSize(expr) > MAX_NODES ? { k: 'unknown' } : expr,
        iota,
        // Go reports a problem of an implicitly repeated expression at the name.
        valueSpan: v && valueNode ? ctx.span(v) : ctx.span(id),
        text: v ? shortText(ctx, v) : name,
      };
      if (type) f.type = type;
      if (local) f.local = true;
      st.facts.consts.push(f);
    });
    // Names of a spec are in scope after the spec (a spec cannot refer to its own names).
    st.locals.push(...newLocals);
    iota++;
  }
}

function targetOfLeft(left: GoNode, ctx: ExtractorContext, op: string): ConstTarget | undefined {
  const l = unparen(left);
  if (l.type === 'identifier') {
    const name = ctx.text(l);
    if (name === '_') return op === '=' ? { k: 'default' } : undefined;
    if (ctx.isLocal(name)) {
      const t = ctx.localType(name);
      return t ? { k: 'type', type: t } : undefined;
    }
    return { k: 'var', name };
  }
  const t = ctx.typeOf(l);
  return t ? { k: 'type', type: t } : undefined;
}

/** The type of a non-constant operand, when known: a typed local, a package variable, len/cap. */
function operandTarget(side: GoNode, ctx: ExtractorContext): ConstTarget | undefined {
  const s = unparen(side);
  if (s.type === 'identifier') {
    const name = ctx.text(s);
    if (name === '_' || name === 'iota') return undefined;
    if (ctx.isLocal(name)) {
      const t = ctx.localType(name);
      return t ? { k: 'type', type: t } : undefined;
    }
    return { k: 'var', name };
  }
  if (s.type === 'call_expression') {
    const f = ctx.child(s, 'function');
    if (f?.type === 'identifier') {
      const fn = ctx.text(f);
      if ((fn === 'len' || fn === 'cap') && !ctx.isLocal(fn)) return { k: 'type', type: { k: 'name', name: 'int' } };
    }
    return undefined;
  }
  const t = ctx.typeOf(s);
  return t ? { k: 'type', type: t } : undefined;
}

function binary(n: GoNode, ctx: ExtractorContext): void {
  const op = operatorOf(n);
  if (op === undefined || !TYPED_OPS.has(op)) return;
  const l = ctx.child(n, 'left');
  const r = ctx.child(n, 'right');
  if (!l || !r) return;
  const what = op === '==' || op === '!=' || op.startsWith('<') || op.startsWith('>') ? 'comparison' : 'operation';
  for (const [typed, c] of [
    [l, r],
    [r, l],
  ] as const) {
    const t = operandTarget(typed, ctx);
    if (t) use(ctx, c, t, what);
  }
}

function call(n: GoNode, ctx: ExtractorContext): void {
  const f = ctx.child(n, 'function');
  const argsNode = ctx.child(n, 'arguments');
  if (!f || !argsNode) return;
  const args = namedParts(argsNode);
  if (args.length === 0 || argsNode.children.some((c) => c.type === '...')) return;
  const fu = unparen(f);
  if (fu.type === 'identifier') {
    const fn = ctx.text(fu);
    if (ctx.isLocal(fn)) return;
    if (fn === 'make') {
      for (const a of args.slice(1)) use(ctx, a, { k: 'index' }, 'make');
      return;
    }
    if (BUILTIN_FUNCS.has(fn)) return;
    args.forEach((a, i) => use(ctx, a, { k: 'call', fn, index: i, nargs: args.length }, `argument to ${fn}`));
    return;
  }
  if (fu.type === 'selector_expression') {
    const op = ctx.child(fu, 'operand');
    const field = ctx.child(fu, 'field');
    if (!op || !field) return;
    const fn = ctx.text(field);
    if (op.type === 'identifier') {
      const pkg = ctx.importPath(ctx.text(op));
      if (pkg !== undefined) {
        const what = `argument to ${ctx.text(op)}.${fn}`;
        if (ANY_ARG_FUNCS[pkg]?.has(fn)) {
          for (const a of args) use(ctx, a, { k: 'default' }, what);
        } else {
          args.forEach((a, i) => use(ctx, a, { k: 'call', fn, pkg, index: i, nargs: args.length }, what));
        }
        return;
      }
    }
    let t = ctx.typeOf(op);
    if (t?.k === 'ptr') t = t.elem;
    if (!t) return;
    if (t.k === 'qual' && t.pkg === 'testing' && ['T', 'B', 'F', 'TB'].includes(t.name) && TESTING_METHODS.has(fn)) {
      for (const a of args) use(ctx, a, { k: 'default' }, `argument to ${ctx.text(op)}.${fn}`);
      return;
    }
    if (t.k === 'name') {
      args.forEach((a, i) => use(ctx, a, { k: 'call', fn, recv: t.name, index: i, nargs: args.length }, `argument to ${ctx.text(op)}.${fn}`));
    }
    return;
  }
  if (fu.type === 'type_identifier' || fu.type === 'qualified_type') {
    // `(T)(c)` parses with a type node as the function.
    const ty = simpleType(fu, ctx);
    if (ty.k === 'name' && args.length === 1) use(ctx, args[0]!, { k: 'call', fn: ty.name, index: 0, nargs: 1 }, 'conversion');
    else if (ty.k === 'qual' && args.length === 1) use(ctx, args[0]!, { k: 'call', fn: ty.name, pkg: ty.pkg, index: 0, nargs: 1 }, 'conversion');
  }
}

function literalValue(n: GoNode, ctx: ExtractorContext): void {
  let type: TypeExpr | undefined = st.elided.get(n);
  if (!type) {
    while (st.composites.length > 0 && st.composites[st.composites.length - 1]!.end <= n.start) st.composites.pop();
    const top = st.composites[st.composites.length - 1];
    if (top && ctx.child(top, 'body') === n) type = top.ty;
  }
  if (!type) return;
  while (type.k === 'ptr') type = type.elem;
  const elemType = type.k === 'slice' || type.k === 'array' ? type.elem : type.k === 'map' ? type.value : undefined;
  for (const el of namedParts(n)) {
    let valueNode: GoNode | undefined;
    let key: string | undefined;
    if (el.type === 'literal_element') valueNode = el;
    else if (el.type === 'keyed_element') {
      const k = ctx.child(el, 'key');
      valueNode = ctx.child(el, 'value');
      const kid = k ? namedParts(k)[0] : undefined;
      if (kid?.type === 'identifier') key = ctx.text(kid);
      if (k && kid?.type === 'literal_value' && type.k === 'map') st.elided.set(kid, type.key);
    } else continue;
    const v = valueNode ? namedParts(valueNode)[0] : undefined;
    if (!v) continue;
    if (v.type === 'literal_value') {
      if (elemType) st.elided.set(v, elemType);
      continue;
    }
    if (el.type === 'literal_element' && type.k !== 'slice' && type.k !== 'array' && type.k !== 'name' && type.k !== 'qual') continue;
    const target: ConstTarget = { k: 'elem', lit: type };
    if (key !== undefined) target.key = key;
    use(ctx, v, target, type.k === 'map' ? 'map literal' : type.k === 'slice' || type.k === 'array' ? 'array or slice literal' : 'struct literal');
  }
}

export const constExprsExtractor: Extractor = {
  name: 'const-exprs',
  nodeTypes: [
    'function_declaration', 'method_declaration', 'func_literal', 'const_declaration', 'var_spec',
    'short_var_declaration', 'assignment_statement', 'return_statement', 'call_expression',
    'binary_expression', 'index_expression', 'slice_expression', 'array_type', 'composite_literal',
    'literal_value', 'block', 'expression_case', 'default_case', 'type_case', 'communication_case',
    'parameter_declaration', 'variadic_parameter_declaration', 'range_clause', 'type_switch_statement',
    'receive_statement', 'type_spec', 'type_alias',
  ],
  begin() {
    st = new State();
  },
  visit(n, ctx) {
    switch (n.type) {
      case 'function_declaration':
      case 'method_declaration':
      case 'func_literal':
        funcDecl(n, ctx);
        return;
      case 'block':
      case 'expression_case':
      case 'default_case':
      case 'type_case':
      case 'communication_case':
        while (st.scopes.length > 0 && st.scopes[st.scopes.length - 1]!.end <= n.start) st.scopes.pop();
        st.scopes.push({ start: n.start, end: n.end });
        return;
      case 'const_declaration':
        constDecl(n, ctx);
        return;
      case 'parameter_declaration':
      case 'variadic_parameter_declaration':
      case 'type_spec':
      case 'type_alias':
        for (const c of n.children) if (c.field === 'name') bindName(ctx.text(c), c.start);
        return;
      case 'range_clause':
      case 'receive_statement':
      case 'type_switch_statement': {
        const left = ctx.child(n, 'left') ?? ctx.child(n, 'alias');
        if (left) for (const id of left.type === 'expression_list' ? namedParts(left) : [left]) if (id.type === 'identifier') bindName(ctx.text(id), id.start);
        return;
      }
      case 'var_spec': {
        const names = n.children.filter((c) => c.field === 'name' && c.named && !c.missing);
        for (const id of names) bindName(ctx.text(id), id.start);
        const typeNode = ctx.child(n, 'type');
        const valueNode = ctx.child(n, 'value');
        if (!valueNode) return;
        const values = namedParts(valueNode);
        if (values.length !== names.length) return;
        const type = typeNode ? simpleType(typeNode, ctx) : undefined;
        if (type?.k === 'unknown') return;
        for (const v of values) use(ctx, v, type ? { k: 'type', type } : { k: 'default' }, 'variable declaration');
        return;
      }
      case 'short_var_declaration': {
        const left = ctx.child(n, 'left');
        const right = ctx.child(n, 'right');
        if (!left || !right) return;
        const ids = namedParts(left);
        const values = namedParts(right);
        for (const id of ids) bindName(ctx.text(id), id.start);
        if (ids.length !== values.length) return;
        ids.forEach((id, i) => {
          // With several names, an existing variable of the same scope may be reused: skip those.
          if (ids.length > 1 && ctx.isLocal(ctx.text(id))) return;
          use(ctx, values[i]!, { k: 'default' }, ids.length > 1 ? 'multiple assignment' : 'assignment');
        });
        return;
      }
      case 'assignment_statement': {
        const op = operatorOf(n);
        if (op === undefined || !ASSIGN_OPS.has(op)) return;
        const left = ctx.child(n, 'left');
        const right = ctx.child(n, 'right');
        if (!left || !right) return;
        const ls = namedParts(left);
        const rs = namedParts(right);
        if (ls.length !== rs.length) return;
        ls.forEach((l, i) => {
          const t = targetOfLeft(l, ctx, op);
          if (t) use(ctx, rs[i]!, t, op === '=' ? (ls.length > 1 ? 'multiple assignment' : ctx.text(l) === '_' ? 'assignment to _ identifier' : 'assignment') : 'operation');
        });
        return;
      }
      case 'return_statement': {
        const f = enclosingFunc(n.start);
        const list = namedParts(n)[0];
        if (!f?.results || !list) return;
        const values = list.type === 'expression_list' ? namedParts(list) : [list];
        if (values.length !== f.results.length) return;
        values.forEach((v, i) => {
          const t = f.results![i]!;
          if (t.k !== 'unknown') use(ctx, v, { k: 'type', type: t }, 'return statement');
        });
        return;
      }
      case 'call_expression':
        call(n, ctx);
        return;
      case 'binary_expression':
        binary(n, ctx);
        return;
      case 'index_expression': {
        const op = ctx.child(n, 'operand');
        const idx = ctx.child(n, 'index');
        if (!op || !idx) return;
        const o = unparen(op);
        let operand: { k: 'type'; type: TypeExpr } | { k: 'var'; name: string } | undefined;
        if (o.type === 'identifier' && !ctx.isLocal(ctx.text(o))) operand = { k: 'var', name: ctx.text(o) };
        else {
          const t = ctx.typeOf(o);
          if (t) operand = { k: 'type', type: t };
        }
        if (operand) use(ctx, idx, { k: 'index', operand }, 'index');
        return;
      }
      case 'slice_expression':
        for (const f of ['start', 'end', 'capacity']) {
          const x = ctx.child(n, f);
          if (x) use(ctx, x, { k: 'index' }, 'slice index');
        }
        return;
      case 'array_type': {
        const len = ctx.child(n, 'length');
        if (len) use(ctx, len, { k: 'index' }, 'array length');
        return;
      }
      case 'composite_literal':
        while (st.composites.length > 0 && st.composites[st.composites.length - 1]!.end <= n.start) st.composites.pop();
        st.composites.push(n);
        return;
      case 'literal_value':
        literalValue(n, ctx);
        return;
    }
  },
  finish(ctx) {
    const f = st.facts;
    if (f.consts.length > 0 || f.funcs.length > 0 || f.uses.length > 0) ctx.facts.extra.constExprs = f;
    st = new State();
  },
};
