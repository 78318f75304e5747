/**
 * Syntax checks: what tree-sitter-go accepts but Go's parser (go/parser of the newest release goport
 * knows, 1.27) rejects. Each check looks at one node type and returns the positions Go would
 * report. They run on the GoNode copy (syntax.ts), on the nodes of their types that the copy's one
 * cursor walk collected (`CHECKED_TYPES`, outside ERROR subtrees), so a file costs no walk of its own
 * and no native node objects. The copy drops punctuation (`(`, `,`, `)`...): where a check needs it,
 * it reads the source text between the nodes the copy kept.
 */
import { childByField, type GoNode } from '../syntax.js';

type Node = GoNode;

export interface ErrorAt {
  start: number;
  end: number;
}

type Check = (n: Node, out: ErrorAt[], text: string) => void;

const at = (n: Node): ErrorAt => ({ start: n.start, end: n.end });

const TOP_LEVEL = new Set([
  'package_clause', 'import_declaration', 'function_declaration', 'method_declaration', 'type_declaration',
  'var_declaration', 'const_declaration', 'comment', 'ERROR',
]);

/** Named children but comments (ERROR nodes included, as tree-sitter's `namedChildren`). */
const namedParts = (n: Node): Node[] => n.children.filter((c) => c.named && c.type !== 'comment');

const isParam = (p: Node): boolean => p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration';

/** `for a, b, c := range x`: "expected at most 2 expressions". */
const rangeClause: Check = (n, out) => {
  const left = childByField(n, 'left');
  const ids = left ? namedParts(left) : [];
  if (ids.length > 2) out.push(at(ids[2]!));
};

/**
 * `go f` / `defer (f())`: "expression in go must be function call". tree-sitter-go reads some calls
 * (`go fs[i](x)`) as conversions to a generic type; to Go's parser a conversion is a call too.
 */
const goDefer: Check = (n, out) => {
  const e = namedParts(n)[0];
  if (e && e.type !== 'call_expression' && e.type !== 'type_conversion_expression') out.push(at(e));
};

/**
 * Parameter lists mixing named and unnamed parameters: `(a int, b)`, `(a int, []int)`.
 * tree-sitter-go reads the leading names of `(a, b, c int)` as type-only parameters, so a bare type
 * name followed by a named group is a name of that group (as the walker reads it too).
 */
const parameterList: Check = (n, out) => {
  const pds = n.children.filter(isParam);
  const named = (pd: Node): boolean => childByField(pd, 'name') !== undefined;
  if (!pds.some(named)) return;
  let pending: Node | undefined;
  for (const pd of pds) {
    if (named(pd)) {
      pending = undefined;
      continue;
    }
    const t = childByField(pd, 'type');
    if (pd.type === 'parameter_declaration' && t?.type === 'type_identifier') {
      pending ??= t;
      continue;
    }
    out.push(at(t ?? pd));
    return;
  }
  if (pending) out.push(at(pending));
};

/** `func f(a ...int, b int)`: "can only use ... with final parameter". */
const variadicLast: Check = (n, out) => {
  const pds = n.children.filter(isParam);
  const v = pds.findIndex((p) => p.type === 'variadic_parameter_declaration');
  if (v >= 0 && v < pds.length - 1) out.push(at(pds[v]!));
};

/**
 * A list that continues on the next line needs a comma after its last element: at the line break
 * Go's scanner inserts a semicolon ("missing ',' before newline in argument list").
 *
 * The closer and the commas are not in the copy: the list ends with a closer when its text does and
 * no kept child (an ERROR, a MISSING token) reaches its end; a comma after the last element is in
 * the text between that element and the closer, outside the comments there.
 */
const commaBeforeNewline: Check = (n, out, text) => {
  const kids = n.children;
  const closeAt = n.end - 1;
  const ch = text.charCodeAt(closeAt);
  if (closeAt < n.start || (ch !== 0x29 && ch !== 0x7d)) return; // ')' '}'
  let i = kids.length - 1;
  if (i >= 0 && kids[i]!.end > closeAt) return; // the list ends with a kept node, not a closer
  let from = closeAt; // the end of the text between the last element and the closer, minus comments
  let gaps = '';
  for (; i >= 0; i--) {
    const k = kids[i]!;
    gaps += text.slice(k.end, from);
    if (k.type !== 'comment') break;
    from = k.start;
  }
  if (i < 0) return;
  const last = kids[i]!;
  if (!last.named || last.type === 'ERROR' || gaps.includes(',')) return; // the opener, a comma, ...
  if (!text.slice(last.end, closeAt).includes('\n')) return;
  // The line break is between `last` and the closer (outside comments only a line comment or a
  // general comment spanning lines can be there, and both end the line for Go's scanner too).
  out.push({ start: last.end, end: last.end });
};

/** Go's escapes: "unknown escape sequence", "escape sequence is invalid Unicode code point"... */
function badEscape(esc: string, quote: string): boolean {
  const c = esc[1];
  if (c === undefined) return true;
  if ('abfnrtv\\'.includes(c)) return false;
  if (c === quote) return false;
  let digits: number;
  let base = 16;
  if (c === 'x') digits = 2;
  else if (c === 'u') digits = 4;
  else if (c === 'U') digits = 8;
  else if (c >= '0' && c <= '7') {
    digits = 3;
    base = 8;
  } else return true;
  const body = base === 8 ? esc.slice(1, 4) : esc.slice(2, 2 + digits);
  if (body.length !== digits || !(base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/).test(body)) return true;
  const v = parseInt(body, base);
  if (base === 8 || c === 'x') return v > 255;
  return v > 0x10ffff || (v >= 0xd800 && v < 0xe000);
}

const escapeSequence: Check = (n, out, text) => {
  if (badEscape(text.slice(n.start, n.end), '"')) out.push(at(n));
};

const runeLiteral: Check = (n, out, text) => {
  const t = text.slice(n.start, n.end);
  if (t.length > 2 && t[1] === '\\' && badEscape(t.slice(1, -1), "'")) out.push(at(n));
};

/** Top level: a package clause first, then only declarations ("expected declaration"). */
function sourceFile(root: Node, out: ErrorAt[]): void {
  let sawPackage = false;
  for (const c of root.children) {
    if (!c.named || c.type === 'comment') continue;
    if (!sawPackage && c.type !== 'package_clause' && c.type !== 'ERROR') {
      out.push(at(c));
      return;
    }
    if (c.type === 'package_clause') sawPackage = true;
    else if (!TOP_LEVEL.has(c.type)) {
      // `func (x T) []byte {...}` is read as a function literal: Go stops after the "receiver".
      const p = c.type === 'expression_statement' ? c.children.find((k) => k.named) : undefined;
      const after = p?.type === 'func_literal' ? childByField(p, 'result') ?? childByField(p, 'body') : undefined;
      out.push(at(after ?? c));
      return;
    }
  }
  if (!sawPackage) out.push({ start: root.end, end: root.end }); // an empty file or only comments
}

/** Checks by node type: the node types are few and small (no expressions), so this stays cheap. */
const CHECKS: Record<string, Check> = {
  range_clause: rangeClause,
  go_statement: goDefer,
  defer_statement: goDefer,
  parameter_list: (n, out, text) => {
    parameterList(n, out, text);
    variadicLast(n, out, text);
    commaBeforeNewline(n, out, text);
  },
  // Only in files whose text has an escape Go may reject (see `checkedTypes`).
  escape_sequence: escapeSequence,
  rune_literal: runeLiteral,
};

/**
 * Looked at only in files whose text has an escape Go may reject: anything but the common ones
 * (\\n, \\", \\x41, octal below \\400...). A rune '\\"' is not caught by this filter (Go rejects it).
 */
const SUSPICIOUS_ESCAPE = /\\(?:[^abfnrtv\\"xuU0-7]|[4-7][0-7]{2}|[uU][dD][89a-fA-F]|U0*(?:1[1-9a-fA-F]|[2-9a-fA-F][0-9a-fA-F])[0-9a-fA-F]{4}(?![0-9a-fA-F]))/;

const STRUCTURE_TYPES: ReadonlySet<string> = new Set(['range_clause', 'go_statement', 'defer_statement', 'parameter_list']);
const ALL_TYPES: ReadonlySet<string> = new Set([...STRUCTURE_TYPES, 'escape_sequence', 'rune_literal']);

/**
 * The node types buildSyntax is to collect for `checkSyntax` in a file whose decoded source is
 * `source` (the escape checks only where the text has a suspicious escape).
 */
export function checkedTypes(source: string): ReadonlySet<string> {
  return SUSPICIOUS_ESCAPE.test(source) ? ALL_TYPES : STRUCTURE_TYPES;
}

/**
 * Positions Go's parser rejects (in no particular order), from the GoNode copy `root` of a tree and
 * the nodes of `checkedTypes` its walk collected outside ERROR subtrees; `text` is the text that
 * tree was parsed from.
 */
export function checkSyntax(root: Node, collected: readonly Node[], text: string): ErrorAt[] {
  const out: ErrorAt[] = [];
  sourceFile(root, out);
  for (const n of collected) CHECKS[n.type]!(n, out, text);
  return out;
}
