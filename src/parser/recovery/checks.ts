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

const CHECKS: Record<string, Check> = {
  range_clause: rangeClause,
  go_statement: goDefer,
  defer_statement: goDefer,
  parameter_list: parameterList,
};
const CHECKED = Object.keys(CHECKS);

function insideError(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'ERROR') return true;
  return false;
}

/** Positions Go's parser rejects in `tree` (in no particular order); nothing inside ERROR nodes. */
export function checkSyntax(tree: Parser.Tree): ErrorAt[] {
  const out: ErrorAt[] = [];
  const root = tree.rootNode;
  sourceFile(root, out);
  const hasError = root.hasError;
  for (const n of root.descendantsOfType(CHECKED)) {
    const before = out.length;
    CHECKS[n.type]!(n, out);
    if (hasError && out.length > before && insideError(n)) out.length = before;
  }
  return out;
}
