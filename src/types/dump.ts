/**
 * The recorded types of a package's identifier uses and selector operands, one line each:
 * `PATH:START:END<TAB>TYPE` (byte offsets, types.TypeString qualified by package path), the form
 * test/helpers/gotypes prints for go/types. Used by the cross-check test and `--verbose` counts.
 */
import type { PackageTypes } from './package.js';
import { typeString } from './types.js';

/** Nodes that are identifiers in go/ast. */
const IDENT_KINDS = new Set(['identifier', 'type_identifier', 'nil', 'true', 'false', 'iota']);

/** Identifier uses and selector operands with a known type, per file. */
export function recordedLines(types: PackageTypes, fileName: (path: string) => string): string[] {
  types.checkBodies();
  const out: string[] = [];
  for (const f of types.files) {
    const rec = types.records.get(f);
    if (!rec) continue;
    const v = f.view;
    const name = fileName(f.file.path);
    for (const [n, t] of rec) {
      const k = v.kind(n);
      const isOperand = v.field(n) === 'operand' && !IDENT_KINDS.has(k) && n > 0 && v.kind(parentOf(v, n)) === 'selector_expression';
      if (!IDENT_KINDS.has(k) && !isOperand) continue;
      if (t.k === 'tuple') continue;
      out.push(`${name}:${v.start(n)}:${v.end(n)}\t${typeString(t)}`);
    }
  }
  return out.sort();
}

/** The parent of node `n` (a scan back from `n`; only for reporting). */
function parentOf(v: PackageTypes['files'][number]['view'], n: number): number {
  for (let p = n - 1; p >= 0; p--) if (v.next(p) > n) return p;
  return -1;
}
