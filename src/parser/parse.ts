/**
 * parseGoFile: one tree-sitter parse, one walk, FileFacts out. The tree never leaves this function.
 */
import { isUtf8 } from 'node:buffer';
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';
import type { FileFacts, Span } from './facts.js';
import type { Extractor } from './extractor.js';
import { extractors as registered } from './extractors/index.js';
import { LineMap } from './positions.js';
import { parseRecovering } from './recovery/index.js';
import { encodeSyntax, type SyntaxTable, TableBuilder } from './syntax-table.js';
import { FileWalker } from './walker.js';

/** At most this many ERROR/MISSING spans are kept. */
export const MAX_SYNTAX_ERRORS = 5;

/** Larger reads mean fewer native→JS callbacks; past this the default chunked reading is fine. */
const MAX_BUFFER_UNITS = 1 << 22;

let parser: Parser | undefined;

/** One Parser per module instance, i.e. per thread (worker threads load their own copy). */
function getParser(): Parser {
  if (parser === undefined) {
    parser = new Parser();
    parser.setLanguage(Go as unknown as Parser.Language);
  }
  return parser;
}

/** tree-sitter's parse of a whole text; undefined when it fails outright (the parser is reset). */
function treeSitterParse(text: string): Parser.Tree | undefined {
  const p = getParser();
  try {
    return p.parse(text, null, { bufferSize: Math.min(Math.max(text.length + 1, 1024), MAX_BUFFER_UNITS) });
  } catch {
    p.reset();
    return undefined;
  }
}

export interface ParseOptions {
  /** Extractors to run instead of the registered ones (tests). */
  extractors?: readonly Extractor[];
  /** Whether to keep the syntax table for the type layer (default true; see syntax-table.ts). */
  syntax?: boolean;
}

interface Decoded {
  text: string;
  /** Bytes of a removed byte-order mark (they still count in line 1's columns, as in go/token). */
  bomBytes: number;
  invalid: boolean;
}

function decode(source: Buffer | string): Decoded {
  if (typeof source === 'string') {
    return source.charCodeAt(0) === 0xfeff
      ? { text: source.slice(1), bomBytes: 3, invalid: false }
      : { text: source, bomBytes: 0, invalid: false };
  }
  let bytes = source;
  let bomBytes = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
    bomBytes = 3;
  }
  // Invalid sequences decode to U+FFFD; Go rejects such files, so approximate columns are fine.
  return { text: bytes.toString('utf8'), bomBytes, invalid: !isUtf8(bytes) };
}

function emptyFacts(path: string): FileFacts {
  return {
    path,
    pkgName: '',
    generated: false,
    syntaxErrors: [],
    imports: [],
    decls: [],
    methods: [],
    refs: [],
    qualRefs: [],
    selectors: [],
    litKeys: [],
    skips: [],
    extra: {},
  };
}

/** Error positions as spans; one at the end of a file ends on its last line, as in go/token. */
function errorSpans(errors: readonly { start: number; end: number }[], lines: LineMap, text: string): Span[] {
  const eof = text.endsWith('\n') ? text.length - 1 : text.length;
  return errors.map((e) => lines.span(Math.min(e.start, eof), Math.min(e.end, eof)));
}

/**
 * The syntax errors of one Go file, exactly as parseGoFile records them in `syntaxErrors`, without
 * the walk (the syntax corpus test compares them with Go's parser). undefined: tree-sitter failed.
 */
export function syntaxErrorsOf(source: Buffer | string): Span[] | undefined {
  const { text, bomBytes } = decode(source);
  const parsed = parseRecovering(text, treeSitterParse, MAX_SYNTAX_ERRORS);
  return parsed && errorSpans(parsed.errors, new LineMap(text, bomBytes), text);
}

/**
 * Parses one Go file into FileFacts. Never throws: syntax errors give the facts of what parsed plus
 * `syntaxErrors`; an internal failure gives a SkipFact `internal-error`.
 * @param path the path to record in the facts (relative to the analysis root, `/`-separated)
 */
export function parseGoFile(source: Buffer | string, path: string, options?: ParseOptions): FileFacts {
  const facts = emptyFacts(path);
  try {
    const { text, bomBytes, invalid } = decode(source);
    if (invalid) facts.invalidUtf8 = true;
    const lines = new LineMap(text, bomBytes);
    // A file that parses without errors at the first try gets its syntax table in the copy's walk.
    const wantSyntax = options?.syntax !== false;
    const table = wantSyntax ? new TableBuilder() : undefined;
    const parsed = parseRecovering(text, treeSitterParse, MAX_SYNTAX_ERRORS, table);
    if (!parsed) {
      facts.skips.push({ reason: 'internal-error', span: [1, 1, 1, 1] });
      return facts;
    }
    const { errors, rewrites, root } = parsed;
    facts.syntaxErrors.push(...errorSpans(errors, lines, text));
    for (const r of rewrites) facts.skips.push({ reason: `recovered: ${r.gap}`, span: lines.span(r.start, r.end) });
    new FileWalker(text, lines, facts, options?.extractors ?? registered).run(root);
    if (wantSyntax) {
      const syntax: SyntaxTable = table && parsed.tabled ? table.finish(text, bomBytes) : encodeSyntax(root, text, bomBytes);
      facts.extra.syntax = syntax;
    }
  } catch {
    facts.skips.push({ reason: 'internal-error', span: [1, 1, 1, 1] });
  }
  return facts;
}
