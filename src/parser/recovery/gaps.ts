/**
 * Grammar gaps: valid Go that tree-sitter-go 0.25 rejects, each with a same-length rewrite of the
 * source that tree-sitter does parse into the tree Go means (see index.ts for the mechanism).
 *
 * A gap finds its sites lexically (comments and strings never match) and returns fixes: edits of
 * the text tree-sitter parses, and optionally an alternative parse to graft a subtree from. Adding
 * the next gap is one more entry in GAPS, with its own fixture.
 */
import type { Token } from './scan.js';
import { childByField, type GoNode } from '../syntax.js';

/** Replace `text.length` characters at `start` (same length, never across a line break). */
export interface Edit {
  start: number;
  text: string;
}

export interface GapContext {
  /** The decoded source. */
  readonly source: string;
  readonly tokens: readonly Token[];
  /** The text as rewritten by the gaps tried before this one. */
  readonly text: string;
  /** True if tree-sitter parses `file` (a whole Go file) without any error. */
  parses(file: string): boolean;
}

/** Where a grafted subtree came from: errors of the alternative parse inside it count as the file's. */
export interface Graft {
  start: number;
  end: number;
}

export interface GapFix {
  gap: string;
  /** The rewritten region (for the side table and --verbose). */
  start: number;
  end: number;
  edits: Edit[];
  /**
   * A second parse of the text with this fix's `edits` undone and `altEdits` applied; `graft` moves
   * what the main parse lacks from that tree into the main tree (both are GoNode copies).
   */
  altEdits?: Edit[];
  graft?: (main: GoNode, alt: GoNode) => Graft | undefined;
}

export interface Gap {
  name: string;
  fixes(ctx: GapContext): GapFix[];
}

/** Spaces for every character of `s` except line breaks (so lines and columns stay as they are). */
export function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/**
 * `new(expr)` (Go 1.26) and calls of a package's own or a local `new`/`make` with value arguments.
 * tree-sitter-go's grammar reads `new`/`make` as builtins whose first argument is a type
 * (tree-sitter-go issue #129 and PR #130, unmerged). Go's parser has no such rule: these are
 * ordinary calls. Each call whose text does not parse as is but does parse with the callee renamed
 * (`new` → `n_w`, same length) is rewritten; the walker reads identifiers from the original source, so
 * the callee is still `new` to it, with ordinary expression arguments. Calls are checked innermost
 * first, so `new(new(5))` works.
 */
const newMakeCalls: Gap = {
  name: 'new-make-call',
  fixes(ctx) {
    const toks = ctx.tokens;
    const sites: Array<{ name: Token; close: Token }> = [];
    for (let i = 0; i + 1 < toks.length; i++) {
      const t = toks[i]!;
      if (t.kind !== 'ident' || (t.text !== 'new' && t.text !== 'make')) continue;
      const open = toks[i + 1]!;
      if (open.text !== '(' || open.match < 0) continue;
      const prev = toks[i - 1];
      if (prev && (prev.text === '.' || (prev.kind === 'ident' && prev.text === 'func'))) continue;
      sites.push({ name: t, close: toks[open.match]! });
    }
    sites.sort((a, b) => a.close.start - b.close.start);
    const out: GapFix[] = [];
    let cur = ctx.text;
    for (const s of sites) {
      const call = (callee: string): string =>
        `package p;var _ = ${callee}${cur.slice(s.name.end, s.close.end)}\n`;
      if (ctx.parses(call(s.name.text))) continue;
      const renamed = s.name.text === 'new' ? 'n_w' : 'm_ke';
      if (!ctx.parses(call(renamed))) continue;
      const edit = { start: s.name.start, text: renamed };
      out.push({ gap: 'new-make-call', start: s.name.start, end: s.close.end, edits: [edit] });
      cur = applyEdits(cur, [edit]);
    }
    return out;
  },
};

/**
 * Go 1.27 generic methods, `func (l *List[T]) Map[U any](f func(T) U) *List[U]`: tree-sitter-go has
 * no type parameters on methods. The main parse sees the method with its type parameter list blanked;
 * an alternative parse with the receiver blanked instead sees a generic function, whose
 * `type_parameters` node is grafted into the method declaration (field `type_parameters`, after the
 * name), so the walker binds them like a generic function's.
 */
const genericMethods: Gap = {
  name: 'generic-method',
  fixes(ctx) {
    const toks = ctx.tokens;
    const src = ctx.source;
    const out: GapFix[] = [];
    for (let i = 0; i + 3 < toks.length; i++) {
      const f = toks[i]!;
      if (f.kind !== 'ident' || f.text !== 'func' || f.depth !== 0) continue;
      const recvOpen = toks[i + 1]!;
      if (recvOpen.text !== '(' || recvOpen.match < 0) continue;
      const name = toks[recvOpen.match + 1];
      const tpOpen = toks[recvOpen.match + 2];
      if (!name || name.kind !== 'ident' || !tpOpen || tpOpen.text !== '[' || tpOpen.match < 0) continue;
      const tpClose = toks[tpOpen.match]!;
      const recvClose = toks[recvOpen.match]!;
      const funcStart = f.start;
      out.push({
        gap: 'generic-method',
        start: tpOpen.start,
        end: tpClose.end,
        edits: [{ start: tpOpen.start, text: blank(src.slice(tpOpen.start, tpClose.end)) }],
        altEdits: [{ start: recvOpen.start, text: blank(src.slice(recvOpen.start, recvClose.end)) }],
        graft(main, alt) {
          const m = main.children.find((c) => c.start === funcStart && c.type === 'method_declaration');
          const g = alt.children.find((c) => c.start === funcStart && c.type === 'function_declaration');
          const tp = g && childByField(g, 'type_parameters');
          if (!m || !tp) return undefined;
          const at = m.children.findIndex((c) => c.field === 'name');
          if (at < 0) return undefined;
          m.children = [...m.children.slice(0, at + 1), { ...tp, field: 'type_parameters' }, ...m.children.slice(at + 1)];
          return { start: tp.start, end: tp.end };
        },
      });
      i = tpOpen.match;
    }
    return out;
  },
};

/**
 * An empty init statement, `if ; cond {` / `switch ; x {` (valid Go; gofmt drops the `;`):
 * tree-sitter-go wants a statement before the semicolon. The `;` is blanked.
 */
const emptyInit: Gap = {
  name: 'empty-init',
  fixes(ctx) {
    const out: GapFix[] = [];
    const toks = ctx.tokens;
    for (let i = 0; i + 1 < toks.length; i++) {
      const t = toks[i]!;
      const semi = toks[i + 1]!;
      if (t.kind !== 'ident' || (t.text !== 'if' && t.text !== 'switch') || semi.text !== ';') continue;
      out.push({ gap: 'empty-init', start: semi.start, end: semi.end, edits: [{ start: semi.start, text: ' ' }] });
    }
    return out;
  },
};

/** Gaps in the order they are tried; each sees the text as rewritten by the ones before. */
export const GAPS: readonly Gap[] = [genericMethods, newMakeCalls, emptyInit];

/** `text` with `edits` applied (same-length replacements, in any order). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.start + e.text.length;
  }
  return out + text.slice(at);
}
