/**
 * A small Go tokenizer for the recovery layer: just enough to find grammar-gap sites lexically
 * (identifiers, punctuation, matching brackets), skipping comments, strings and runes, so that a
 * `new(` inside a string or a comment is never taken for a call. Offsets are UTF-16 indexes into the
 * decoded source, like the tree's.
 */

export type TokenKind = 'ident' | 'punct' | 'literal';

export interface Token {
  kind: TokenKind;
  /** The identifier or the punctuation character; '' for literals. */
  text: string;
  start: number;
  end: number;
  /** For `(`, `[`, `{` and their closers: index of the matching token, or -1 when unbalanced. */
  match: number;
  /** Bracket nesting depth before this token (all three kinds counted together). */
  depth: number;
}

const isIdentStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x80 && /\p{L}/u.test(String.fromCharCode(c)));
const isIdentPart = (c: number): boolean =>
  isIdentStart(c) || (c >= 0x30 && c <= 0x39) || (c >= 0x80 && /\p{Nd}/u.test(String.fromCharCode(c)));

/** Tokens of `src` (comments and whitespace left out). Never throws; unterminated literals run to the end. */
export function scanGo(src: string): Token[] {
  const out: Token[] = [];
  const open: number[] = [];
  const n = src.length;
  let i = 0;
  const push = (kind: TokenKind, text: string, start: number, end: number): Token => {
    const t: Token = { kind, text, start, end, match: -1, depth: open.length };
    out.push(t);
    return t;
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c === 0x2f && src.charCodeAt(i + 1) === 0x2f) {
      const e = src.indexOf('\n', i);
      i = e === -1 ? n : e;
      continue;
    }
    if (c === 0x2f && src.charCodeAt(i + 1) === 0x2a) {
      const e = src.indexOf('*/', i + 2);
      i = e === -1 ? n : e + 2;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(src.charCodeAt(j))) j++;
      push('ident', src.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      // "..." or '...': backslash escapes, ends at the quote or the line's end.
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === c || d === 0x0a) {
          if (d === c) j++;
          break;
        } else j++;
      }
      push('literal', '', i, Math.min(j, n));
      i = j;
      continue;
    }
    if (c === 0x60) {
      const e = src.indexOf('`', i + 1);
      const j = e === -1 ? n : e + 1;
      push('literal', '', i, j);
      i = j;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || (c === 0x2e && src.charCodeAt(i + 1) >= 0x30 && src.charCodeAt(i + 1) <= 0x39)) {
      // Numbers: digits, letters (hex, exponents, suffix i), '_', '.', and a sign right after an exponent.
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (isIdentPart(d) || d === 0x2e) j++;
        else if ((d === 0x2b || d === 0x2d) && /[eEpP]/.test(src[j - 1]!)) j++;
        else break;
      }
      push('literal', '', i, j);
      i = j;
      continue;
    }
    const ch = src[i]!;
    const t = push('punct', ch, i, i + 1);
    if (ch === '(' || ch === '[' || ch === '{') {
      open.push(out.length - 1);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const want = ch === ')' ? '(' : ch === ']' ? '[' : '{';
      const o = open.length > 0 ? open[open.length - 1]! : -1;
      if (o >= 0 && out[o]!.text === want) {
        open.pop();
        t.depth = open.length;
        t.match = o;
        out[o]!.match = out.length - 1;
      }
    }
    i++;
  }
  return out;
}
