/** Small helpers for Go lexical forms: string and integer literals, identifiers, import names. */

const KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func',
  'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct',
  'switch', 'type', 'var',
]);

const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

export function isGoIdentifier(s: string): boolean {
  return IDENT.test(s) && !KEYWORDS.has(s);
}

/** The value of a Go string literal (interpreted `"..."` or raw `` `...` ``), as the compiler sees it. */
export function unquoteGoString(lit: string): string {
  if (lit.length >= 2 && lit[0] === '`') return lit.slice(1, lit.endsWith('`') ? -1 : undefined).replace(/\r/g, '');
  if (lit.length < 2 || lit[0] !== '"') return lit;
  const body = lit.slice(1, lit.endsWith('"') ? -1 : undefined);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const e = body[++i]!;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16) || 0); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16) || 0); i += 4; break;
      case 'U': {
        const cp = parseInt(body.slice(i + 1, i + 9), 16);
        out += cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
        i += 8;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8) & 0xff);
          i += 2;
        } else out += e; // \\ \" \'
    }
  }
  return out;
}

/** The value of a Go integer literal, or undefined when it is not one (or not a safe JS integer). */
export function parseGoInt(text: string): number | undefined {
  const s = text.replace(/_/g, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[bB][01]+$/.test(s)) v = parseInt(s.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(s)) v = parseInt(s.slice(2), 8);
  else if (/^0[0-7]+$/.test(s)) v = parseInt(s.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(s)) v = parseInt(s, 10);
  else return undefined;
  return Number.isSafeInteger(v) ? v : undefined;
}

export interface ImportNames {
  /** Names the file may use for the import, most likely first. */
  names: string[];
  /** False when the package name can't be told from the path (e.g. `github.com/x/go-foo`). */
  certain: boolean;
}

/**
 * The name(s) an import without alias is referred to by. Go uses the imported package's own name, which
 * only the imported files know; by convention it is the last path element, so:
 * - `a/b/foo/v2` (major version suffix, N ≥ 2): `foo`, and also `v2` (e.g. `k8s.io/api/autoscaling/v2`
 *   is package v2, `google.golang.org/api/drive/v3` is package drive). `/v1` is never a suffix.
 * - `gopkg.in/yaml.v3`: `yaml`.
 * - an element that is not an identifier (`go-foo`, `foo.go`, `go`): uncertain; goimports' guess
 *   (drop `go-`, cut at the first non-identifier character) is still offered.
 */
export function importNames(path: string): ImportNames {
  const elems = path.split('/');
  const base = elems[elems.length - 1] ?? path;
  const names: string[] = [];
  let certain = true;
  const add = (elem: string): void => {
    const e = elem.replace(/\.v\d+$/, '');
    if (isGoIdentifier(e)) {
      names.push(e);
      return;
    }
    certain = false;
    const m = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(e.replace(/^go-/, ''));
    if (m && isGoIdentifier(m[0])) names.push(m[0]);
  };
  if (/^v\d+$/.test(base) && Number(base.slice(1)) >= 2 && elems.length > 1) {
    add(elems[elems.length - 2]!);
    names.push(base);
  } else add(base);
  return { names: [...new Set(names)], certain };
}
