/**
 * runtime-compare: comparisons of `runtime.GOOS` / `runtime.GOARCH` with string literals
 * (`==`, `!=`, either side) and `case` values of `switch runtime.GOOS { ... }`. Read by
 * rules/build-constraint.ts, which finds comparisons that a file's own build constraints make
 * always false.
 */
import type { Span } from '../facts.js';
import type { Extractor, ExtractorContext } from '../extractor.js';
import { unquoteGoString } from '../go-text.js';
import type { GoNode } from '../syntax.js';
import { namedParts, unparen } from '../syntax.js';

export interface RuntimeCompareFact {
  name: 'GOOS' | 'GOARCH';
  /** `case`: a case value of a switch on the variable. */
  op: '==' | '!=' | 'case';
  value: string;
  /** Span of the comparison (for `case`, of the case value). */
  span: Span;
}

declare module '../facts.js' {
  interface FactMap {
    runtimeCompares: RuntimeCompareFact[];
  }
}

let found: RuntimeCompareFact[] = [];


/** `runtime.GOOS` or `runtime.GOARCH` (with `runtime` naming the import here). */
function runtimeVar(n: GoNode, ctx: ExtractorContext): 'GOOS' | 'GOARCH' | undefined {
  const u = unparen(n);
  if (u.type !== 'selector_expression') return undefined;
  const op = ctx.child(u, 'operand');
  const f = ctx.child(u, 'field');
  if (op?.type !== 'identifier' || !f) return undefined;
  const name = ctx.text(f);
  if (name !== 'GOOS' && name !== 'GOARCH') return undefined;
  return ctx.importPath(ctx.text(op)) === 'runtime' ? name : undefined;
}

function stringLit(n: GoNode, ctx: ExtractorContext): string | undefined {
  const u = unparen(n);
  if (u.type !== 'interpreted_string_literal' && u.type !== 'raw_string_literal') return undefined;
  return unquoteGoString(ctx.text(u));
}

export const runtimeCompareExtractor: Extractor = {
  name: 'runtime-compare',
  nodeTypes: ['binary_expression', 'expression_switch_statement'],
  begin() {
    found = [];
  },
  visit(n, ctx) {
    if (n.type === 'binary_expression') {
      let op: string | undefined;
      for (const c of n.children) if (c.field === 'operator') op = c.type;
      if (op !== '==' && op !== '!=') return;
      const l = ctx.child(n, 'left');
      const r = ctx.child(n, 'right');
      if (!l || !r) return;
      const name = runtimeVar(l, ctx) ?? runtimeVar(r, ctx);
      const value = stringLit(r, ctx) ?? stringLit(l, ctx);
      if (name === undefined || value === undefined) return;
      found.push({ name, op, value, span: ctx.span(n) });
      return;
    }
    const v = ctx.child(n, 'value');
    if (!v) return;
    const name = runtimeVar(v, ctx);
    if (name === undefined) return;
    for (const c of namedParts(n)) {
      if (c.type !== 'expression_case') continue;
      const list = ctx.child(c, 'value');
      if (!list) continue;
      for (const e of list.type === 'expression_list' ? namedParts(list) : [list]) {
        const value = stringLit(e, ctx);
        if (value !== undefined) found.push({ name, op: 'case', value, span: ctx.span(e) });
      }
    }
  },
  finish(ctx) {
    if (found.length > 0) ctx.facts.extra.runtimeCompares = found;
    found = [];
  },
};
