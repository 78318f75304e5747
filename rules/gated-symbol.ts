/**
 * gated-symbol: a name used in a file compiled on platform P but declared by the package only
 * in files that build constraints exclude on P ("undefined: X" on P).
 */
import { defineRule, type RuleContext } from '../src/engine/define-rule.js';
import type { Related } from '../src/engine/types.js';
import type { PackageModel, SourceFile } from '../src/model/program.js';
import type { Span } from '../src/parser/facts.js';
import type { PlatformMask } from '../src/platform/targets.js';
import { isApiIndexed } from '../src/apiindex/owner.js';
import { typeLayer } from '../src/types/layer.js';
import { absentMembers, inferredSelections } from '../src/types/query.js';
import { isExported, namedOf, PREDECLARED, type SymbolInfo, type SymbolTable } from '../src/symbols/table.js';
import { cgoOnlyDeclaration, goosList } from '../src/symbols/cgo-only.js';

type Msg = 'undefinedHere' | 'memberUndefined' | 'packageExcluded' | 'needsCgo' | 'memberNeedsCgo' | 'noFieldOrMethod' | 'unknownField';



interface Scope {
  pkg: PackageModel;
  table: SymbolTable;
  /** Use declarations from test files too (in-package test file, or an external test importing its package). */
  withTests: boolean;
  /**
   * Platforms where an imported package has non-test files. With none, `go build` of the importer
   * fails ("build constraints exclude all Go files"), even when the directory has test files.
   */
  present: PlatformMask;
}

const avail = (info: SymbolInfo, withTests: boolean) => (withTests ? info.maskAll : info.mask);

function nonTestMask(pkg: PackageModel): PlatformMask {
  let m = 0n;
  for (const { file, mask } of pkg.files) if (!file.isTest) m |= mask;
  return m;
}

export default defineRule<Msg>({
  meta: {
    id: 'gated-symbol',
    title: 'identifier declared only under some build constraints',
    category: 'correctness',
    severity: 'error',
    since: '0.1.0',
    messages: {
      undefinedHere: 'undefined: {name} (declared only in {declaredIn})',
      memberUndefined: '{expr} undefined: {member} is declared only in {declaredIn}',
      packageExcluded: 'build constraints exclude all Go files in {path}',
      needsCgo: 'undefined: {name} (declared for {goos} only in {declaredIn}, which needs cgo)',
      memberNeedsCgo: '{expr} undefined: {member} is declared for {goos} only in {declaredIn}, which needs cgo',
      noFieldOrMethod: '{expr} undefined (type {type} has no field or method {member} on these platforms)',
      unknownField: 'unknown field {member} in struct literal of type {type} on these platforms',
    },
  },
  check(outer) {
    // Members reported by file and span (to add only the platforms the type layer finds beyond them).
    const reported = new Map<string, PlatformMask>();
    const ctx: RuleContext<Msg> = {
      ...outer,
      report: (r) => {
        const k = `${r.file.path}:${r.span.join(':')}`;
        reported.set(k, (reported.get(k) ?? 0n) | r.platforms);
        outer.report(r);
      },
    };
    const { pkg, workspace: ws } = ctx;
    const own: Scope = { pkg, table: ws.symbols(pkg), withTests: false, present: ctx.targets.all };
    const types = typeLayer(ws);
    const imported = new Map<string, Scope | null>();
    const importScope = (path: string): Scope | null => {
      let s = imported.get(path);
      if (s === undefined) {
        // golang.org/x/sys is platform-syscall's, even when vendored (src/apiindex/owner.ts).
        const target = isApiIndexed(path) ? undefined : ws.importPackage(pkg, path);
        if (!target) s = null;
        else {
          const self = target.dir === pkg.dir;
          s = { pkg: target, table: ws.symbols(target), withTests: self, present: self ? target.mask : nonTestMask(target) };
        }
        imported.set(path, s);
      }
      return s;
    };

    const declaredIn = (info: SymbolInfo, scope: Scope): { text: string; related: Related[] } => {
      const sites = info.sites.filter((s) => scope.withTests || !s.file.isTest);
      const names = [...new Set(sites.map((s) => ws.displayPath(s.file, pkg)))].sort();
      const related = sites.slice(0, 3).map((s) => ({ file: s.file.path, line: s.span[0], column: s.span[1], message: 'declared here' }));
      return { text: names.join(', '), related };
    };

    for (const { file, mask: fmask } of pkg.files) {
      const facts = file.facts;
      if (!facts || !ctx.reportsOn(file)) continue;
      const local: Scope = { ...own, withTests: file.isTest };
      const dots = facts.imports.filter((i) => i.kind === 'dot');
      // Where a package the file dot-imports declares `name` (or is absent: its import is the
      // error there) among `missing`; undefined when one of them cannot be read.
      const dot: DotDeclares | undefined =
        dots.length === 0
          ? undefined
          : (name, missing) => {
              if (!isExported(name)) return 0n; // a dot import brings exported names only
              let m = 0n;
              for (const imp of dots) {
                const s = importScope(imp.path);
                if (!s) return undefined;
                const info = s.table.names.get(name);
                m |= ~s.present | (info ? avail(info, s.withTests) : 0n);
              }
              return m & missing;
            };

      // Imports of tree packages that some platforms lack entirely.
      for (const imp of facts.imports) {
        if (imp.kind === 'blank' && !imp.path) continue;
        const s = importScope(imp.path);
        if (!s) continue;
        const missing = fmask & ~s.present;
        if (missing) {
          ctx.report({
            file,
            span: imp.span,
            messageId: 'packageExcluded',
            data: { path: imp.path },
            platforms: missing,
            symbol: imp.path,
            cause: { key: imp.path },
          });
        }
      }

      // Bare identifiers resolving to the package scope.
      for (const r of facts.refs) {
        checkName(ctx, file, fmask, local, r.name, r.span, dot, declaredIn);
      }

      // Qualified identifiers of tree packages.
      for (const q of facts.qualRefs) {
        const s = importScope(q.pkg);
        if (!s) {
          ctx.skip('import-outside-tree');
          continue;
        }
        if (!isExported(q.name)) continue;
        const info = s.table.names.get(q.name);
        const a = info ? avail(info, s.withTests) : 0n;
        if (!info || a === 0n) {
          if (!info && onlyWithCgo(ctx, file, q.span, fmask & s.present, s, q.name, `${s.pkg.name}.${q.name}`, `${q.pkg}.${q.name}`)) continue;
          ctx.skip('undefined-everywhere');
          continue;
        }
        const missing = fmask & s.present & ~a;
        if (!missing) continue;
        reportUndefined(ctx, file, q.span, missing, s, info, q.name, `${s.pkg.name}.${q.name}`, `${q.pkg}.${q.name}`, declaredIn);
      }

      // Selections x.a.b on values and types whose type is known.
      for (const sel of facts.selectors) {
        let scope: Scope | null = local;
        let named: { pkg?: string; name: string } | undefined;
        let methodsOnly = false;
        const root = sel.root;
        if (root.k === 'type' || root.k === 'typeName') {
          named = namedOf(root.type);
          methodsOnly = root.k === 'typeName';
        } else {
          if (root.k === 'qualGlobal') scope = importScope(root.pkg);
          if (!scope) {
            ctx.skip('import-outside-tree');
            continue;
          }
          const vars = scope.table.vars.get(root.name);
          if (vars) {
            const kinds = new Set(vars.map((v) => JSON.stringify(namedOf(v.type) ?? null)));
            if (kinds.size !== 1 || !namedOf(vars[0]!.type)) {
              ctx.skip('untyped-package-var');
              continue;
            }
            named = namedOf(vars[0]!.type);
          } else if (scope.table.types.has(root.name)) {
            named = { name: root.name };
            methodsOnly = true;
          } else continue;
        }
        if (!named) {
          ctx.skip('unnamed-type');
          continue;
        }
        walkPath(ctx, file, fmask, scope, named, methodsOnly, sel.path, sel.spans, declaredIn, importScope);
      }

      // Selections whose operand's type is inferred (src/types): `c := m.cg; c.Resources`,
      // `for _, t := range list() { t.F }`, `x, err := open(); x.M()`, `m[k].F`, method chains.
      for (const ts of inferredSelections(types, pkg, file, fmask, (why, n) => ctx.skip(`inferred: ${why}`, n))) {
        const scope = ts.typePkg === types.pathOf(pkg) ? local : importScope(ts.typePkg);
        if (!scope) {
          ctx.skip('import-outside-tree');
          continue;
        }
        checkMember(ctx, file, fmask, scope, ts.typeName, ts.member, ts.span, false, declaredIn, `${ts.typeName}.${ts.member}`);
      }

      // Members the type layer finds on some platform groups and not on others, in a fully known
      // type: promoted fields and methods, interface methods, generic instances, elided literal
      // types. Types of std and golang.org/x/sys are platform-syscall's.
      const memberSpans: [string, PlatformMask, () => void][] = [];
      for (const am of absentMembers(types, pkg, file, fmask)) {
        if (!am.named) {
          ctx.skip('inferred: unnamed type');
          continue;
        }
        // A type of this package or of another tree (or vendored) package: std and x/sys are not.
        if (am.named.pkg !== types.pathOf(pkg) && !importScope(am.named.pkg)) {
          ctx.skip('inferred: type outside the tree');
          continue;
        }
        const expr = am.exprText;
        const key = `${am.named.pkg === '' ? '' : `${am.named.pkg}.`}${am.named.name}.${am.member}`;
        memberSpans.push([am.span.join(':'), am.absent, () => {
          const missing = am.absent & ~(reported.get(`${file.path}:${am.span.join(':')}`) ?? 0n);
          if (!missing) return;
          ctx.report({
            file,
            span: am.span,
            messageId: am.literal ? 'unknownField' : 'noFieldOrMethod',
            data: { expr, member: am.member, type: am.typeText },
            platforms: missing,
            symbol: `${am.named!.name}.${am.member}`,
            cause: { key },
          });
        }]);
      }

      // Keys of composite literals: struct fields, or expressions for map/slice/array types.
      for (const k of facts.litKeys) {
        const named = namedOf(k.type);
        if (!named || k.type.k === 'ptr') continue;
        const scope = named.pkg ? importScope(named.pkg) : local;
        if (!scope) {
          ctx.skip('import-outside-tree');
          continue;
        }
        const decls = scope.table.types.get(named.name);
        if (!decls || decls.length === 0) continue;
        const kinds = new Set(decls.map((d) => d.type?.k ?? 'unknown'));
        if (kinds.size !== 1) {
          ctx.skip('literal-type-differs-by-platform');
          continue;
        }
        const kind = [...kinds][0];
        if (kind === 'struct' && !decls.some((d) => d.alias)) {
          checkMember(ctx, file, fmask, scope, named.name, k.key, k.span, false, declaredIn, `${named.name}{${k.key}: …}`);
        } else if ((kind === 'map' || kind === 'slice' || kind === 'array') && !named.pkg) {
          checkName(ctx, file, fmask, local, k.key, k.span, dot, declaredIn);
        } else ctx.skip('unknown-literal-kind');
      }
      for (const [, , report] of memberSpans) report();
    }
  },
});

type DeclaredIn = (info: SymbolInfo, scope: Scope) => { text: string; related: Related[] };
type DotDeclares = (name: string, missing: PlatformMask) => PlatformMask | undefined;

function checkName(
  ctx: RuleContext<Msg>,
  file: SourceFile,
  fmask: PlatformMask,
  scope: Scope,
  name: string,
  span: Span,
  dot: DotDeclares | undefined,
  declaredIn: DeclaredIn,
): void {
  if (name === '_') return;
  const info = scope.table.names.get(name);
  if (!info) {
    // Universe scope, dot import, or undefined everywhere: not a portability finding — unless
    // files left out only because cgo is off declare it wherever this file compiles.
    if (!dot && !PREDECLARED.has(name)) onlyWithCgo(ctx, file, span, fmask, scope, name, name, name);
    return;
  }
  const a = avail(info, scope.withTests);
  let missing = fmask & ~a;
  if (!missing) return;
  if (a === 0n) return ctx.skip('declared-only-in-tests');
  if (PREDECLARED.has(name)) return ctx.skip('shadows-predeclared');
  if (dot) {
    // Where the package lacks the name, a dot-imported package may declare it.
    const there = dot(name, missing);
    if (there === undefined) return ctx.skip('dot-import');
    missing &= ~there;
    if (!missing) return ctx.skip('dot-import-declares');
  }
  reportUndefined(ctx, file, span, missing, scope, info, name, name, name, declaredIn);
}

/**
 * Where only a file left out because cgo is off would declare what `lookup` picks, reports that
 * (the fix is cgo in .goport.yml, or the file) and counts it for --verbose; returns the rest of `missing`.
 */
function reportNeedsCgo(
  ctx: RuleContext<Msg>,
  file: SourceFile,
  span: Span,
  missing: PlatformMask,
  scope: Scope,
  lookup: (t: SymbolTable) => SymbolInfo | undefined,
  messageId: 'needsCgo' | 'memberNeedsCgo',
  data: Record<string, string>,
  symbol: string,
  cause: string,
): PlatformMask {
  const cgo = cgoOnlyDeclaration(ctx.workspace, scope.pkg, missing, lookup);
  if (!cgo) return missing;
  ctx.workspace.count('gated-symbol: names declared only in files that need cgo (cgo off)');
  const goos = goosList(ctx.targets, cgo.mask);
  ctx.report({
    file,
    span,
    messageId,
    data: { ...data, goos, declaredIn: cgo.files.map((f) => ctx.workspace.displayPath(f, ctx.pkg)).sort().join(', ') },
    platforms: cgo.mask,
    symbol,
    related: cgo.sites.slice(0, 3).map((d) => ({ file: d.file.path, line: d.span[0], column: d.span[1], message: 'declared here, in a file left out with cgo off' })),
    suggestion: `if ${goos} builds use cgo, set cgo: [${goos.split(', ').map((g) => `${g}/*`).join(', ')}] in .goport.yml`,
    cause: { key: `${cause}#cgo` },
  });
  return missing & ~cgo.mask;
}

/**
 * A name that no file compiled with cgo off declares: reported as needing cgo when files left out
 * only because cgo is off declare it on every platform of `mask` (then the code builds exactly
 * where cgo is on) and not on every target (else the package simply needs cgo); otherwise the name
 * is undefined with cgo on too somewhere, a plain compile error left to the compiler. Returns
 * whether it reported.
 */
function onlyWithCgo(ctx: RuleContext<Msg>, file: SourceFile, span: Span, mask: PlatformMask, scope: Scope, name: string, shown: string, symbol: string): boolean {
  if (mask === 0n) return false;
  const lookup = (t: SymbolTable) => t.names.get(name);
  const cgo = cgoOnlyDeclaration(ctx.workspace, scope.pkg, mask, lookup);
  if (!cgo || cgo.mask !== mask) return false;
  // Declared with cgo on every target (a cgo package, `gozstd.go` with no platform constraint):
  // the package needs cgo, which is no difference between platforms.
  if (cgoOnlyDeclaration(ctx.workspace, scope.pkg, ctx.targets.all, lookup)?.mask === ctx.targets.all) {
    ctx.skip('needs-cgo-everywhere');
    return false;
  }
  reportNeedsCgo(ctx, file, span, mask, scope, lookup, 'needsCgo', { name: shown }, symbol, causeKey(scope.pkg, name));
  return true;
}

/** `example.com/m/pkg.Name`: a declaration of a package, for the cause of a finding. */
function causeKey(pkg: PackageModel, name: string): string {
  const p = pkg.importPath ?? pkg.dir.pkgDir.relDir;
  return p === '.' ? name : `${p}.${name}`;
}

/**
 * "undefined: X" on `missing`; where a file left out only because cgo is off would declare X,
 * says so instead (the fix is cgo in .goport.yml, or the file), and counts it for --verbose.
 */
function reportUndefined(
  ctx: RuleContext<Msg>,
  file: SourceFile,
  span: Span,
  missing: PlatformMask,
  scope: Scope,
  info: SymbolInfo,
  name: string,
  shown: string,
  symbol: string,
  declaredIn: DeclaredIn,
): void {
  const cause = causeKey(scope.pkg, name);
  missing = reportNeedsCgo(ctx, file, span, missing, scope, (t) => t.names.get(name), 'needsCgo', { name: shown }, symbol, cause);
  if (!missing) return;
  const d = declaredIn(info, scope);
  ctx.report({
    file,
    span,
    messageId: 'undefinedHere',
    data: { name: shown, declaredIn: d.text },
    platforms: missing,
    symbol,
    related: d.related,
    cause: { key: cause },
  });
}

/** Checks `member` of type `typeName` in `scope`; returns the field's type when it is a field. */
function checkMember(
  ctx: RuleContext<Msg>,
  file: SourceFile,
  fmask: PlatformMask,
  scope: Scope,
  typeName: string,
  member: string,
  span: Span,
  methodsOnly: boolean,
  declaredIn: DeclaredIn,
  expr: string,
): boolean {
  const typeInfo = scope.table.names.get(typeName);
  const decls = scope.table.types.get(typeName);
  if (!typeInfo || !decls) {
    ctx.skip('type-not-in-package');
    return false;
  }
  if (decls.some((d) => d.alias)) {
    ctx.skip('type-alias');
    return false;
  }
  const typeMask = avail(typeInfo, scope.withTests) & scope.present;
  const m = scope.table.methods.get(typeName)?.get(member);
  const f = methodsOnly ? undefined : scope.table.fields.get(typeName)?.get(member);
  let a = 0n;
  const infos: SymbolInfo[] = [];
  if (m) {
    a |= avail(m, scope.withTests);
    infos.push(m);
  }
  if (f) {
    a |= avail(f, scope.withTests);
    infos.push(f);
  }
  if (a === 0n) {
    ctx.skip('member-not-found');
    return false;
  }
  let missing = fmask & typeMask & ~a;
  if (!missing) return true;
  // A promoted field or method could fill the gap on platforms where the type embeds something.
  const embeds = scope.table.embeds.get(typeName) ?? 0n;
  if (missing & embeds) {
    ctx.skip('embedded-promotion');
    missing &= ~embeds;
    if (!missing) return true;
  }
  // Types defined from another named type (type T U) take U's fields: stay silent.
  if (decls.some((d) => d.type && (d.type.k === 'name' || d.type.k === 'qual'))) {
    ctx.skip('defined-from-named-type');
    return false;
  }
  const key = causeKey(scope.pkg, `${typeName}.${member}`);
  const cgoLookup = (t: SymbolTable) => (methodsOnly ? undefined : t.fields.get(typeName)?.get(member)) ?? t.methods.get(typeName)?.get(member);
  missing = reportNeedsCgo(ctx, file, span, missing, scope, cgoLookup, 'memberNeedsCgo', { expr, member }, `${typeName}.${member}`, key);
  if (!missing) return true;
  const merged: SymbolInfo = { mask: 0n, maskAll: 0n, sites: infos.flatMap((i) => i.sites) };
  const d = declaredIn(merged, scope);
  ctx.report({
    file,
    span,
    messageId: 'memberUndefined',
    data: { expr, member, declaredIn: d.text },
    platforms: missing,
    symbol: `${typeName}.${member}`,
    related: d.related,
    cause: { key, title: `${typeName}.${member} is declared only in ${d.text}` },
  });
  return true;
}

function walkPath(
  ctx: RuleContext<Msg>,
  file: SourceFile,
  fmask: PlatformMask,
  scope: Scope,
  named: { pkg?: string; name: string },
  methodsOnly: boolean,
  path: string[],
  spans: Span[],
  declaredIn: DeclaredIn,
  importScope: (p: string) => Scope | null,
): void {
  let cur: { pkg?: string; name: string } | undefined = named;
  let curScope: Scope | null = scope;
  for (let i = 0; i < path.length && cur; i++) {
    if (cur.pkg) curScope = importScope(cur.pkg);
    if (!curScope) {
      ctx.skip('import-outside-tree');
      return;
    }
    const member = path[i]!;
    const ok = checkMember(ctx, file, fmask, curScope, cur.name, member, spans[i]!, methodsOnly && i === 0, declaredIn, `${cur.name}.${member}`);
    if (!ok) return;
    // Continue through a field whose type is the same named type on every platform.
    const fieldTypes = new Set<string>();
    let next: { pkg?: string; name: string } | undefined;
    for (const d of curScope.table.types.get(cur.name) ?? []) {
      if (!d.type || d.type.k !== 'struct') continue;
      const fld = d.type.fields.find((x) => x.name === member);
      if (!fld) continue;
      const n = namedOf(fld.type);
      fieldTypes.add(JSON.stringify(n ?? null));
      next = n;
    }
    if (fieldTypes.size !== 1 || !next) return;
    // A field type named in another package is written with that package's import path already.
    cur = next;
  }
}
