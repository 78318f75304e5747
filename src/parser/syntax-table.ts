/**
 * The syntax table: a compact, serializable copy of a file's declarations and bodies, for the type
 * layer (src/types). Made in the same single parse as the other facts (parse.ts), from the GoNode
 * copy of the tree.
 *
 * Layout: the named nodes of the tree except comments, in preorder; per node five int32 words
 * `[kind | field << 8, start, end, next, val]`:
 * - `kind`: index into KINDS (tree-sitter named node types; 0 for one not listed), `field`: index
 *   into FIELDS (the node's field in its parent; 0 for none);
 * - `start`/`end`: byte offsets into the file (as go/token's offsets: a BOM counts);
 * - `next`: the index just past the node's subtree, so the children of `i` are `i+1`, then
 *   `next[i+1]`, ... while below `next[i]`;
 * - `val`: an index into the string table, or -1: the text of identifiers and literals, the
 *   operator of unary/binary expressions and assignments, `:=` or `=` of range clauses and receive statements, the direction of a channel
 *   type (`chan`, `<-chan`, `chan<-`), `*` on an embedded pointer field, `...` on `[...]T`.
 * Then the byte offset of every line start. Subtrees of string literals are not kept (their text is).
 *
 * The table travels as `{ v, w, s }`: the int32 words (an Int32Array, which the facts codec carries
 * as raw bytes from the workers and in the cache) and the string table (one lazily parsed JSON line).
 * Tables kept as JSON (the std declaration tables) have the words in base64 in `b` instead.
 * `SyntaxView` reads either.
 */
import type { GoNode } from './syntax.js';

/** Bump when the layout or KINDS/FIELDS change. */
export const SYNTAX_TABLE_VERSION = 1;

export const KINDS = [
  'other', 'ERROR', 'source_file', 'package_clause', 'import_declaration', 'import_spec', 'import_spec_list',
  'function_declaration', 'method_declaration', 'type_declaration', 'type_spec', 'type_alias', 'var_declaration',
  'var_spec', 'var_spec_list', 'const_declaration', 'const_spec', 'parameter_list', 'parameter_declaration',
  'variadic_parameter_declaration', 'type_parameter_list', 'type_parameter_declaration', 'type_constraint',
  'identifier', 'field_identifier', 'type_identifier', 'package_identifier', 'label_name', 'blank_identifier', 'dot',
  'int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal',
  'raw_string_literal', 'true', 'false', 'nil', 'iota',
  'selector_expression', 'call_expression', 'argument_list', 'variadic_argument', 'type_arguments', 'index_expression',
  'slice_expression', 'type_assertion_expression', 'type_conversion_expression', 'type_instantiation_expression',
  'unary_expression', 'binary_expression', 'parenthesized_expression', 'composite_literal', 'literal_value',
  'literal_element', 'keyed_element', 'func_literal',
  'qualified_type', 'generic_type', 'pointer_type', 'slice_type', 'array_type', 'implicit_length_array_type', 'map_type',
  'channel_type', 'function_type', 'struct_type', 'field_declaration_list', 'field_declaration', 'interface_type',
  'method_elem', 'type_elem', 'negated_type', 'parenthesized_type',
  'block', 'statement_list', 'expression_list', 'expression_statement', 'send_statement', 'inc_statement',
  'dec_statement', 'assignment_statement', 'short_var_declaration', 'labeled_statement', 'if_statement',
  'for_statement', 'for_clause', 'range_clause', 'expression_switch_statement', 'expression_case', 'default_case',
  'type_switch_statement', 'type_case', 'select_statement', 'communication_case', 'receive_statement',
  'return_statement', 'go_statement', 'defer_statement', 'break_statement', 'continue_statement', 'goto_statement',
  'fallthrough_statement', 'empty_statement',
] as const;
export type Kind = (typeof KINDS)[number];

export const FIELDS = [
  '', 'alias', 'alternative', 'arguments', 'body', 'capacity', 'channel', 'communication', 'condition', 'consequence',
  'element', 'end', 'field', 'function', 'index', 'initializer', 'key', 'label', 'left', 'length', 'name', 'operand',
  'operator', 'package', 'parameters', 'path', 'receiver', 'result', 'right', 'start', 'tag', 'type', 'type_arguments',
  'type_parameters', 'update', 'value',
] as const;
export type Field = (typeof FIELDS)[number];

const KIND_ID = new Map<string, number>(KINDS.map((k, i) => [k, i]));
const FIELD_ID = new Map<string, number>(FIELDS.map((f, i) => [f, i]));
/** Nodes whose text is kept and whose subtree is not. */
const LEAF_TEXT = new Set(['identifier', 'field_identifier', 'type_identifier', 'package_identifier', 'label_name',
  'blank_identifier', 'int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal',
  'raw_string_literal']);
/** Nodes whose anonymous operator token is kept in `val`. */
const OPERATOR = new Set(['unary_expression', 'binary_expression', 'assignment_statement', 'range_clause', 'receive_statement']);
const LEAF = 1;
const OP = 2;
const DEFINE = 4;
/** Per kind id: LEAF | OP | DEFINE. */
const FLAGS: number[] = KINDS.map((k) => (LEAF_TEXT.has(k) ? LEAF : 0) | (OPERATOR.has(k) ? OP : 0) | (k === 'range_clause' || k === 'receive_statement' ? DEFINE : 0));
const CHAN = KIND_ID.get('channel_type')!;
const FIELD_DECL = KIND_ID.get('field_declaration')!;

/**
 * The serialized table (see the module comment): its words in `w` (what parseGoFile makes: the facts
 * codec carries a typed array as raw bytes, to and from workers and in the cache) or in `b` (base64,
 * for tables kept as JSON: the std declaration tables, decl-tables.ts).
 */
export interface SyntaxTable {
  v: number;
  /** The int32 words: [nodeCount, lineCount, nodes (5 words each)..., line starts...] */
  w?: Int32Array;
  /** The same words in base64 (when there is no `w`). */
  b?: string;
  s: string[];
}

const W = 5;

/** A table's strings and the index of a string in it (added on first use). */
export function stringTable(): { strings: string[]; str: (s: string) => number } {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  return {
    strings,
    str: (s: string): number => {
      let id = ids.get(s);
      if (id === undefined) {
        id = strings.length;
        strings.push(s);
        ids.set(s, id);
      }
      return id;
    },
  };
}

/**
 * Encodes the tree under `root`.
 * @param source the decoded text the tree was parsed from (GoNode offsets are UTF-16 indexes into it)
 * @param bomBytes bytes of a removed byte-order mark (added to every offset)
 */
export function encodeSyntax(root: GoNode, source: string, bomBytes: number): SyntaxTable {
  const byteAt = byteOffsets(source, bomBytes);
  const off = (i: number): number => (byteAt ? byteAt[i]! : i + bomBytes);

  // A growing int32 buffer: two header words, five per node, then the line starts.
  let words = new Int32Array(Math.max(1024, source.length >> 1));
  let len = 2;
  const ensure = (n: number): void => {
    if (len + n <= words.length) return;
    const w = new Int32Array(Math.max(words.length * 2, len + n));
    w.set(words.subarray(0, len));
    words = w;
  };
  const { strings, str } = stringTable();
  let count = 0;
  // Iterative preorder: each stack entry is a node whose `next` word is patched when its subtree ends.
  const stack: { n: GoNode; at: number; child: number; leaf: boolean }[] = [];
  const open = (n: GoNode): void => {
    ensure(W);
    const at = len;
    const kind = KIND_ID.get(n.type) ?? 0;
    const field = n.field === null ? 0 : (FIELD_ID.get(n.field) ?? 0);
    const flags = FLAGS[kind]!;
    let val = -1;
    if (flags & LEAF) val = str(source.slice(n.start, n.end));
    else if (flags & OP) {
      for (const c of n.children) if (!c.named && c.field === 'operator') val = str(c.type);
      if (val < 0 && flags & DEFINE) for (const c of n.children) if (!c.named && (c.type === ':=' || c.type === '=')) val = str(c.type);
    } else if (kind === CHAN) {
      const toks = n.children.filter((c) => !c.named).map((c) => c.type);
      val = str(toks[0] === '<-' ? '<-chan' : toks.includes('<-') ? 'chan<-' : 'chan');
    } else if (kind === FIELD_DECL) {
      if (n.children.some((c) => !c.named && c.type === '*')) val = str('*');
    }
    words[len] = kind | (field << 8);
    words[len + 1] = off(n.start);
    words[len + 2] = off(n.end);
    words[len + 3] = 0;
    words[len + 4] = val;
    len += W;
    count++;
    stack.push({ n, at, child: 0, leaf: (flags & LEAF) !== 0 });
  };
  open(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const cs = top.n.children;
    let pushed = false;
    while (!top.leaf && top.child < cs.length) {
      const c = cs[top.child++]!;
      if (!c.named || c.type === 'comment') continue;
      open(c);
      pushed = true;
      break;
    }
    if (pushed) continue;
    words[top.at + 3] = count;
    stack.pop();
  }
  return finishTable(words, len, count, strings, source, off, false);
}

/** UTF-16 index → byte offset of `source`; undefined for ASCII (then it is the index plus `bomBytes`). */
function byteOffsets(source: string, bomBytes: number): Int32Array | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(source)) return undefined;
  const byteAt = new Int32Array(source.length + 1);
  let b = bomBytes;
  for (let i = 0; i < source.length; i++) {
    byteAt[i] = b;
    const c = source.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < source.length && (source.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      b += 4;
      byteAt[++i] = b - 2; // inside a pair: never a node boundary
    } else b += 3;
  }
  byteAt[source.length] = b;
  return byteAt;
}

/**
 * The header words and the line starts after the `count` nodes in `words[0, len)`; the table out.
 * @param scratch `words` is a buffer to be reused: the table gets a copy of its words, never it
 */
function finishTable(words: Int32Array, len: number, count: number, strings: string[], source: string, off: (i: number) => number, scratch: boolean): SyntaxTable {
  let lines = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lines++;
  if (len + lines > words.length) {
    const w = new Int32Array(len + lines);
    w.set(words.subarray(0, len));
    words = w;
  }
  words[0] = count;
  words[1] = lines;
  words[len++] = 0;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) words[len++] = off(i + 1);
  return { v: SYNTAX_TABLE_VERSION, w: words.length === len && !scratch ? words : words.slice(0, len), s: strings };
}

/** The int32 words of a table (decoded from base64 when it has no `w`; never to be written to). */
export function syntaxWords(t: SyntaxTable): Int32Array {
  if (t.w !== undefined) return t.w;
  const buf = Buffer.from(t.b ?? '', 'base64');
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Int32Array(copy.buffer, 0, buf.length >> 2);
}

/** The parent index of a node that is not in the table (or whose children are not). */
export const TABLE_SKIP = -1;
/** The parent index given for the root. */
export const TABLE_ROOT = -2;
/** tableKindOf an anonymous token, and of a comment (neither is a table node). */
const TOKEN = -1;
const NOT_A_NODE = -2;
/** The val word of a node whose tokens are collected until `finish`. */
const WANTS_TOKENS = -3;

/** The table's kind id of a node type (TOKEN, NOT_A_NODE: not in the table). */
export function tableKindOf(type: string, named: boolean): number {
  return !named ? TOKEN : type === 'comment' ? NOT_A_NODE : (KIND_ID.get(type) ?? 0);
}

/** The table's field id of a field name. */
export function tableFieldOf(field: string | null): number {
  return field === null ? 0 : (FIELD_ID.get(field) ?? 0);
}

/**
 * The table made during buildSyntax's cursor walk (syntax.ts) instead of by a second pass over the
 * GoNode copy: for a tree whose copy is exactly the cursor's tree (no recovery rewrites or grafts),
 * the same words and string table as `encodeSyntax` of that copy (test/syntax-table.test.ts).
 *
 * buildSyntax calls `node` for every GoNode it makes, in preorder, with the table index of the node's
 * parent as `node` returned it, and `close` when the subtree of a node with an index ends.
 */
/**
 * The words TableBuilders write, one table at a time per thread (parseGoFile fills one builder and
 * finishes it before the next): grown, never shrunk, copied out by `finish` (no buffer per file
 * grown by doubling).
 */
let scratchWords = new Int32Array(1 << 16);

export class TableBuilder {
  /** Two header words, then five per node (start, end and val are written by `finish`). */
  private words = scratchWords;
  private count = 0;
  /** The GoNode of each table node: its offsets are known only when its subtree ends. */
  private readonly nodes: GoNode[] = [];
  /** Anonymous tokens [type, field, type, field...] of OP, channel_type and field_declaration nodes. */
  private readonly tokens = new Map<number, (string | null)[]>();

  /**
   * A GoNode whose parent has table index `parent` (TABLE_SKIP: outside the table), of table kind
   * `kind` (tableKindOf its type) in field `field` (tableFieldOf its field). Returns the index its
   * children are to be given: its own when they belong in the table, else TABLE_SKIP.
   */
  node(n: GoNode, parent: number, kind: number, field: number): number {
    if (parent === TABLE_SKIP) return TABLE_SKIP;
    if (kind < 0) {
      // A token matters only under a node marked as wanting its tokens (val word WANTS_TOKENS).
      if (kind === TOKEN && parent >= 0 && this.words[2 + parent * W + 4] === WANTS_TOKENS) this.tokens.get(parent)!.push(n.type, n.field);
      return TABLE_SKIP;
    }
    const i = this.count++;
    const at = 2 + i * W;
    if (at + W > this.words.length) {
      const w = new Int32Array(this.words.length * 2);
      w.set(this.words);
      this.words = scratchWords = w;
    }
    this.words[at] = kind | (field << 8);
    this.words[at + 3] = i + 1;
    this.nodes.push(n);
    const flags = FLAGS[kind]!;
    if (flags & LEAF) return TABLE_SKIP;
    if (flags & OP || kind === CHAN || kind === FIELD_DECL) {
      this.words[at + 4] = WANTS_TOKENS;
      this.tokens.set(i, []);
    } else this.words[at + 4] = 0;
    return i;
  }

  /** The subtree of table node `i` ends. */
  close(i: number): void {
    this.words[2 + i * W + 3] = this.count;
  }

  /** The table, with `source` the text the tree was parsed from (see encodeSyntax). */
  finish(source: string, bomBytes: number): SyntaxTable {
    const byteAt = byteOffsets(source, bomBytes);
    const off = (i: number): number => (byteAt ? byteAt[i]! : i + bomBytes);
    const { strings, str } = stringTable();
    const words = this.words;
    const nodes = this.nodes;
    // In index order, i.e. preorder: the strings get the ids encodeSyntax gives them.
    for (let i = 0; i < this.count; i++) {
      const n = nodes[i]!;
      const at = 2 + i * W;
      const kind = words[at]! & 0xff;
      const flags = FLAGS[kind]!;
      let val = -1;
      if (flags & LEAF) val = str(source.slice(n.start, n.end));
      else {
        const toks = words[at + 4] === WANTS_TOKENS ? this.tokens.get(i) : undefined;
        if (toks !== undefined) {
          if (flags & OP) {
            for (let t = 0; t < toks.length; t += 2) if (toks[t + 1] === 'operator') val = str(toks[t]!);
            if (val < 0 && flags & DEFINE) for (let t = 0; t < toks.length; t += 2) if (toks[t] === ':=' || toks[t] === '=') val = str(toks[t]!);
          } else if (kind === CHAN) {
            let first: string | null | undefined;
            let arrow = false;
            for (let t = 0; t < toks.length; t += 2) {
              if (t === 0) first = toks[0];
              if (toks[t] === '<-') arrow = true;
            }
            val = str(first === '<-' ? '<-chan' : arrow ? 'chan<-' : 'chan');
          } else {
            for (let t = 0; t < toks.length; t += 2) if (toks[t] === '*') val = str('*');
          }
        }
      }
      words[at + 1] = off(n.start);
      words[at + 2] = off(n.end);
      words[at + 4] = val;
    }
    return finishTable(words, 2 + this.count * W, this.count, strings, source, off, true);
  }
}

/** Node index 0 is the root; -1 means "none". */
export type NodeId = number;

/** Read access to a SyntaxTable (decoded once). */
export class SyntaxView {
  private readonly w: Int32Array;
  readonly count: number;
  private readonly nLines: number;
  private readonly linesAt: number;
  readonly strings: readonly string[];

  constructor(t: SyntaxTable) {
    if (t.v !== SYNTAX_TABLE_VERSION) throw new Error(`syntax table version ${t.v}, want ${SYNTAX_TABLE_VERSION}`);
    this.w = syntaxWords(t);
    this.count = this.w[0]!;
    this.nLines = this.w[1]!;
    this.linesAt = 2 + this.count * W;
    this.strings = t.s;
  }

  kind(i: NodeId): Kind {
    return KINDS[this.w[2 + i * W]! & 0xff]!;
  }
  field(i: NodeId): Field {
    return FIELDS[(this.w[2 + i * W]! >> 8) & 0xff]!;
  }
  start(i: NodeId): number {
    return this.w[3 + i * W]!;
  }
  end(i: NodeId): number {
    return this.w[4 + i * W]!;
  }
  /** Index just past the subtree of `i`. */
  next(i: NodeId): NodeId {
    return this.w[5 + i * W]!;
  }
  /** The node's text (identifiers, literals), operator or flag (see the module comment), or ''. */
  text(i: NodeId): string {
    const v = this.w[6 + i * W]!;
    return v < 0 ? '' : this.strings[v]!;
  }
  children(i: NodeId): NodeId[] {
    const out: NodeId[] = [];
    const end = this.next(i);
    for (let c = i + 1; c < end; c = this.next(c)) out.push(c);
    return out;
  }
  /** First child with this field, or -1. */
  child(i: NodeId, field: Field): NodeId {
    const end = this.next(i);
    for (let c = i + 1; c < end; c = this.next(c)) if (this.field(c) === field) return c;
    return -1;
  }
  /** Children with this field. */
  childrenOf(i: NodeId, field: Field): NodeId[] {
    const out: NodeId[] = [];
    const end = this.next(i);
    for (let c = i + 1; c < end; c = this.next(c)) if (this.field(c) === field) out.push(c);
    return out;
  }
  /** 1-based line and 1-based byte column of a byte offset (as go/token). */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.nLines - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.w[this.linesAt + mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.w[this.linesAt + lo]! + 1 };
  }
  /** [line, col, endLine, endCol] of a node (a facts Span). */
  span(i: NodeId): [number, number, number, number] {
    const a = this.position(this.start(i));
    const b = this.position(this.end(i));
    return [a.line, a.col, b.line, b.col];
  }
}

const views = new WeakMap<SyntaxTable, SyntaxView>();

/** The view of a table, decoded once however many platform groups read it. */
export function viewOf(t: SyntaxTable): SyntaxView {
  let v = views.get(t);
  if (!v) views.set(t, (v = new SyntaxView(t)));
  return v;
}

declare module './facts.js' {
  interface FactMap {
    /** The file's syntax for the type layer (src/types). */
    syntax: SyntaxTable;
  }
}
