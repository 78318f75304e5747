/**
 * Syntax checks: what tree-sitter-go accepts but Go's parser (go/parser of the newest release goport
 * knows, 1.27) rejects. Each check looks at one node type and returns the positions Go would
 * report. They run on the native tree (one `descendantsOfType` call, then a few nodes), so a file
 * without errors costs no copy of its tree.
 */
import type Parser from 'tree-sitter';

type Node = Parser.SyntaxNode;

export interface ErrorAt {
  start: number;
  end: number;
}

type Check = (n: Node, out: ErrorAt[]) => void;

const at = (n: Node): ErrorAt => ({ start: n.startIndex, end: n.endIndex });

const TOP_LEVEL = new Set([
  'package_clause', 'import_declaration', 'function_declaration', 'method_declaration', 'type_declaration',
  'var_declaration', 'const_declaration', 'comment', 'ERROR',
]);

const namedParts = (n: Node): Node[] => n.namedChildren.filter((c) => c.type !== 'comment');

/** `for a, b, c := range x`: "expected at most 2 expressions". */
const rangeClause: Check = (n, out) => {
  const left = n.childForFieldName('left');
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
  const pds = n.namedChildren.filter((p) => p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration');
  const named = (pd: Node): boolean => pd.childForFieldName('name') !== null;
  if (!pds.some(named)) return;
  let pending: Node | undefined;
  for (const pd of pds) {
    if (named(pd)) {
      pending = undefined;
      continue;
    }
    const t = pd.childForFieldName('type');
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
  const pds = n.namedChildren.filter((p) => p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration');
  const v = pds.findIndex((p) => p.type === 'variadic_parameter_declaration');
  if (v >= 0 && v < pds.length - 1) out.push(at(pds[v]!));
};

/**
 * A list that continues on the next line needs a comma after its last element: at the line break
 * Go's scanner inserts a semicolon ("missing ',' before newline in argument list").
 */
const commaBeforeNewline: Check = (n, out) => {
  const kids = n.children;
  const close = kids[kids.length - 1];
  if (!close || close.isMissing || (close.type !== ')' && close.type !== '}')) return;
  let last: Node | undefined;
  for (let i = kids.length - 2; i >= 0; i--) {
    const k = kids[i]!;
    if (k.type === 'comment') continue;
    if (k.isNamed && k.type !== 'ERROR') last = k;
    break; // a `,` (or the opener) comes first: fine
  }
  if (!last || last.endPosition.row === close.startPosition.row) return;
  // The line break is between `last` and the closer (outside comments only a line comment or a
  // general comment spanning lines can be there, and both end the line for Go's scanner too).
  out.push({ start: last.endIndex, end: last.endIndex });
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

const escapeSequence: Check = (n, out) => {
  if (badEscape(n.text, '"')) out.push(at(n));
};

const runeLiteral: Check = (n, out) => {
  const t = n.text;
  if (t.length > 2 && t[1] === '\\' && badEscape(t.slice(1, -1), "'")) out.push(at(n));
};

/** Top level: a package clause first, then only declarations ("expected declaration"). */
function sourceFile(root: Node, out: ErrorAt[]): void {
  let sawPackage = false;
  for (const c of root.namedChildren) {
    if (c.type === 'comment') continue;
    if (!sawPackage && c.type !== 'package_clause' && c.type !== 'ERROR') {
      out.push(at(c));
      return;
    }
    if (c.type === 'package_clause') sawPackage = true;
    else if (!TOP_LEVEL.has(c.type)) {
      // `func (x T) []byte {...}` is read as a function literal: Go stops after the "receiver".
      const p = c.type === 'expression_statement' ? c.firstNamedChild : null;
      const after = p?.type === 'func_literal' ? p.childForFieldName('result') ?? p.childForFieldName('body') : null;
      out.push(at(after ?? c));
      return;
    }
  }
  if (!sawPackage) out.push({ start: root.endIndex, end: root.endIndex }); // an empty file or only comments
}

/** Checks by node type: the node types are few and small (no expressions), so this stays cheap. */
const CHECKS: Record<string, Check> = {
  range_clause: rangeClause,
  go_statement: goDefer,
  defer_statement: goDefer,
  parameter_list: (n, out) => {
    parameterList(n, out);
    variadicLast(n, out);
    commaBeforeNewline(n, out);
  },
};

/**
 * Looked at only in files whose text has an escape Go may reject: anything but the common ones
 * (\\n, \\", \\x41, octal below \\400...). A rune '\\"' is not caught by this filter (Go rejects it).
 */
const ESCAPE_CHECKS: Record<string, Check> = { escape_sequence: escapeSequence, rune_literal: runeLiteral };
const SUSPICIOUS_ESCAPE = /\\(?:[^abfnrtv\\"xuU0-7]|[4-7][0-7]{2}|[uU][dD][89a-fA-F]|U0*(?:1[1-9a-fA-F]|[2-9a-fA-F][0-9a-fA-F])[0-9a-fA-F]{4}(?![0-9a-fA-F]))/;

function insideError(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'ERROR') return true;
  return false;
}

/** Positions Go's parser rejects in `tree` (in no particular order); nothing inside ERROR nodes. */
export function checkSyntax(tree: Parser.Tree, text: string): ErrorAt[] {
  const out: ErrorAt[] = [];
  const root = tree.rootNode;
  sourceFile(root, out);
  const hasError = root.hasError;
  const run = (checks: Record<string, Check>) => {
    for (const n of root.descendantsOfType(Object.keys(checks))) {
      const before = out.length;
      checks[n.type]!(n, out);
      if (hasError && out.length > before && insideError(n)) out.length = before;
    }
  };
  run(CHECKS);
  if (SUSPICIOUS_ESCAPE.test(text)) run(ESCAPE_CHECKS);
  return out;
}
