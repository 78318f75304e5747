/**
 * What the walker needs to read `new(...)` and `make(...)` as Go does, now that recovery lets any
 * expression through (gaps.ts, new-make-call).
 */
import type { TypeExpr } from '../facts.js';
import { childByField, namedParts, type GoNode } from '../syntax.js';

const BUILTIN_CALLS = new Set(['new', 'make']);

/**
 * `new`/`make` declared at package level in this file (`func new(...)`, `var make = ...`): there the
 * name is the package's own, and calls of it are ordinary calls (their refs stay refs of the
 * package's declaration, so gated-symbol sees them). A declaration in another file of the package is
 * not visible per file; Go rejects `new(T)` with a type `T` in such a package, so a type read from
 * the argument can at worst name a variable, which the rules look up as a type and do not find.
 */
export function shadowedBuiltins(root: GoNode, text: (n: GoNode) => string): Set<string> {
  const out = new Set<string>();
  const note = (id: GoNode | undefined) => {
    if (id && !id.missing && BUILTIN_CALLS.has(text(id))) out.add(text(id));
  };
  for (const c of root.children) {
    switch (c.type) {
      case 'function_declaration':
        note(childByField(c, 'name'));
        break;
      case 'var_declaration':
      case 'const_declaration':
      case 'type_declaration':
        for (const spec of specsOf(c)) for (const k of spec.children) if (k.field === 'name') note(k);
        break;
      default:
    }
  }
  return out;
}

function specsOf(decl: GoNode): GoNode[] {
  const out: GoNode[] = [];
  for (const p of namedParts(decl)) {
    if (p.type === 'var_spec_list') out.push(...namedParts(p));
    else out.push(p);
  }
  return out;
}

/**
 * The element type of builtin `new(arg)`: `arg` itself when it is a type, else (Go 1.26) the type of
 * the expression `arg` when that is certain. `asType` reads type syntax (undefined or `unknown` when
 * `arg` is not certainly a type), `valueType` an expression's certain type.
 */
export function newElemType(
  arg: GoNode,
  asType: (n: GoNode) => TypeExpr | undefined,
  valueType: (n: GoNode) => TypeExpr | undefined,
): TypeExpr | undefined {
  const t = asType(arg);
  if (t && t.k !== 'unknown') return t;
  // tree-sitter reads `new(v)` as a type name even when `v` is a local variable: look it up as one.
  const v = valueType(arg.type === 'type_identifier' ? { ...arg, type: 'identifier' } : arg);
  return v && v.k !== 'unknown' ? v : undefined;
}
