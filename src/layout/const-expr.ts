/**
 * A small evaluator for the integer constant expressions that appear as array lengths
 * (`[N * 2]T`, `[1 << shift]T`, `[pkg.Size + 1]T`). Identifiers are handed to a lookup; anything
 * else (calls, conversions, strings, floats) makes the result undefined.
 */

type Lookup = (name: string) => number | undefined;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** The value of `expr`, or undefined when it isn't an integer constant this evaluator understands. */
export function evalIntConst(expr: string, lookup: Lookup): number | undefined {
  const toks = tokenize(expr);
  if (!toks) return undefined;
  const p = new Parser(toks, lookup);
  const v = p.expr(1);
  if (v === undefined || p.pos !== toks.length) return undefined;
  if (v > MAX || v < -MAX) return undefined;
  return Number(v);
}

type Tok = { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPS = ['&^', '<<', '>>', '+', '-', '*', '/', '%', '&', '|', '^', '(', ')'];

function tokenize(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const num = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)/.exec(s.slice(i));
    if (num) {
      // A float or imaginary literal continues with '.', 'e', 'p' or 'i': not supported.
      if (/^[.eEpPi]/.test(s.slice(i + num[0].length)) && !/^0[xX]/.test(num[0])) return undefined;
      out.push({ t: 'num', v: parseIntLit(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{Nd}_]*(\.[\p{L}_][\p{L}\p{Nd}_]*)?/u.exec(s.slice(i));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) return undefined;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

function parseIntLit(lit: string): bigint {
  const s = lit.replace(/_/g, '');
  if (/^0[oO]/.test(s)) return BigInt('0o' + s.slice(2));
  if (/^0[0-7]+$/.test(s)) return BigInt('0o' + s.slice(1)); // legacy octal
  return BigInt(s);
}

/** Go's binary operator precedence for integer operators. */
const PREC: Readonly<Record<string, number>> = {
  '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5, '&': 5, '&^': 5,
  '+': 4, '-': 4, '|': 4, '^': 4,
};

class Parser {
  pos = 0;
  constructor(private readonly toks: Tok[], private readonly lookup: Lookup) {}

  expr(minPrec: number): bigint | undefined {
    let x = this.unary();
    for (;;) {
      const tok = this.toks[this.pos];
      if (x === undefined || !tok || tok.t !== 'op') return x;
      const prec = PREC[tok.v];
      if (prec === undefined || prec < minPrec) return x;
      this.pos++;
      const y = this.expr(prec + 1);
      if (y === undefined) return undefined;
      x = binary(tok.v, x, y);
    }
  }

  private unary(): bigint | undefined {
    const tok = this.toks[this.pos++];
    if (!tok) return undefined;
    if (tok.t === 'num') return tok.v;
    if (tok.t === 'id') {
      const v = this.lookup(tok.v);
      return v !== undefined && Number.isSafeInteger(v) ? BigInt(v) : undefined;
    }
    switch (tok.v) {
      case '(': {
        const v = this.expr(1);
        const close = this.toks[this.pos++];
        return close && close.t === 'op' && close.v === ')' ? v : undefined;
      }
      case '+': return this.unary();
      case '-': { const v = this.unary(); return v === undefined ? undefined : -v; }
      case '^': { const v = this.unary(); return v === undefined ? undefined : ~v; }
      default: return undefined;
    }
  }
}

function binary(op: string, x: bigint, y: bigint): bigint | undefined {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0n ? undefined : x / y; // BigInt division truncates, as Go's does
    case '%': return y === 0n ? undefined : x % y;
    case '<<': return y < 0n || y > 1024n ? undefined : x << y;
    case '>>': return y < 0n ? undefined : x >> y;
    case '&': return x & y;
    case '|': return x | y;
    case '^': return x ^ y;
    case '&^': return x & ~y;
    default: return undefined;
  }
}
