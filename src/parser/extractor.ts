/**
 * Optional fact extractors that ride on the single walk (see extractors/index.ts).
 *
 * An extractor names the node types it wants; the walker calls `visit` for each such node, with the
 * scope state of that point of the walk, and the extractor writes its facts into `ctx.facts.extra`
 * (declare its key on `FactMap` by declaration merging). Contract:
 * - every named node is visited exactly once, except inside ERROR subtrees and MISSING nodes;
 *   anonymous tokens are not visited (read them from `node.children`; punctuation such as `(` `,` `{` is
 *   not copied at all, see DROPPED_TOKENS in syntax.ts);
 * - order is the walk's, which is source order except where Go's scoping needs otherwise: the right
 *   side of `:=` / `var x = ...` / `range` before the left, signature types before parameter names,
 *   comments when their parent node is entered;
 * - binder identifiers (parameters, `:=` left sides, ...) are visited just before they are bound;
 * - nodes are GoNode copies: keep no references to them after `finish`.
 * An exception thrown by an extractor is caught and recorded as a SkipFact `extractor-failed`.
 */
import type { FileFacts, Span, TypeExpr } from './facts.js';
import type { GoNode } from './syntax.js';

export interface ExtractorContext {
  readonly facts: FileFacts;
  /** The decoded source; node offsets index into it. */
  readonly source: string;
  text(node: GoNode): string;
  span(node: GoNode): Span;
  /** First child of `node` with this field name. */
  child(node: GoNode, field: string): GoNode | undefined;
  /** True if a local scope (parameter, variable, type, type parameter...) declares `name` here. */
  isLocal(name: string): boolean;
  /** Certain type of local variable/constant `name`, if known. */
  localType(name: string): TypeExpr | undefined;
  /** Import path that `name` refers to here (an import's file-scope name, not shadowed), if any. */
  importPath(name: string): string | undefined;
  /** Type of an expression when known with certainty (locals with declared types, T{}, &T{}, new(T), x.(T)...). */
  typeOf(node: GoNode): TypeExpr | undefined;
  /** Records a SkipFact. */
  skip(reason: string, node: GoNode): void;
}

export interface Extractor {
  /** Kebab-case name, for diagnostics. */
  readonly name?: string;
  /** Node types to visit, e.g. ['call_expression']. */
  readonly nodeTypes: readonly string[];
  /** Called once per file before the walk (reset per-file state here). */
  begin?(ctx: ExtractorContext): void;
  visit(node: GoNode, ctx: ExtractorContext): void;
  /** Called once per file after the walk. */
  finish?(ctx: ExtractorContext): void;
}
