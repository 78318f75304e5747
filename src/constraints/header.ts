/**
 * The header of a Go file, read the way go/build reads it (go/build/read.go, build.go):
 * the leading comment block with its `//go:build` and `// +build` lines, the package clause
 * and the import declarations. No syntax tree: a small scanner, so `goport files` never
 * needs tree-sitter.
 */
import { ConstraintSyntaxError, type Expr, goTrimSpace, parseGoBuildExpr, parsePlusBuildExpr, splitGoBuild, splitPlusBuild } from './expr.js';

export interface HeaderImport {
  path: string;
  alias: string | null;
  line: number;
}

export interface ConstraintLine {
  text: string;
  /** 1-based line number. */
  line: number;
}

export interface HeaderInfo {
  /** The package clause's name, or null when none could be read. */
  pkgName: string | null;
  pkgLine: number;
  imports: HeaderImport[];
  /** The file imports "C". */
  cgo: boolean;
  goBuild: ConstraintLine | null;
  /** `// +build` lines that go/build honours (inside the leading block that ends with a blank line). */
  plusBuild: ConstraintLine[];
  /** The effective constraint: `//go:build` when present, else the AND of valid `+build` lines; null when none. */
  constraint: Expr | null;
  /** go/build rejects the file (it is an "invalid Go file"): bad or repeated //go:build, NUL byte. */
  invalid?: string;
  /** A syntax problem in the package clause or imports (go list still lists the file). */
  syntaxError?: string;
  /** `// Code generated ... DO NOT EDIT.` */
  generated: boolean;
  /**
   * `//` comment lines that look like a build constraint or a near miss of one (`// + build`,
   * `//go: build`, `//+build`...), anywhere before the first declaration, including after the
   * package clause where Go ignores them; trimmed. For diagnostics only; set when there are any.
   */
  buildComments?: ConstraintLine[];
}

/** A `//` line starting like a constraint: `+` or `go:` and a word in b (`//go:build`, `// go: build`, `// +Build`, `//go:biuld`). */
const BUILD_COMMENT_RE = /^[ \t]*\/\/[ \t]*(?:\+|go[ \t]*:)[ \t]*b[^\n]*/gim;

const GENERATED_RE = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

function lineOf(content: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * go/build parseFileHeader: the leading run of `//` comments and blank lines, cut at the last
 * blank line before the first non-comment text; `//go:build` lines anywhere before that text.
 */
export function parseFileHeader(content: string): {
  trimmedEnd: number;
  goBuild: ConstraintLine | null;
  error?: string;
} {
  let end = 0;
  let p = 0;
  let ended = false;
  let inSlashStar = false;
  let goBuild: ConstraintLine | null = null;
  let lineNo = 0;
  const n = content.length;
  lines: while (p < n) {
    lineNo++;
    let nl = content.indexOf('\n', p);
    let raw: string;
    if (nl >= 0) {
      raw = content.slice(p, nl);
      p = nl + 1;
    } else {
      raw = content.slice(p);
      p = n;
      nl = n;
    }
    let line = trimSpace(raw);
    if (line.length === 0 && !ended) {
      end = p;
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && isGoBuildComment(line)) {
      if (goBuild !== null) return { trimmedEnd: 0, goBuild: null, error: 'multiple //go:build comments' };
      goBuild = { text: line, line: lineNo };
    }
    while (line.length > 0) {
      if (inSlashStar) {
        const i = line.indexOf('*/');
        if (i >= 0) {
          inSlashStar = false;
          line = trimSpace(line.slice(i + 2));
          continue;
        }
        continue lines;
      }
      if (line.startsWith('//')) continue lines;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = trimSpace(line.slice(2));
        continue;
      }
      break lines;
    }
  }
  return { trimmedEnd: end, goBuild };
}

/** bytes.TrimSpace (unicode.IsSpace; not JavaScript's \s, which also strips U+FEFF). */
const trimSpace = goTrimSpace;

function isGoBuildComment(line: string): boolean {
  if (!line.startsWith('//go:build')) return false;
  const t = trimSpace(line);
  const rest = t.slice('//go:build'.length);
  return rest.length === 0 || trimSpace(rest).length < rest.length;
}

/**
 * Reads the constraint lines, package clause and imports of a Go file. Its strings are copies, not
 * slices of `content`: a header outlives the file's text (kept for the whole run, while the text is
 * dropped once parsed), and V8's sliced strings would keep every file's whole text alive through it.
 */
export function readHeader(content: string): HeaderInfo {
  return ownStrings(readHeaderOf(content));
}

/** `x` with every string in it (through plain objects and arrays) copied out of the string it was sliced from. */
function ownStrings<T>(x: T): T {
  if (typeof x === 'string') return (x.length >= 13 ? (' ' + x).slice(1) : x) as T;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = ownStrings(x[i]);
  } else if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = ownStrings(o[k]);
  }
  return x;
}

function readHeaderOf(content: string): HeaderInfo {
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const info: HeaderInfo = {
    pkgName: null,
    pkgLine: 0,
    imports: [],
    cgo: false,
    goBuild: null,
    plusBuild: [],
    constraint: null,
    generated: false,
  };
  const scan = scanPackageAndImports(content, info);
  const headerText = content.slice(0, scan.importsEnd);
  // go/build's import reader fails on a NUL byte among the bytes it reads: the header, or the
  // whole file when the header has a syntax error (it then reads to the end). A NUL further on
  // in a well-formed file is left to the compiler: go list still lists the file.
  if ((info.syntaxError ? content : headerText).includes('\0')) info.invalid = 'unexpected NUL in input';
  const hdr = parseFileHeader(headerText);
  collectBuildComments(content.slice(0, scan.declOffset ?? scan.importsEnd), info);
  info.generated = GENERATED_RE.test(content.slice(0, Math.max(scan.pkgOffset, 0)));
  if (hdr.error) {
    info.invalid = hdr.error;
    return info;
  }
  info.goBuild = hdr.goBuild;
  // +build lines: only inside the trimmed header block.
  const block = headerText.slice(0, hdr.trimmedEnd);
  let lineNo = 0;
  for (const raw of block.split('\n')) {
    lineNo++;
    const line = trimSpace(raw);
    if (!line.startsWith('//') || !line.includes('+build')) continue;
    if (splitPlusBuild(line) === undefined) continue;
    info.plusBuild.push({ text: line, line: lineNo });
  }
  if (info.goBuild) {
    const text = splitGoBuild(info.goBuild.text);
    try {
      info.constraint = parseGoBuildExpr(text ?? '');
    } catch (e) {
      const reason = e instanceof ConstraintSyntaxError ? e.reason : String(e);
      info.invalid = `parsing //go:build line: ${reason}`;
    }
  } else {
    let x: Expr | null = null;
    for (const pb of info.plusBuild) {
      let y: Expr;
      try {
        y = parsePlusBuildExpr(splitPlusBuild(pb.text) ?? '');
      } catch {
        continue;
      }
      x = x === null ? y : { op: 'and', x, y };
    }
    info.constraint = x;
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// A tiny Go scanner for the package clause and import declarations.

interface Tok {
  kind: 'ident' | 'string' | 'punct' | 'eof' | 'bad' | 'nl';
  text: string;
  offset: number;
}

/** Fills `info.buildComments` from the text before the first declaration. */
function collectBuildComments(region: string, info: HeaderInfo): void {
  const out: ConstraintLine[] = [];
  BUILD_COMMENT_RE.lastIndex = 0;
  for (let m = BUILD_COMMENT_RE.exec(region); m; m = BUILD_COMMENT_RE.exec(region)) {
    out.push({ text: trimSpace(m[0]), line: lineOf(region, m.index) });
  }
  if (out.length > 0) info.buildComments = out;
}

function scanPackageAndImports(src: string, info: HeaderInfo): { importsEnd: number; pkgOffset: number; declOffset?: number } {
  let i = 0;
  const n = src.length;
  const next = (): Tok => {
    // Skip white space and comments; report newlines (for automatic semicolons).
    for (;;) {
      if (i >= n) return { kind: 'eof', text: '', offset: n };
      const c = src[i]!;
      if (c === '\n') {
        i++;
        return { kind: 'nl', text: '\n', offset: i - 1 };
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
        i++;
        continue;
      }
      if (c === '/' && src[i + 1] === '/') {
        const e = src.indexOf('\n', i);
        i = e < 0 ? n : e;
        continue;
      }
      if (c === '/' && src[i + 1] === '*') {
        const e = src.indexOf('*/', i + 2);
        const body = src.slice(i, e < 0 ? n : e);
        i = e < 0 ? n : e + 2;
        if (body.includes('\n')) return { kind: 'nl', text: '\n', offset: i };
        continue;
      }
      break;
    }
    const start = i;
    const c = src[i]!;
    if (/[\p{L}_]/u.test(c)) {
      while (i < n && /[\p{L}\p{Nd}_]/u.test(src[i]!)) i++;
      return { kind: 'ident', text: src.slice(start, i), offset: start };
    }
    if (c === '"') {
      i++;
      while (i < n && src[i] !== '"' && src[i] !== '\n') i += src[i] === '\\' && i + 1 < n ? 2 : 1;
      if (src[i] !== '"') return { kind: 'bad', text: src.slice(start, i), offset: start };
      const s = unquoteInterpreted(src.slice(start + 1, i));
      i++;
      if (s === null) return { kind: 'bad', text: src.slice(start, i), offset: start };
      return { kind: 'string', text: s, offset: start };
    }
    if (c === '`') {
      const e = src.indexOf('`', i + 1);
      if (e < 0) return { kind: 'bad', text: src.slice(start), offset: start };
      i = e + 1;
      return { kind: 'string', text: src.slice(start + 1, e), offset: start };
    }
    i++;
    return { kind: 'punct', text: c, offset: start };
  };
  const nextSignificant = (): Tok => {
    let t = next();
    while (t.kind === 'nl') t = next();
    return t;
  };
  const fail = (msg: string, t: Tok) => {
    info.syntaxError = `${lineOf(src, t.offset)}: ${msg}`;
  };

  let t = nextSignificant();
  if (t.kind !== 'ident' || t.text !== 'package') {
    fail('expected package clause', t);
    return { importsEnd: Math.min(t.offset, n), pkgOffset: t.offset };
  }
  const pkgOffset = t.offset;
  info.pkgLine = lineOf(src, t.offset);
  t = nextSignificant();
  if (t.kind !== 'ident') {
    fail('expected package name', t);
    return { importsEnd: t.offset, pkgOffset };
  }
  info.pkgName = t.text;
  let end = i;
  const importSpec = (tok: Tok): boolean => {
    let alias: string | null = null;
    if (tok.kind === 'ident' || (tok.kind === 'punct' && tok.text === '.')) {
      alias = tok.text;
      tok = next();
    }
    if (tok.kind !== 'string') {
      fail('expected import path', tok);
      return false;
    }
    info.imports.push({ path: tok.text, alias, line: lineOf(src, tok.offset) });
    if (tok.text === 'C') info.cgo = true;
    return true;
  };
  for (;;) {
    t = nextSignificant();
    if (t.kind === 'punct' && t.text === ';') continue;
    if (t.kind !== 'ident' || t.text !== 'import') break;
    t = nextSignificant();
    if (t.kind === 'punct' && t.text === '(') {
      for (;;) {
        t = nextSignificant();
        if (t.kind === 'punct' && t.text === ';') continue;
        if (t.kind === 'punct' && t.text === ')') break;
        if (t.kind === 'eof') {
          fail('unterminated import list', t);
          return { importsEnd: n, pkgOffset };
        }
        if (!importSpec(t)) return { importsEnd: i, pkgOffset };
      }
    } else if (!importSpec(t)) return { importsEnd: i, pkgOffset };
    end = i;
  }
  return { importsEnd: Math.max(end, i), pkgOffset, declOffset: t.offset };
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };

/**
 * The value of a Go interpreted string literal's body (strconv.Unquote), or null when an escape
 * is invalid. go/build unquotes import paths, so `import "\x43"` is `import "C"`.
 */
function unquoteInterpreted(body: string): string | null {
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...enc.encode(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return null;
      const v = parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return null;
      else bytes.push(...enc.encode(String.fromCodePoint(v)));
      i += 2 + len;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return null;
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else return null;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
