/**
 * A compact, plain-JS copy of a tree-sitter tree, made with ONE cursor walk.
 *
 * Why a copy: in node-tree-sitter every property of a `SyntaxNode` is a native call that also allocates
 * a wrapper; a cursor walk that only reads ids and offsets is ~3x cheaper, and the analysis needs random
 * access to fields (`x := y` is analysed right side first). Nothing here outlives `parseGoFile`.
 *
 * Offsets are UTF-16 code-unit indexes into the decoded source string (node-tree-sitter parses JS
 * strings as UTF-16); `LineMap` turns them into 1-based line / UTF-8 byte columns.
 */
import type Parser from 'tree-sitter';
import type { TypeExpr } from './facts.js';

export interface GoNode {
  /** tree-sitter node type: `identifier`, `selector_expression`, `:=`, `ERROR`... */
  readonly type: string;
  /** false for anonymous tokens (keywords, operators, punctuation). */
  readonly named: boolean;
  /** Field name in the parent (`left`, `operand`...), or null. */
  readonly field: string | null;
  /** UTF-16 offsets into the decoded source, end exclusive. */
  readonly start: number;
  readonly end: number;
  children: GoNode[];
  /** A zero-width node inserted by error recovery. */
  readonly missing: boolean;
  /** @internal walker cache: the TypeExpr of a type node or of a composite literal. */
  ty: TypeExpr | undefined;
}

const NO_CHILDREN: GoNode[] = [];

type Mutable = { -readonly [K in keyof GoNode]: GoNode[K] };

export interface BuildResult {
  root: GoNode;
  /** ERROR and MISSING nodes in source order (at most `maxErrors`). */
  errors: GoNode[];
}

/** Copies `tree` into GoNodes. Iterative, so deeply nested input cannot overflow the stack. */
export function buildSyntax(tree: Parser.Tree, maxErrors: number): BuildResult {
  const c = tree.walk();
  const checkErrors = tree.rootNode.hasError;
  const errors: GoNode[] = [];
  // Type and field names by id: one native string read per distinct id.
  const typeNames: string[] = [];
  const namedById: boolean[] = [];
  const fieldNames: string[] = [];

  // start/end are filled in later: a leaf reads them from the cursor, an internal node takes its start
  // from its first child (exact in tree-sitter) and reads only its end: one native call less per node.
  const make = (): Mutable => {
    const id = c.nodeTypeId;
    let type = typeNames[id];
    if (type === undefined) {
      type = c.nodeType;
      typeNames[id] = type;
      namedById[id] = c.nodeIsNamed;
    }
    const fid = c.currentFieldId;
    let field: string | null = null;
    if (fid) field = fieldNames[fid] ?? (fieldNames[fid] = c.currentFieldName);
    const missing = checkErrors && c.nodeIsMissing;
    const n: Mutable = {
      type,
      named: namedById[id] === true,
      field,
      start: 0,
      end: 0,
      children: NO_CHILDREN,
      missing,
      ty: undefined,
    };
    if (checkErrors && (missing || type === 'ERROR') && errors.length < maxErrors) errors.push(n);
    return n;
  };

  const root = make();
  if (!c.gotoFirstChild()) {
    root.start = c.startIndex;
    root.end = c.endIndex;
    return { root, errors };
  }
  const parents: Mutable[] = [root];
  const kids: GoNode[][] = [[]];
  for (;;) {
    const n = make();
    kids[kids.length - 1]!.push(n);
    if (c.gotoFirstChild()) {
      parents.push(n);
      kids.push([]);
      continue;
    }
    n.start = c.startIndex;
    n.end = c.endIndex;
    while (!c.gotoNextSibling()) {
      c.gotoParent();
      const p = parents.pop()!;
      const ch = kids.pop()!;
      p.children = ch;
      p.start = ch[0]!.start;
      p.end = c.endIndex;
      if (parents.length === 0) return { root: p, errors };
    }
  }
}

/** First child with this field name. */
export function childByField(n: GoNode, field: string): GoNode | undefined {
  const cs = n.children;
  for (let i = 0; i < cs.length; i++) if (cs[i]!.field === field) return cs[i];
  return undefined;
}

/** Named children that are not comments or ERROR nodes (the syntactic parts of `n`). */
export function namedParts(n: GoNode): GoNode[] {
  const out: GoNode[] = [];
  for (const c of n.children) {
    if (c.named && c.type !== 'comment' && c.type !== 'ERROR') out.push(c);
  }
  return out;
}

/** True if `n` has an anonymous child token `tok` (e.g. `:=`, `*`, `...`). */
export function hasToken(n: GoNode, tok: string): boolean {
  for (const c of n.children) if (!c.named && c.type === tok) return true;
  return false;
}

/** The expression inside any number of parentheses: `((x))` → `x`. */
export function unparen(n: GoNode): GoNode {
  let u = n;
  while (u.type === 'parenthesized_expression') {
    const p = namedParts(u);
    if (p.length !== 1) return u;
    u = p[0]!;
  }
  return u;
}
