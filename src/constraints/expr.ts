/**
 * Build constraint expressions: a port of go/build/constraint.
 * `//go:build` lines use the full grammar (`||`, `&&`, `!`, parentheses);
 * legacy `// +build` lines use space = OR, comma = AND.
 */

export type Expr =
  | { op: 'tag'; tag: string }
  | { op: 'not'; x: Expr }
  | { op: 'and'; x: Expr; y: Expr }
  | { op: 'or'; x: Expr; y: Expr };

export class ConstraintSyntaxError extends Error {
  /** `offset`: where in the expression, in UTF-8 bytes like Go's SyntaxError.Offset. */
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

const tag = (t: string): Expr => ({ op: 'tag', tag: t });
const not = (x: Expr): Expr => ({ op: 'not', x });
const and = (x: Expr, y: Expr): Expr => ({ op: 'and', x, y });
const or = (x: Expr, y: Expr): Expr => ({ op: 'or', x, y });

const TAG_CHAR = /[\p{L}\p{Nd}_.]/u;

/** Whether a line is a `//go:build` constraint line; returns the expression text when it is. */
export function splitGoBuild(line: string): string | undefined {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  if (line.includes('\n')) return undefined;
  if (!line.startsWith('//go:build')) return undefined;
  line = goTrimSpace(line).slice('//go:build'.length);
  const trim = goTrimSpace(line);
  if (line.length === trim.length && line !== '') return undefined;
  return trim;
}

/** Whether a line is a `// +build` line; returns the expression text when it is. */
export function splitPlusBuild(line: string): string | undefined {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  if (line.includes('\n')) return undefined;
  if (!line.startsWith('//')) return undefined;
  line = goTrimSpace(line.slice(2));
  if (!line.startsWith('+build')) return undefined;
  line = line.slice('+build'.length);
  const trim = goTrimSpace(line);
  if (line.length === trim.length && line !== '') return undefined;
  return trim;
}

/**
 * The characters Go's unicode.IsSpace accepts (what strings.TrimSpace, strings.Fields and
 * bytes.TrimSpace strip). Not JavaScript's \s: that also matches U+FEFF, which Go keeps, so
 * `//go:build\uFEFFlinux` is no constraint for Go.
 */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM_RE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
const FIELDS_RE = new RegExp(`[${GO_SPACE}]+`);

/** Go's strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(TRIM_RE, '');
}

/** Parses a `//go:build` or `// +build` line (constraint.Parse). */
export function parseConstraintLine(line: string): Expr {
  const gb = splitGoBuild(line);
  if (gb !== undefined) return parseGoBuildExpr(gb);
  const pb = splitPlusBuild(line);
  if (pb !== undefined) return parsePlusBuildExpr(pb);
  throw new ConstraintSyntaxError(0, 'not a build constraint');
}

const MAX_SIZE = 1000;

/** The `//go:build` expression grammar (constraint.parseExpr). */
export function parseGoBuildExpr(text: string): Expr {
  try {
    return parseExprUnits(text);
  } catch (e) {
    // Positions are UTF-16 indexes while parsing; Go reports byte offsets.
    if (e instanceof ConstraintSyntaxError) throw new ConstraintSyntaxError(new TextEncoder().encode(text.slice(0, e.offset)).length, e.reason);
    throw e;
  }
}

function parseExprUnits(text: string): Expr {
  let i = 0;
  let tok = '';
  let pos = 0;
  let isTag = false;
  let size = 0;

  const lex = (): void => {
    isTag = false;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) {
      tok = '';
      pos = i;
      return;
    }
    const c = text[i]!;
    if (c === '(' || c === ')' || c === '!') {
      pos = i;
      i++;
      tok = c;
      return;
    }
    if (c === '&' || c === '|') {
      if (i + 1 >= text.length || text[i + 1] !== c) throw new ConstraintSyntaxError(i, `invalid syntax at ${c}`);
      pos = i;
      i += 2;
      tok = c + c;
      return;
    }
    let j = i;
    while (j < text.length) {
      const cp = text.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!TAG_CHAR.test(ch)) break;
      j += ch.length;
    }
    if (j === i) {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      throw new ConstraintSyntaxError(i, `invalid syntax at ${ch}`);
    }
    pos = i;
    tok = text.slice(i, j);
    i = j;
    isTag = true;
  };

  const parseOr = (): Expr => {
    let x = parseAnd();
    while (tok === '||') x = or(x, parseAnd());
    return x;
  };
  const parseAnd = (): Expr => {
    let x = parseNot();
    while (tok === '&&') x = and(x, parseNot());
    return x;
  };
  const parseNot = (): Expr => {
    size++;
    if (size > MAX_SIZE) throw new ConstraintSyntaxError(pos, 'build expression too large');
    lex();
    if (tok === '!') {
      lex();
      if (tok === '!') throw new ConstraintSyntaxError(pos, 'double negation not allowed');
      return not(parseAtom());
    }
    return parseAtom();
  };
  const parseAtom = (): Expr => {
    if (tok === '(') {
      const open = pos;
      let x: Expr;
      try {
        x = parseOr();
      } catch (e) {
        if (e instanceof ConstraintSyntaxError && e.reason === 'unexpected end of expression') {
          throw new ConstraintSyntaxError(e.offset, 'missing close paren');
        }
        throw e;
      }
      if ((tok as string) !== ')') throw new ConstraintSyntaxError(open, 'missing close paren');
      lex();
      return x;
    }
    if (!isTag) {
      if (tok === '') throw new ConstraintSyntaxError(pos, 'unexpected end of expression');
      throw new ConstraintSyntaxError(pos, `unexpected token ${tok}`);
    }
    const t = tok;
    lex();
    return tag(t);
  };

  const x = parseOr();
  if (tok !== '') throw new ConstraintSyntaxError(pos, `unexpected token ${tok}`);
  return x;
}

function isValidTag(word: string): boolean {
  if (word === '') return false;
  for (const ch of word) if (!TAG_CHAR.test(ch)) return false;
  return true;
}

/** The legacy `// +build` grammar (constraint.parsePlusBuildExpr). */
export function parsePlusBuildExpr(text: string): Expr {
  const maxOldSize = 100;
  let size = 0;
  let x: Expr | undefined;
  for (const clause of goFields(text)) {
    let y: Expr | undefined;
    for (let lit of clause.split(',')) {
      let z: Expr;
      if (lit.startsWith('!!') || lit === '!') {
        z = tag('ignore');
      } else {
        let neg = false;
        if (lit.startsWith('!')) {
          neg = true;
          lit = lit.slice(1);
        }
        z = isValidTag(lit) ? tag(lit) : tag('ignore');
        if (neg) z = not(z);
      }
      if (y === undefined) y = z;
      else {
        if (++size > maxOldSize) throw new ConstraintSyntaxError(0, 'expression too complex for // +build lines');
        y = and(y, z);
      }
    }
    if (x === undefined) x = y!;
    else {
      if (++size > maxOldSize) throw new ConstraintSyntaxError(0, 'expression too complex for // +build lines');
      x = or(x, y!);
    }
  }
  return x ?? tag('ignore');
}

/** Go's strings.Fields. */
export function goFields(s: string): string[] {
  return s.split(FIELDS_RE).filter((f) => f !== '');
}

export function evalExpr(x: Expr, ok: (tag: string) => boolean): boolean {
  switch (x.op) {
    case 'tag':
      return ok(x.tag);
    case 'not':
      return !evalExpr(x.x, ok);
    case 'and': {
      // Evaluate both sides, like Go, so that every tag is visited.
      const a = evalExpr(x.x, ok);
      const b = evalExpr(x.y, ok);
      return a && b;
    }
    case 'or': {
      const a = evalExpr(x.x, ok);
      const b = evalExpr(x.y, ok);
      return a || b;
    }
  }
}

/** Every tag an expression mentions. */
export function exprTags(x: Expr, out: Set<string> = new Set()): Set<string> {
  if (x.op === 'tag') out.add(x.tag);
  else if (x.op === 'not') exprTags(x.x, out);
  else {
    exprTags(x.x, out);
    exprTags(x.y, out);
  }
  return out;
}

/** Canonical text of an expression in `//go:build` syntax (for display and keys). */
export function exprString(x: Expr): string {
  switch (x.op) {
    case 'tag':
      return x.tag;
    case 'not':
      return x.x.op === 'tag' || x.x.op === 'not' ? `!${exprString(x.x)}` : `!(${exprString(x.x)})`;
    case 'and': {
      const s = (e: Expr) => (e.op === 'or' ? `(${exprString(e)})` : exprString(e));
      return `${s(x.x)} && ${s(x.y)}`;
    }
    case 'or':
      return `${exprString(x.x)} || ${exprString(x.y)}`;
  }
}
