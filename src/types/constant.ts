/**
 * Constant values of the type layer: exact integers (bigint), booleans, strings, and floats whose
 * value is kept only when it is an exact integer or a JS number is enough to decide the questions
 * asked of it (its kind decides the default type; an inexact value is `unknown`).
 */
export type ConstValue =
  | { k: 'int'; v: bigint }
  | { k: 'float'; v: number | undefined }
  | { k: 'complex' }
  | { k: 'string'; v: string | undefined }
  | { k: 'bool'; v: boolean | undefined }
  | { k: 'unknown' };

export const UNKNOWN_VALUE: ConstValue = { k: 'unknown' };

/**
 * The value of an integer literal as written, one object per text (values are never mutated):
 * literals repeat across a package's platform groups and within tables.
 */
export function intLitValue(text: string): ConstValue | undefined {
  let hit = intLits.get(text);
  if (hit === undefined) {
    const v = parseIntLit(text);
    hit = v === undefined ? null : { k: 'int', v };
    if (intLits.size >= LIT_CACHE_MAX) intLits.clear();
    intLits.set(text, hit);
  }
  return hit ?? undefined;
}

const LIT_CACHE_MAX = 1 << 16;
const intLits = new Map<string, ConstValue | null>();

export function parseIntLit(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  try {
    if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
    if (/^0[oO]/.test(t)) return BigInt(`0o${t.slice(2)}`);
    return BigInt(t);
  } catch {
    return undefined;
  }
}

/** Value of a rune literal, e.g. 'a', '\n', '\x41', '\u00e9'. */
export function parseRuneLit(text: string): bigint | undefined {
  const body = text.slice(1, -1);
  if (body.length === 0) return undefined;
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0)!;
    return String.fromCodePoint(cp).length === body.length ? BigInt(cp) : undefined;
  }
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };
  const c = body[1]!;
  if (body.length === 2 && c in simple) return BigInt(simple[c]!);
  if (/^[0-7]{3}$/.test(body.slice(1))) return BigInt(parseInt(body.slice(1), 8));
  if (/^(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})$/.test(body.slice(1))) return BigInt(parseInt(body.slice(2), 16));
  return undefined;
}

/** Value of an interpreted or raw string literal, when it has no escapes beyond the simple ones. */
export function parseStringLit(text: string): string | undefined {
  if (text.startsWith('`')) return text.slice(1, -1).replace(/\r/g, '');
  if (!text.includes('\\')) return text.slice(1, -1);
  try {
    // JSON's escapes are a subset of Go's for \" \\ \n \t \r \b \f and \uXXXX; others stay unknown.
    if (/\\[^"\\ntrbfu]/.test(text)) return undefined;
    return JSON.parse(text) as string;
  } catch {
    return undefined;
  }
}

/** UTF-8 length of a string (for len of a constant string). */
export function utf8Len(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function intRange(kind: string, wordBits: number): [bigint, bigint] | undefined {
  const m = /^(u?)int(\d*)$/.exec(kind === 'uintptr' ? 'uint' : kind);
  if (!m) return undefined;
  const bits = m[2] ? Number(m[2]) : wordBits;
  if (m[1]) return [0n, (1n << BigInt(bits)) - 1n];
  return [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
}
