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
import Go from 'tree-sitter-go';
import type { TypeExpr } from './facts.js';
import { TABLE_ROOT, TABLE_SKIP, type TableBuilder, tableFieldOf, tableKindOf } from './syntax-table.js';

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
  /** The named nodes of the `collect` types outside ERROR subtrees, in preorder. */
  collected: GoNode[];
}

/**
 * Punctuation that no analysis reads: these tokens are not copied (about a third of all nodes). Their
 * presence says nothing a node's type and its named children do not already say; every other anonymous
 * token (keywords, operators, `:=`, `*`, `&`, `...`, `<-`) is kept, and so is a MISSING punctuation token
 * inserted by error recovery (it is a syntax error to report).
 */
export const DROPPED_TOKENS: ReadonlySet<string> = new Set(['(', ')', '[', ']', '{', '}', ',', '.', ';', ':', '"', '`', '\n']);

/** Named node types that are tokens (tree-sitter leaves): the copy does not look for their children. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identifier', 'field_identifier', 'type_identifier', 'package_identifier', 'label_name', 'blank_identifier',
  'interpreted_string_literal_content', 'raw_string_literal_content', 'escape_sequence',
  'int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'comment',
  // Named terminals of the grammar (a rule that is one string): never any children.
  'true', 'false', 'nil', 'iota', 'dot', 'empty_statement', 'fallthrough_statement',
]);

/** How the copy treats a node type (by type id): kept with children, kept as a leaf, or dropped. */
const KEEP = 1;
const LEAF = 2;
const DROP = 3;

/**
 * The named node types whose children may have fields, from the grammar's node-types.json
 * (undefined when the binding does not ship it: every node is then asked for its field).
 */
const FIELDED: ReadonlySet<string> | undefined = (() => {
  const info = (Go as unknown as { nodeTypeInfo?: { type: string; named: boolean; fields?: Record<string, unknown> }[] }).nodeTypeInfo;
  if (!Array.isArray(info)) return undefined;
  return new Set(info.filter((t) => t.named && t.fields !== undefined && Object.keys(t.fields).length > 0).map((t) => t.type));
})();

// What buildSyntax learned of each node type id of the Go grammar (one native string read per id
// per thread, not per file) and of each field id. Type ids are 16-bit (ERROR is 65535): typed
// arrays, and the names of ids past the grammar's few hundred in a map, so no array turns sparse.
const IDS = 1 << 16;
const SMALL_IDS = 1024;
const typeNames: string[] = [];
const bigTypeNames = new Map<number, string>();
const typeName = (id: number): string => (id < SMALL_IDS ? typeNames[id]! : bigTypeNames.get(id)!);
const namedById = new Uint8Array(IDS);
/** 0 for an id not learned yet, else KEEP, LEAF or DROP. */
const modeById = new Uint8Array(IDS);
/**
 * How a leaf's end can be read off the text instead of asked of the cursor (a native call): 0 ask,
 * FIXED its text is its type (an anonymous token, `true`...), NAME an identifier token.
 */
const endById = new Uint8Array(IDS);
const FIXED = 1;
const NAME = 2;
/** Named leaves whose text is always their type (grammar terminals of one string). */
const FIXED_NAMED: ReadonlySet<string> = new Set(['true', 'false', 'nil', 'iota']);
/** Named leaves that are one identifier token (aliases of `identifier`). */
const NAME_TYPES: ReadonlySet<string> = new Set(['identifier', 'field_identifier', 'type_identifier', 'package_identifier', 'label_name', 'blank_identifier']);

/**
 * The end of the identifier starting at `start` of `text` when it is all ASCII (the token is the
 * longest run of letters, digits and `_`: tree-sitter's lexer munches maximally), else -1 (the
 * cursor is asked).
 */
function asciiNameEnd(text: string, start: number): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) continue;
    return c >= 0x80 || i === start ? -1 : i;
  }
  return i === start ? -1 : i;
}
/** The table's kind of each node type id. */
const tableKindById = new Int16Array(IDS);
/** Whether the children of a node type id may have fields (see FIELDED). */
const fieldsById = new Uint8Array(IDS);
const fieldNames: string[] = [];
/** The table's field id of each field id. */
const tableFieldById: number[] = [0];
/** Per set of types to collect: of each node type id, 0 not known yet, 1 not one, 2 one. */
const collectCache = new WeakMap<ReadonlySet<string>, Uint8Array>();

/**
 * Copies `tree` into GoNodes. Iterative, so deeply nested input cannot overflow the stack.
 *
 * Every cursor property is a native call, so the copy reads as few as it can: a dropped token costs
 * its type id and the move past it (and its start when it is the first child); a leaf is never asked
 * for children; an internal node takes its start from its first child (exact in tree-sitter).
 *
 * With `table`, the syntax table of the same tree is made in the same walk (syntax-table.ts). With
 * `collect`, the named nodes of those types that are not inside an ERROR node are listed (for the
 * syntax checks, recovery/checks.ts). With `text` (what the tree was parsed from), the ends of
 * tokens whose length their text tells (keywords, operators, ASCII identifiers: about half the
 * leaves) are read off it instead of asked of the cursor.
 */
export function buildSyntax(tree: Parser.Tree, maxErrors: number, table?: TableBuilder, collect?: ReadonlySet<string>, text?: string): BuildResult {
  const c = tree.walk();
  const checkErrors = tree.rootNode.hasError;
  const errors: GoNode[] = [];
  const collected: GoNode[] = [];
  let collectById: Uint8Array | undefined;
  if (collect !== undefined) {
    collectById = collectCache.get(collect);
    if (!collectById) collectCache.set(collect, (collectById = new Uint8Array(IDS)));
  }
  /** Open parents that are ERROR nodes (nothing under one is collected). */
  let inError = 0;

  const learn = (id: number): number => {
    const type = c.nodeType;
    const named = c.nodeIsNamed;
    if (id < SMALL_IDS) typeNames[id] = type;
    else bigTypeNames.set(id, type);
    namedById[id] = named ? 1 : 0;
    // An anonymous token is a terminal (tree-sitter-go aliases no rule to an anonymous name): a leaf.
    const mode = named ? (LEAF_TYPES.has(type) ? LEAF : KEEP) : DROPPED_TOKENS.has(type) ? DROP : LEAF;
    modeById[id] = mode;
    tableKindById[id] = tableKindOf(type, named);
    fieldsById[id] = FIELDED === undefined || type === 'ERROR' || FIELDED.has(type) ? 1 : 0;
    endById[id] = mode !== LEAF ? 0 : !named || FIXED_NAMED.has(type) ? FIXED : NAME_TYPES.has(type) ? NAME : 0;
    return mode;
  };
  let lastField = 0;

  /** A node whose parent (undefined: the root) has type id `parentId`. */
  const make = (id: number, parentId: number | undefined): Mutable => {
    const type = typeName(id);
    let field: string | null = null;
    // A child of a node type with no fields is not asked for its field (one native call less).
    const fid = parentId === undefined || fieldsById[parentId] === 1 ? c.currentFieldId : 0;
    if (fid) {
      field = fieldNames[fid] ?? (fieldNames[fid] = c.currentFieldName);
      lastField = tableFieldById[fid] ?? (tableFieldById[fid] = tableFieldOf(field));
    } else lastField = 0;
    const missing = checkErrors && c.nodeIsMissing;
    const n: Mutable = {
      type,
      named: namedById[id] === 1,
      field,
      start: 0,
      end: 0,
      children: NO_CHILDREN,
      missing,
      ty: undefined,
    };
    if (checkErrors && (missing || type === 'ERROR') && errors.length < maxErrors) errors.push(n);
    if (collectById !== undefined && inError === 0) {
      let k = collectById[id]!;
      if (k === 0) collectById[id] = k = namedById[id] === 1 && collect!.has(type) ? 2 : 1;
      if (k === 2) collected.push(n);
    }
    return n;
  };

  /** A leaf's end: read off the text where its kind allows (endById), else the cursor's. */
  const leafEnd = (id: number, n: Mutable, start: number): number => {
    const how = text === undefined || n.missing ? 0 : endById[id]!;
    if (how === FIXED) {
      if (text!.startsWith(n.type, start)) return start + n.type.length;
    } else if (how === NAME) {
      const e = asciiNameEnd(text!, start);
      if (e >= 0) return e;
    }
    return c.endIndex;
  };

  const rootId = c.nodeTypeId;
  if (modeById[rootId] === 0) learn(rootId);
  const root = make(rootId, undefined);
  const rootIndex = table ? table.node(root, TABLE_ROOT, tableKindById[rootId]!, lastField) : TABLE_SKIP;
  if (!c.gotoFirstChild()) {
    root.start = c.startIndex;
    root.end = c.endIndex;
    return { root, errors, collected };
  }
  const parents: Mutable[] = [root];
  const parentIds: number[] = [rootId];
  // The children of every open parent, one after the other (each parent's from bases[its depth]):
  // a parent's closing copies its own into an array of their exact size.
  const kids: GoNode[] = [];
  let top = 0;
  const bases: number[] = [0];
  // Start of the current parent when its first child was dropped (-1: take it from the first kept child).
  const starts: number[] = [-1];
  // With a table: the table index of each open parent (TABLE_SKIP when its children are not in it).
  const indexes: number[] = [rootIndex];
  let depth = 0;
  for (;;) {
    const id = c.nodeTypeId;
    const mode = modeById[id] || learn(id);
    if (mode === DROP && !(checkErrors && c.nodeIsMissing)) {
      if (top === bases[depth] && starts[depth] === -1) starts[depth] = c.startIndex;
    } else {
      const n = make(id, parentIds[depth]);
      kids[top++] = n;
      const index = table ? table.node(n, indexes[depth]!, tableKindById[id]!, lastField) : TABLE_SKIP;
      if (mode === KEEP && c.gotoFirstChild()) {
        if (checkErrors && n.type === 'ERROR') inError++;
        depth++;
        parents[depth] = n;
        parentIds[depth] = id;
        bases[depth] = top;
        starts[depth] = -1;
        indexes[depth] = index;
        continue;
      }
      const start = (n.start = c.startIndex);
      n.end = leafEnd(id, n, start);
    }
    while (!c.gotoNextSibling()) {
      c.gotoParent();
      const p = parents[depth]!;
      if (checkErrors && p.type === 'ERROR') inError--;
      const base = bases[depth]!;
      const s = starts[depth]!;
      const index = indexes[depth]!;
      if (index >= 0) table!.close(index);
      if (top > base) {
        p.children = kids.slice(base, top);
        p.start = s !== -1 ? s : kids[base]!.start;
      } else {
        p.children = NO_CHILDREN;
        p.start = s;
      }
      top = base;
      // Not the last child's end: hidden tokens (a statement's newline) may follow it.
      p.end = c.endIndex;
      if (depth === 0) return { root: p, errors, collected };
      depth--;
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
export function namedParts(n: GoNode): readonly GoNode[] {
  const cs = n.children;
  let i = 0;
  while (i < cs.length && isPart(cs[i]!)) i++;
  // Every child is a part (the common case): the children themselves, not a copy.
  if (i === cs.length) return cs;
  const out = cs.slice(0, i);
  for (i++; i < cs.length; i++) if (isPart(cs[i]!)) out.push(cs[i]!);
  return out;
}

function isPart(c: GoNode): boolean {
  return c.named && c.type !== 'comment' && c.type !== 'ERROR';
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
