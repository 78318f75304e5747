/**
 * Go integer constant expressions, exactly (BigInt), per platform.
 *
 * `CExpr` is a tiny, JSON-serializable expression tree that extractors record (literals, iota,
 * names, unary and binary operators, one-argument calls that may be conversions); anything else is
 * `unknown`. `evalConst` evaluates it with Go's rules for untyped and typed constants (go/types
 * `constant` arithmetic, representability), given an environment that resolves names for one
 * platform. Only integer constants are evaluated: strings, booleans, non-integral floats and
 * complex numbers are unknown, and an unknown operand makes the whole expression unknown.
 */
import type { TypeExpr } from '../parser/facts.js';

export type CBinOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '&^' | '<<' | '>>';
export type CUnOp = '-' | '+' | '^';

export type CExpr =
  /** An integer, rune or (integral) float literal; `v` is the decimal value. */
  | { k: 'lit'; v: string; kind: UntypedKind }
  | { k: 'iota' }
  /** A package-level name of the file's package. */
  | { k: 'name'; name: string }
  /** `pkg.Name` of an imported package (`pkg` is the import path). */
  | { k: 'qual'; pkg: string; name: string }
  | { k: 'un'; op: CUnOp; x: CExpr }
  | { k: 'bin'; op: CBinOp; x: CExpr; y: CExpr }
  /** `F(x)`: a conversion when F names a type (decided per platform), else not constant. */
  | { k: 'call'; fn: TypeExpr; x: CExpr }
  | { k: 'unknown' };

export type UntypedKind = 'int' | 'rune' | 'float';

export type IntBasic =
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';

/** The platform-dependent integer types: 32 bits on 386, arm, mips, mipsle; 64 bits elsewhere. */
export const WORD_TYPES: ReadonlySet<IntBasic> = new Set(['int', 'uint', 'uintptr']);

export interface CType {
  basic: IntBasic;
  /** How the type is written (`int`, `MyInt`, `pkg.Size`). */
  name: string;
}

/** A constant value: untyped (with its kind) or typed with an integer type. */
export interface CValue {
  v: bigint;
  kind: UntypedKind;
  type?: CType;
}

/** A platform-dependent overflow met while evaluating: Go rejects the expression on this platform. */
export interface COverflow {
  /** `typed`: an operation on typed int/uint/uintptr operands; `convert`: T(x); `operand`: an untyped operand converted to the other operand's type. */
  how: 'typed' | 'convert' | 'operand';
  type: CType;
  v: bigint;
}

export interface ConstEnv {
  /** 32 or 64: the size of int, uint and uintptr. */
  readonly wordBits: 32 | 64;
  readonly iota: number | undefined;
  /** A package-level constant's value, or undefined when the name is not a known constant. */
  name(name: string): CValue | undefined;
  /** An imported package's constant. */
  qual(pkg: string, name: string): CValue | undefined;
  /**
   * What a type expression denotes: an integer type, `'other'` for a known non-integer type
   * (float64, string, a struct...), or undefined when it is not a type or not known.
   */
  type(t: TypeExpr): CType | 'other' | undefined;
}

export interface EvalResult {
  value: CValue | undefined;
  overflow?: COverflow;
}

/** Bit size and signedness of an integer type on a platform. */
export function intRange(basic: IntBasic, wordBits: 32 | 64): { min: bigint; max: bigint } {
  let bits: number;
  let signed: boolean;
  switch (basic) {
    case 'int': bits = wordBits; signed = true; break;
    case 'uint': case 'uintptr': bits = wordBits; signed = false; break;
    default: {
      signed = basic.startsWith('int');
      bits = Number(basic.slice(signed ? 3 : 4));
    }
  }
  const b = BigInt(bits);
  return signed ? { min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n } : { min: 0n, max: (1n << b) - 1n };
}

export function fits(v: bigint, basic: IntBasic, wordBits: 32 | 64): boolean {
  const r = intRange(basic, wordBits);
  return v >= r.min && v <= r.max;
}

const BASIC_NAMES: Readonly<Record<string, IntBasic | 'other'>> = {
  int: 'int', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64',
  uint: 'uint', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', uintptr: 'uintptr',
  byte: 'uint8', rune: 'int32',
  float32: 'other', float64: 'other', complex64: 'other', complex128: 'other', string: 'other', bool: 'other',
};

/** The predeclared type a name denotes (when the package does not redeclare it). */
export function predeclaredType(name: string): CType | 'other' | undefined {
  const b = BASIC_NAMES[name];
  if (b === undefined) return undefined;
  return b === 'other' ? 'other' : { basic: b, name };
}

/**
 * Integer constants of the standard library that code compares with or assigns: all untyped.
 * math.MaxInt, MinInt and MaxUint, bits.UintSize and strconv.IntSize depend on the word size.
 */
export function stdConst(pkg: string, name: string, wordBits: 32 | 64): CValue | undefined {
  const u = (v: bigint): CValue => ({ v, kind: 'int' });
  const w = BigInt(wordBits);
  if (pkg === 'math') {
    let m = /^Max(Int|Uint)(8|16|32|64)$/.exec(name);
    if (m) {
      const b = BigInt(m[2]!);
      return u(m[1] === 'Int' ? (1n << (b - 1n)) - 1n : (1n << b) - 1n);
    }
    m = /^MinInt(8|16|32|64)$/.exec(name);
    if (m) return u(-(1n << (BigInt(m[1]!) - 1n)));
    if (name === 'MaxInt') return u((1n << (w - 1n)) - 1n);
    if (name === 'MinInt') return u(-(1n << (w - 1n)));
    if (name === 'MaxUint') return u((1n << w) - 1n);
    return undefined;
  }
  if ((pkg === 'math/bits' && name === 'UintSize') || (pkg === 'strconv' && name === 'IntSize')) return u(w);
  return undefined;
}

const KIND_RANK: Readonly<Record<UntypedKind, number>> = { int: 0, rune: 1, float: 2 };

/** Largest shift count evaluated (Go allows up to 10000 for untyped constants; larger values only overflow). */
const MAX_SHIFT = 1100n;

/** Evaluates `e` in `env`. Never throws. */
export function evalConst(e: CExpr, env: ConstEnv): EvalResult {
  const st: { overflow?: COverflow } = {};
  let value: CValue | undefined;
  try {
    value = ev(e, env, st, 0);
  } catch {
    value = undefined;
  }
  const r: EvalResult = { value };
  if (st.overflow) r.overflow = st.overflow;
  return r;
}

/** Records an overflow of a platform-dependent type that 64 bits would hold; undefined otherwise. */
function checkTyped(v: bigint, t: CType, env: ConstEnv, st: { overflow?: COverflow }, how: COverflow['how']): CValue | undefined {
  if (fits(v, t.basic, env.wordBits)) return { v, kind: 'int', type: t };
  // A sized type, or a value that does not fit 64 bits either: an error everywhere, not ours.
  if (!WORD_TYPES.has(t.basic) || !fits(v, t.basic, 64)) return undefined;
  st.overflow ??= { how, type: t, v };
  return undefined;
}

function sameType(a: CType, b: CType): boolean {
  return a.basic === b.basic && a.name === b.name;
}

function ev(e: CExpr, env: ConstEnv, st: { overflow?: COverflow }, depth: number): CValue | undefined {
  if (depth > 200) return undefined;
  switch (e.k) {
    case 'lit':
      return { v: BigInt(e.v), kind: e.kind };
    case 'iota':
      return env.iota === undefined ? undefined : { v: BigInt(env.iota), kind: 'int' };
    case 'name':
      return env.name(e.name);
    case 'qual':
      return env.qual(e.pkg, e.name);
    case 'unknown':
      return undefined;
    case 'un': {
      const x = ev(e.x, env, st, depth + 1);
      if (!x) return undefined;
      if (e.op === '+') return x;
      if (e.op === '-') {
        if (!x.type) return { ...x, v: -x.v };
        return checkTyped(-x.v, x.type, env, st, 'typed');
      }
      // ^x: bitwise complement; for unsigned types within the type's width.
      if (x.kind === 'float' && !x.type) return undefined;
      if (!x.type) return { ...x, v: ~x.v };
      const r = intRange(x.type.basic, env.wordBits);
      return checkTyped(r.min === 0n ? r.max ^ x.v : ~x.v, x.type, env, st, 'typed');
    }
    case 'bin':
      return binary(e, env, st, depth);
    case 'call': {
      const t = env.type(e.fn);
      if (t === undefined || t === 'other') return undefined;
      const x = ev(e.x, env, st, depth + 1);
      if (!x) return undefined;
      return checkTyped(x.v, t, env, st, 'convert');
    }
  }
}

function binary(e: Extract<CExpr, { k: 'bin' }>, env: ConstEnv, st: { overflow?: COverflow }, depth: number): CValue | undefined {
  const x = ev(e.x, env, st, depth + 1);
  if (!x) return undefined;
  const y = ev(e.y, env, st, depth + 1);
  if (!y) return undefined;
  if (e.op === '<<' || e.op === '>>') {
    // The count must be a non-negative integer; the result has the left operand's type (an
    // untyped float left operand becomes an untyped int).
    if (y.v < 0n || y.v > MAX_SHIFT) return undefined;
    const v = e.op === '<<' ? x.v << y.v : x.v >> y.v;
    if (x.type) return checkTyped(v, x.type, env, st, 'typed');
    return { v, kind: x.kind === 'float' ? 'int' : x.kind };
  }
  // Operand types: both untyped, or the untyped one converted to the typed one's type.
  let type: CType | undefined;
  if (x.type && y.type) {
    if (!sameType(x.type, y.type)) return undefined; // mismatched types: a compile error everywhere
    type = x.type;
  } else if (x.type || y.type) {
    type = (x.type ?? y.type)!;
    const u = x.type ? y : x;
    if (u.kind === 'float' && e.op === '%') return undefined;
    if (!checkTyped(u.v, type, env, st, 'operand')) return undefined;
  }
  const kind: UntypedKind = KIND_RANK[x.kind] >= KIND_RANK[y.kind] ? x.kind : y.kind;
  const intOnly = e.op === '%' || e.op === '&' || e.op === '|' || e.op === '^' || e.op === '&^';
  if (!type && kind === 'float' && intOnly) return undefined; // not defined on untyped floats
  let v: bigint;
  switch (e.op) {
    case '+': v = x.v + y.v; break;
    case '-': v = x.v - y.v; break;
    case '*': v = x.v * y.v; break;
    case '/':
      if (y.v === 0n) return undefined;
      // Untyped float division is exact: only integral quotients are evaluated.
      if (!type && kind === 'float' && x.v % y.v !== 0n) return undefined;
      v = x.v / y.v;
      break;
    case '%':
      if (y.v === 0n) return undefined;
      v = x.v % y.v;
      break;
    case '&': v = x.v & y.v; break;
    case '|': v = x.v | y.v; break;
    case '^': v = x.v ^ y.v; break;
    case '&^': v = x.v & ~y.v; break;
  }
  if (type) return checkTyped(v, type, env, st, 'typed');
  return { v, kind };
}

/** The value of a Go integer literal (`0x1F`, `0o17`, `017`, `0b1010`, `1_000`), or undefined. */
export function parseIntLiteral(text: string): bigint | undefined {
  const s = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(s) || /^0[bB][01]+$/.test(s) || /^0[oO][0-7]+$/.test(s)) return BigInt(s.toLowerCase());
  if (/^0[0-7]+$/.test(s)) return BigInt('0o' + s.slice(1));
  if (/^(0|[1-9][0-9]*)$/.test(s)) return BigInt(s);
  return undefined;
}

/**
 * The value of a Go floating-point literal when it is an integer (`1e9`, `1.5e3`, `0x1p40`), or
 * undefined (a fraction, or an exponent too large to matter).
 */
export function parseIntegralFloat(text: string): bigint | undefined {
  const s = text.replace(/_/g, '');
  let m = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (m && (m[1] || m[2])) {
    const digits = (m[1] ?? '') + (m[2] ?? '');
    let exp = Number(m[3] ?? '0') - (m[2] ?? '').length;
    if (Math.abs(exp) > 400) return undefined;
    let n = BigInt(digits === '' ? '0' : digits);
    if (exp >= 0) return n * 10n ** BigInt(exp);
    const d = 10n ** BigInt(-exp);
    return n % d === 0n ? n / d : undefined;
  }
  m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (m && (m[1] || m[2])) {
    const hex = (m[1] ?? '') + (m[2] ?? '');
    const exp = Number(m[3]) - 4 * (m[2] ?? '').length;
    if (Math.abs(exp) > 4000) return undefined;
    const n = BigInt('0x' + (hex === '' ? '0' : hex));
    if (exp >= 0) return n << BigInt(exp);
    const d = 1n << BigInt(-exp);
    return n % d === 0n ? n / d : undefined;
  }
  return undefined;
}

/** The code point of a Go rune literal (`'a'`, `'\n'`, `'\x41'`, `'\u00e9'`, `'\377'`), or undefined. */
export function parseRuneLiteral(text: string): bigint | undefined {
  if (text.length < 3 || text[0] !== "'" || text[text.length - 1] !== "'") return undefined;
  const body = text.slice(1, -1);
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0);
    return cp !== undefined && String.fromCodePoint(cp).length === body.length ? BigInt(cp) : undefined;
  }
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39 };
  const c = body[1];
  if (c === undefined) return undefined;
  if (body.length === 2 && c in simple) return BigInt(simple[c]!);
  const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(body);
  if (hex) return BigInt('0x' + (hex[1] ?? hex[2] ?? hex[3]));
  const oct = /^\\([0-7]{3})$/.exec(body);
  if (oct) return BigInt('0o' + oct[1]);
  return undefined;
}

/** Number of nodes of an expression (to bound inlining). */
export function cexprSize(e: CExpr): number {
  switch (e.k) {
    case 'un':
      return 1 + cexprSize(e.x);
    case 'bin':
      return 1 + cexprSize(e.x) + cexprSize(e.y);
    case 'call':
      return 1 + cexprSize(e.x);
    default:
      return 1;
  }
}

/** True when the expression has an operand goport cannot evaluate. */
export function hasUnknown(e: CExpr): boolean {
  switch (e.k) {
    case 'unknown':
      return true;
    case 'un':
    case 'call':
      return hasUnknown(e.x);
    case 'bin':
      return hasUnknown(e.x) || hasUnknown(e.y);
    default:
      return false;
  }
}

/** True when the expression refers to no name and no iota: its value is the same everywhere. */
export function isClosed(e: CExpr): boolean {
  switch (e.k) {
    case 'lit':
      return true;
    case 'un':
      return isClosed(e.x);
    case 'bin':
      return isClosed(e.x) && isClosed(e.y);
    default:
      return false;
  }
}
