/**
 * Parsing what Go accepts where tree-sitter-go's grammar lags: recovery on the tree-sitter tree.
 *
 * Why recovery rather than an extended grammar: a grammar needs the tree-sitter CLI to generate its
 * parser, whose npm package downloads a prebuilt binary at install time (impossible here and on
 * locked-down CI), and the generated C must then be compiled on every user's machine. Recovery keeps
 * the published tree-sitter-go and fixes its known gaps in plain TypeScript:
 *
 * 1. Parse the source. A file without ERROR/MISSING nodes needs nothing more (the common case).
 * 2. Otherwise every gap (gaps.ts) finds its sites lexically and proposes same-length rewrites of the
 *    text tree-sitter parses; the source the walker reads is never changed, so every offset, line and
 *    column and every identifier's text stay the original's.
 * 3. The rewritten text is parsed again; a gap that needs a subtree the rewrite cannot give (a generic
 *    method's type parameters) takes it from an alternative parse and grafts it in.
 * 4. The checks (checks.ts) add what Go rejects but tree-sitter accepts.
 *
 * What was rewritten is returned as a side table (`rewrites`), counted in --verbose.
 */
import type Parser from 'tree-sitter';
import type { TableBuilder } from '../syntax-table.js';
import { buildSyntax, type GoNode } from '../syntax.js';
import { checkedTypes, checkSyntax, type ErrorAt } from './checks.js';
import { applyEdits, GAPS, type Edit, type GapContext, type GapFix, type Graft } from './gaps.js';
import { scanGo } from './scan.js';

/** One rewritten region: which gap, where (UTF-16 offsets into the source). */
export interface Rewrite {
  gap: string;
  start: number;
  end: number;
}

export interface RecoveredSyntax {
  /** The GoNode tree. */
  root: GoNode;
  /** True when the `table` given was filled in the copy's walk (a file parsed without errors at once). */
  tabled: boolean;
  /** Syntax errors as Go's parser would place them, in source order (at most `maxErrors`). */
  errors: ErrorAt[];
  rewrites: Rewrite[];
}

export type ParseText = (text: string) => Parser.Tree | undefined;

/** Errors kept per parse while recovering (only the first few are ever reported). */
const MAX_TRACKED = 64;

/** Where Go reports an ERROR/MISSING node of tree-sitter. */
function errorAt(n: GoNode, text: string): ErrorAt {
  if (!n.missing) return { start: n.start, end: n.end };
  const at = missingAt(text, n.start);
  return { start: at, end: at };
}

/** Tokens after which Go's scanner turns a line break into a semicolon (ident, literal, closer...). */
const SEMI_BEFORE = /(?:[\p{L}\p{Nd}_'"`)\]}]|\+\+|--)$/u;

/**
 * Go notices a missing token at the token it finds instead: the next token, or the semicolon it
 * inserts at the line break when the line ends with an identifier, a literal or a closing bracket.
 * tree-sitter puts a MISSING node right after the last token it kept.
 */
function missingAt(text: string, at: number): number {
  let i = at;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0 || text.slice(i, e).includes('\n')) break;
      i = e + 2;
      continue;
    }
    break;
  }
  const lineEnds = i >= text.length || text[i] === '\n' || text.startsWith('//', i);
  if (lineEnds && SEMI_BEFORE.test(text.slice(Math.max(0, at - 2), at).trimEnd())) return at;
  // Skip blank lines and comments to the next token.
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length : e;
    } else if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 2;
    } else return i;
  }
}

/**
 * Parses `text` (the decoded source) with recovery. Returns undefined if tree-sitter fails outright.
 * The GoNode copy of the tree is made in the same cursor walk as the syntax checks' node lists (and,
 * for a file without errors, the syntax table when `table` is given): one walk per parse.
 * @param parse tree-sitter's parse of a whole text (the caller owns the Parser)
 */
export function parseRecovering(text: string, parse: ParseText, maxErrors: number, table?: TableBuilder): RecoveredSyntax | undefined {
  const tree = parse(text);
  if (!tree) return undefined;
  const collect = checkedTypes(text);
  let found: ErrorAt[];
  let root: GoNode;
  let tabled = false;
  const rewrites: Rewrite[] = [];
  if (!tree.rootNode.hasError) {
    const built = buildSyntax(tree, 0, table, collect, text);
    root = built.root;
    tabled = table !== undefined;
    found = checkSyntax(root, built.collected, text);
  } else {
    const first = buildSyntax(tree, MAX_TRACKED, undefined, collect, text);
    root = first.root;
    found = first.errors.map((e) => errorAt(e, text));
    const fixed = recover(text, parse, collect);
    if (fixed) {
      root = fixed.root;
      found = fixed.errors;
      rewrites.push(...fixed.rewrites);
    }
    found.push(...(fixed ? fixed.checked : checkSyntax(first.root, first.collected, text)));
  }
  found.sort((a, b) => a.start - b.start || a.end - b.end);
  return { root, tabled, errors: found.slice(0, maxErrors), rewrites };
}

interface Recovered {
  root: GoNode;
  errors: ErrorAt[];
  /** What the syntax checks find in the rewritten parse (before any graft). */
  checked: ErrorAt[];
  rewrites: Rewrite[];
}

function recover(text: string, parse: ParseText, collect: ReadonlySet<string>): Recovered | undefined {
  const tokens = scanGo(text);
  let current = text;
  const fixes: GapFix[] = [];
  for (const gap of GAPS) {
    const ctx: GapContext = {
      source: text,
      tokens,
      text: current,
      parses: (file) => {
        const t = parse(file);
        return t !== undefined && !t.rootNode.hasError;
      },
    };
    const fs = gap.fixes(ctx);
    if (fs.length === 0) continue;
    fixes.push(...fs);
    current = applyEdits(current, fs.flatMap((f) => f.edits));
  }
  if (fixes.length === 0) return undefined;
  const tree = parse(current);
  if (!tree) return undefined;
  const main = buildSyntax(tree, MAX_TRACKED, undefined, collect, current);
  const errors = main.errors.map((e) => errorAt(e, text));
  // Before any graft changes the copy: the checks read the rewritten text's parse as it is.
  const checked = checkSyntax(main.root, main.collected, current);

  const grafting = fixes.filter((f) => f.graft !== undefined && f.altEdits !== undefined);
  if (grafting.length > 0) {
    // One alternative text for all of them: each fix's own edits undone, its alternative edits applied.
    const undo: Edit[] = grafting.flatMap((f) => f.edits.map((e) => ({ start: e.start, text: text.slice(e.start, e.start + e.text.length) })));
    const altText = applyEdits(applyEdits(current, undo), grafting.flatMap((f) => f.altEdits!));
    const altTree = parse(altText);
    const alt = altTree && buildSyntax(altTree, MAX_TRACKED, undefined, undefined, altText);
    for (const f of grafting) {
      const g: Graft | undefined = alt ? f.graft!(main.root, alt.root) : undefined;
      if (!alt || !g) {
        errors.push({ start: f.start, end: f.end }); // nothing to graft onto: the file is broken there
        continue;
      }
      for (const e of alt.errors) if (e.start >= g.start && e.end <= g.end) errors.push(errorAt(e, text));
    }
  }
  return { root: main.root, errors, checked, rewrites: fixes.map((f) => ({ gap: f.gap, start: f.start, end: f.end })) };
}
