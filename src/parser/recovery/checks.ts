/**
 * Syntax checks: what tree-sitter-go accepts but Go's parser (go/parser of the newest release goport
 * knows, 1.27) rejects. Each check looks at one node type and returns the positions Go would
 * report. Run on every file, on the GoNode copy, in one iterative pass.
 */
import { childByField, namedParts, type GoNode } from '../syntax.js';

export interface ErrorAt {
  start: number;
  end: number;
}

type Check = (n: GoNode, out: ErrorAt[]) => void;

const at = (n: GoNode): ErrorAt => ({ start: n.start, end: n.end });

const TOP_LEVEL = new Set([
  'package_clause', 'import_declaration', 'function_declaration', 'method_declaration', 'type_declaration',
  'var_declaration', 'const_declaration', 'comment', 'ERROR',
]);

/** `for a, b, c := range x`: "expected at most 2 expressions". */
const rangeClause: Check = (n, out) => {
  const left = childByField(n, 'left');
  const ids = left ? namedParts(left) : [];
  if (ids.length > 2) out.push(at(ids[2]!));
};

/** `go f` / `defer (f())`: "expression in go must be function call". */
const goDefer: Check = (n, out) => {
  const e = namedParts(n)[0];
  if (e && e.type !== 'call_expression') out.push(at(e));
};

/**
 * Parameter lists mixing named and unnamed parameters: `(a int, b)`, `(a int, []int)`.
 * tree-sitter-go reads the leading names of `(a, b, c int)` as type-only parameters, so a bare type
 * name followed by a named group is a name of that group (as the walker reads it too).
 */
const parameterList: Check = (n, out) => {
  const pds = namedParts(n).filter((p) => p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration');
  const named = (pd: GoNode): boolean => pd.children.some((c) => c.field === 'name');
  if (!pds.some(named)) return;
  let pending: GoNode | undefined;
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

/** Top level: a package clause first, then only declarations ("expected declaration"). */
const sourceFile: Check = (n, out) => {
  let sawPackage = false;
  for (const c of n.children) {
    if (!c.named || c.type === 'comment') continue; // `;` and zero-width line terminators are tokens
    if (!sawPackage && c.type !== 'package_clause' && c.type !== 'ERROR') {
      out.push(at(c));
      return;
    }
    if (c.type === 'package_clause') sawPackage = true;
    else if (!TOP_LEVEL.has(c.type)) {
      // `func (x T) []byte {...}` is read as a function literal: Go stops after the receiver.
      const p = c.type === 'expression_statement' ? namedParts(c)[0] : undefined;
      const after = p?.type === 'func_literal' ? childByField(p, 'result') ?? childByField(p, 'body') : undefined;
      out.push(at(after ?? c));
      return;
    }
  }
  if (!sawPackage) out.push({ start: n.end, end: n.end }); // an empty file or only comments
};

const CHECKS = new Map<string, Check>([
  ['source_file', sourceFile],
  ['range_clause', rangeClause],
  ['go_statement', goDefer],
  ['defer_statement', goDefer],
  ['parameter_list', parameterList],
]);

/** Positions Go's parser rejects in a tree tree-sitter accepted (in no particular order). */
export function checkSyntax(root: GoNode): ErrorAt[] {
  const out: ErrorAt[] = [];
  const stack: GoNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'ERROR') continue;
    const c = CHECKS.get(n.type);
    if (c) c(n, out);
    for (let i = n.children.length - 1; i >= 0; i--) {
      const k = n.children[i]!;
      if (k.named) stack.push(k);
    }
  }
  return out;
}
