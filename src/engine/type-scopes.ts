/**
 * TypeResolvers over the workspace, one per package and target platform, for src/layout.
 *
 * A `name` resolves to the package's own type declaration compiled on that platform (a name declared
 * differently on two platforms gets each its own layout); a `qual` to the declaration in the package
 * the import path names when it lies in the tree (module, vendor/, local replaces: Workspace
 * .importPackage), else to nothing, and the layout engine falls back on its standard-library table.
 * Array lengths that name package-level constants are evaluated from the atomic-calls facts.
 */
import { evalIntConst, type NamedDef, type NamedRef, type TypeResolver } from '../layout/index.js';
import type { PackageModel, SourceFile } from '../model/program.js';
import type { TypeExpr } from '../parser/facts.js';
import type { ConstFact } from '../parser/extractors/atomic-calls.js';
import type { PlatformMask } from '../platform/targets.js';
import type { Workspace } from './workspace.js';

/** Constant lookups nest at most this deep (`const A = B + 1` chains; cycles are invalid Go). */
const MAX_CONST_DEPTH = 20;

export class PackageTypeScope implements TypeResolver {
  readonly pkgPath?: string;
  private consts: Map<string, ConstFact> | undefined;
  private constDepth = 0;

  constructor(
    private readonly scopes: TypeScopes,
    readonly pkg: PackageModel,
    /** One target platform (a single bit). */
    readonly bit: PlatformMask,
    /** Whether declarations of _test.go files count (the unit being analyzed, not an import). */
    readonly withTests: boolean,
  ) {
    if (pkg.importPath !== null) this.pkgPath = pkg.importPath;
  }

  private visible(file: SourceFile, mask: PlatformMask): boolean {
    return (mask & this.bit) !== 0n && (this.withTests || !file.isTest);
  }

  resolveNamed(t: NamedRef): NamedDef | undefined {
    if (t.k === 'qual') {
      const target = this.scopes.importScope(this.pkg, t.pkg, this.bit);
      return target?.resolveNamed({ k: 'name', name: t.name, ...(t.args ? { args: t.args } : {}) });
    }
    const sites = this.scopes.ws.symbols(this.pkg).types.get(t.name)?.filter((s) => this.visible(s.file, s.mask));
    if (!sites || sites.length !== 1) return undefined;
    const site = sites[0]!;
    if (!site.type) return undefined;
    this.scopes.noteFile(site.type, site.file);
    return { type: site.type, scope: this, ...(site.typeParams ? { typeParams: site.typeParams } : {}) };
  }

  constValue(expr: string): number | undefined {
    if (this.constDepth >= MAX_CONST_DEPTH) return undefined;
    this.constDepth++;
    try {
      return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(expr) ? this.named(expr) : evalIntConst(expr, (id) => this.lookup(id));
    } finally {
      this.constDepth--;
    }
  }

  /** An identifier in an expression of this package: a constant of it, or `pkg.Name` of an import. */
  private lookup(id: string): number | undefined {
    const dot = id.indexOf('.');
    if (dot < 0) return this.named(id);
    const q = id.slice(0, dot);
    for (const { file, mask } of this.pkg.files) {
      if (!this.visible(file, mask)) continue;
      const imp = file.facts?.imports.find((i) => i.kind === 'normal' && (i.alias ?? i.path.slice(i.path.lastIndexOf('/') + 1)) === q);
      if (imp) return this.scopes.importScope(this.pkg, imp.path, this.bit)?.constValue(id.slice(dot + 1));
    }
    return undefined;
  }

  private named(name: string): number | undefined {
    if (!this.consts) {
      this.consts = new Map();
      const dup = new Set<string>();
      for (const { file, mask } of this.pkg.files) {
        if (!this.visible(file, mask)) continue;
        for (const c of file.facts?.extra.atomicCalls?.consts ?? []) {
          if (this.consts.has(c.name)) dup.add(c.name);
          this.consts.set(c.name, c);
        }
      }
      for (const d of dup) this.consts.delete(d);
    }
    const c = this.consts.get(name);
    if (!c) return undefined;
    this.constDepth++;
    try {
      if (this.constDepth >= MAX_CONST_DEPTH) return undefined;
      return evalIntConst(c.expr, (id) => (id === 'iota' ? c.iota : this.lookup(id)));
    } finally {
      this.constDepth--;
    }
  }
}

/** The per-package, per-platform scopes of one workspace (cached: layouts are cached per scope). */
export class TypeScopes {
  private readonly cache = new Map<string, PackageTypeScope>();
  private readonly files = new WeakMap<TypeExpr, SourceFile>();

  constructor(readonly ws: Workspace) {}

  scope(pkg: PackageModel, bit: PlatformMask, withTests: boolean): PackageTypeScope {
    const key = `${pkg.id}\0${bit}\0${withTests ? 1 : 0}`;
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = new PackageTypeScope(this, pkg, bit, withTests)));
    return s;
  }

  /** The scope of the tree package `importPath` names from `from`, or undefined outside the tree. */
  importScope(from: PackageModel, importPath: string, bit: PlatformMask): PackageTypeScope | undefined {
    const target = this.ws.importPackage(from, importPath);
    if (!target) return undefined;
    return this.scope(target, bit, target.dir === from.dir);
  }

  /** The file that declares a type definition resolved through these scopes. */
  fileOf(def: TypeExpr): SourceFile | undefined {
    return this.files.get(def);
  }

  /** @internal */
  noteFile(def: TypeExpr, file: SourceFile): void {
    this.files.set(def, file);
  }
}

const byWorkspace = new WeakMap<Workspace, TypeScopes>();

/** The TypeScopes of a workspace (one per workspace, shared by the rules). */
export function typeScopes(ws: Workspace): TypeScopes {
  let s = byWorkspace.get(ws);
  if (!s) byWorkspace.set(ws, (s = new TypeScopes(ws)));
  return s;
}
