/**
 * platform-syscall: a name, field or method of an imported package outside the tree (the standard
 * library, golang.org/x/sys, module-cache dependencies) used in a file compiled on a platform where
 * that package does not declare it, read from the package's API index (src/apiindex).
 */
import { defineRule } from '../src/engine/define-rule.js';
import type { SourceFile } from '../src/model/program.js';
import type { Span, TypeExpr } from '../src/parser/facts.js';
import type { PlatformMask } from '../src/platform/targets.js';
import { CURATED, curatedMask, similarNamesOf, splitByAlternative } from '../src/apiindex/alternatives.js';
import { apiIndexFor } from '../src/apiindex/provider.js';
import type { ApiView } from '../src/apiindex/view.js';
import { isExported } from '../src/symbols/table.js';
import { typeLayer } from '../src/types/layer.js';
import { inferredSelections } from '../src/types/query.js';

type Msg = 'missing' | 'missingAlt' | 'memberMissing' | 'memberMissingAlt' | 'fieldMissing' | 'fieldMissingAlt' | 'packageExcluded';


/** The named type of another package a type expression denotes (through one pointer). */
function qualOf(t: TypeExpr | undefined): { pkg: string; name: string } | undefined {
  if (t?.k === 'ptr') t = t.elem;
  return t?.k === 'qual' ? { pkg: t.pkg, name: t.name } : undefined;
}

export default defineRule<Msg>({
  meta: {
    id: 'platform-syscall',
    title: 'standard-library or x/sys API missing on some platforms',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: {
      missing: 'undefined: {name} (package {path} does not declare it on these platforms)',
      missingAlt: 'undefined: {name} (package {path} does not declare it on these platforms; use {alt})',
      memberMissing: '{type} has no field or method {member} on these platforms',
      memberMissingAlt: '{type} has no field or method {member} on these platforms; use {alt}',
      fieldMissing: 'unknown field {member} in struct literal of type {type} on these platforms',
      fieldMissingAlt: 'unknown field {member} in struct literal of type {type} on these platforms; use {alt}',
      packageExcluded: 'build constraints exclude all Go files in {path}',
    },
  },
  check(ctx) {
    const { pkg, workspace: ws, targets } = ctx;
    const types = typeLayer(ws);
    const ix = apiIndexFor(ws, targets, ctx.program.opts.build.goMinor, (k) => ws.count(k));
    const mod = pkg.dir.pkgDir.module;
    const views = new Map<string, ApiView | null>();
    const viewOf = (path: string): ApiView | null => {
      let v = views.get(path);
      if (v === undefined) views.set(path, (v = ix.view(mod, path, ws.resolver.resolve(mod, path))));
      return v;
    };
    const curated = (key: string) =>
      (CURATED.get(key) ?? []).map((alt) => ({ text: alt.text, mask: curatedMask(alt, alt.pkg === '' ? null : viewOf(alt.pkg), targets.all) }));

    /** Reports `missing` split by the alternative each platform has. */
    const reportSplit = (
      file: SourceFile,
      span: Span,
      missing: PlatformMask,
      options: { text: string; mask: PlatformMask }[],
      plain: Msg,
      withAlt: Msg,
      data: Record<string, string>,
      symbol: string,
    ) => {
      for (const [alt, mask] of splitByAlternative(missing, options)) {
        ctx.report({
          file,
          span,
          messageId: alt ? withAlt : plain,
          data: alt ? { ...data, alt } : data,
          platforms: mask,
          symbol,
          cause: { key: symbol },
          ...(alt ? { suggestion: `use ${alt}` } : {}),
        });
      }
    };

    /** Checks member `member` of type `type` (of the package `v` indexes) where `live`; returns where it exists. */
    const checkMember = (
      file: SourceFile,
      live: PlatformMask,
      v: ApiView,
      type: string,
      member: string,
      span: Span,
      literal: boolean,
    ): PlatformMask => {
      const typeMask = v.typeMask(type);
      const a = v.member(type, member);
      if (a === undefined) return typeMask;
      const missing = live & typeMask & v.known & ~a & ~v.open(type);
      if (missing) {
        const options = [
          ...curated(`${v.api.path}.${type}.${member}`),
          ...similarNamesOf(v, `${type}.${member}`, member, () => v.storedMembers(type), (m) => v.targetsOf(m)).map(([n, mask]) => ({ text: n, mask })),
        ];
        const typeName = `${v.api.name}.${type}`;
        reportSplit(file, span, missing, options, literal ? 'fieldMissing' : 'memberMissing', literal ? 'fieldMissingAlt' : 'memberMissingAlt',
          { type: typeName, member }, `${v.api.path}.${type}.${member}`);
      }
      return a;
    };

    for (const { file, mask: fmask } of pkg.files) {
      const facts = file.facts;
      if (!facts || !ctx.reportsOn(file)) continue;

      // Imports of packages with no Go files on some platforms: once, at the import.
      for (const imp of facts.imports) {
        if (imp.path === 'C' || imp.path === '') continue;
        const v = viewOf(imp.path);
        if (!v) continue;
        if (v.api.present === 0n) {
          ctx.skip('package-needs-build-tags');
          continue;
        }
        const missing = fmask & v.known & ~v.present;
        if (missing) {
          ctx.report({ file, span: imp.span, messageId: 'packageExcluded', data: { path: imp.path }, platforms: missing, symbol: imp.path, cause: { key: imp.path } });
        }
      }

      // pkg.Name
      for (const q of facts.qualRefs) {
        if (!isExported(q.name)) continue;
        const v = viewOf(q.pkg);
        if (!v) continue;
        const a = v.name(q.name);
        if (a === undefined) continue;
        const missing = fmask & v.known & v.present & ~a;
        if (!missing) continue;
        const options = [
          ...curated(`${q.pkg}.${q.name}`),
          ...similarNamesOf(v, q.name, q.name, () => v.storedNames(), (m) => v.targetsOf(m)).map(([n, mask]) => ({ text: `${v.api.name}.${n}`, mask })),
        ];
        reportSplit(file, q.span, missing, options, 'missing', 'missingAlt', { name: `${v.api.name}.${q.name}`, path: q.pkg }, `${q.pkg}.${q.name}`);
      }

      // x.Field, x.Method() on values whose type comes from an indexed package.
      for (const sel of facts.selectors) {
        const root = sel.root;
        if (root.k === 'global') continue;
        if (root.k === 'qualGlobal') {
          if (viewOf(root.pkg)) ctx.skip('qualified-variable');
          continue;
        }
        let cur = qualOf(root.type);
        if (!cur) continue;
        let v = viewOf(cur.pkg);
        if (!v) continue;
        let live = fmask;
        for (let i = 0; i < sel.path.length && cur && v; i++) {
          const member = sel.path[i]!;
          if (!isExported(member)) break;
          live &= checkMember(file, live, v, cur.name, member, sel.spans[i]!, false);
          if (!live) break;
          const next = v.fieldType(cur.name, member);
          if (!next) break;
          if (next.pkg !== undefined) {
            cur = next as { pkg: string; name: string };
            v = viewOf(next.pkg);
          } else cur = { pkg: cur.pkg, name: next.name };
        }
      }

      // Selections whose operand's type is inferred (src/types): `st, err := stat(p); st.Birthtimespec`,
      // `for _, ev := range events { ev.Fflags }`, `fi.Sys().(*syscall.Stat_t).Atim`, method chains.
      for (const ts of inferredSelections(types, pkg, file, fmask, (why, n) => ctx.skip(`inferred: ${why}`, n))) {
        if (!isExported(ts.member)) continue;
        const v = viewOf(ts.typePkg);
        if (!v) continue;
        checkMember(file, fmask, v, ts.typeName, ts.member, ts.span, false);
      }

      // T{Field: v} with T from an indexed package.
      for (const k of facts.litKeys) {
        const t = qualOf(k.type);
        if (!t || !isExported(k.key)) continue;
        const v = viewOf(t.pkg);
        if (!v) continue;
        checkMember(file, fmask, v, t.name, k.key, k.span, true);
      }
    }
  },
});
