/** Questions rules ask the type layer (answers hold on every platform group of a file, or none). */
import type { PackageModel, SourceFile } from '../model/program.js';
import type { Span } from '../parser/facts.js';
import type { PlatformMask } from '../platform/targets.js';
import type { TypeLayer } from './layer.js';
import type { Type } from './types.js';

export interface TypedSelection {
  /** Span of the selected name (`f` in `x.f`). */
  span: Span;
  member: string;
  /** The named type of the operand (through one pointer): its package path and name. */
  typePkg: string;
  typeName: string;
}

/** The package-level named type `t` denotes, directly or through one pointer. */
export function namedBase(t: Type | undefined): { pkg: string; name: string } | undefined {
  let b = t;
  if (b?.k === 'pointer') b = b.elem;
  if (b?.k !== 'named' || b.obj.local || !b.obj.pkg) return undefined;
  const o = b.origin?.obj ?? b.obj;
  return { pkg: o.pkg, name: o.name };
}

/**
 * Every selector `x.f` of `file` whose operand `x` has the same package-level named type (or a
 * pointer to it) on every platform group that compiles the file. `skip` counts the others.
 */
export function typedSelections(layer: TypeLayer, pkg: PackageModel, file: SourceFile, fmask: PlatformMask, skip: (reason: string) => void): TypedSelection[] {
  const groups = layer.groups(pkg).filter((g) => (g.mask & fmask) !== 0n);
  const per = groups.map((g) => g.types.files.find((f) => f.file === file)).map((tf, i) => ({ tf, rec: tf ? groups[i]!.types.records.get(tf) : undefined }));
  if (per.length === 0 || per.some((p) => !p.tf || !p.rec)) return [];
  const v = per[0]!.tf!.view;
  const out: TypedSelection[] = [];
  for (let n = 0; n < v.count; n++) {
    if (v.kind(n) !== 'selector_expression') continue;
    const opn = v.child(n, 'operand');
    const fld = v.child(n, 'field');
    if (opn < 0 || fld < 0) continue;
    if (v.kind(opn) === 'identifier' && per[0]!.tf!.imports.has(v.text(opn)) && !per[0]!.rec!.has(opn)) continue; // pkg.Name
    let key: { pkg: string; name: string } | undefined;
    let ok = true;
    for (const p of per) {
      const t = p.rec!.get(opn);
      const nb = namedBase(t);
      if (!nb) {
        ok = false;
        skip(t ? 'operand-not-named' : 'operand-type-unknown');
        break;
      }
      if (key && (key.pkg !== nb.pkg || key.name !== nb.name)) {
        skip('operand-type-differs-by-platform');
        ok = false;
        break;
      }
      key = nb;
    }
    if (!ok || !key) continue;
    out.push({ span: v.span(fld), member: v.text(fld), typePkg: key.pkg, typeName: key.name });
  }
  return out;
}
