/**
 * The workspace rules see: the program's packages with their facts, symbol tables built on
 * demand, and imports resolved to the packages of the tree (module, vendor/, local replaces),
 * loading a dependency directory the first time a rule asks for it.
 */
import path from 'node:path';
import { importPathOf, listGoFiles, ModuleCache, type ModuleInfo, type PackageDir, relPath } from '../loader/discover.js';
import { ImportResolver } from '../loader/resolve.js';
import { type DirModel, factsReleased, hasText, type PackageModel, type Program, readGoFile, type SourceFile } from '../model/program.js';
import { parseGoFile } from '../parser/parse.js';
import { buildSymbolTable, type SymbolTable } from '../symbols/table.js';
import type { FactsStore } from './facts-store.js';
import { takeStoredFacts } from './parse-pool.js';
import { isApiIndexed } from '../apiindex/owner.js';

export class Workspace {
  private readonly tables = new Map<PackageModel, SymbolTable>();
  /** Dependency directories loaded on demand (not among the analyzed packages). */
  private readonly loadedDeps = new Set<DirModel>();
  private readonly modules = new ModuleCache();
  readonly resolver: ImportResolver;
  /** Counters for --verbose. */
  readonly stats = new Map<string, number>();

  /** @param store facts kept between runs: dependency files loaded on demand use it too */
  constructor(
    readonly program: Program,
    private readonly store?: FactsStore,
  ) {
    this.resolver = new ImportResolver(() => this.modules.modules.values());
    for (const dm of program.dirs) if (dm.pkgDir.module) this.modules.modules.set(dm.pkgDir.module.dir, dm.pkgDir.module);
  }

  /** The dependency directories loaded on demand (for diagnostics). */
  get dependencyDirs(): ReadonlySet<DirModel> {
    return this.loadedDeps;
  }

  count(key: string, n = 1): void {
    this.stats.set(key, (this.stats.get(key) ?? 0) + n);
  }

  /** Extracts the facts of a file (once). */
  ensureFacts(file: SourceFile): void {
    if (!hasText(file) || file.facts) return;
    this.count(this.extract(file) ? 'dependency-files-from-cache' : 'dependency-files-parsed');
  }

  /** Gives a file with text its facts, from the store or parsed here; true when the store had them. */
  private extract(file: SourceFile): boolean {
    const { hit, key } = takeStoredFacts(file, this.store);
    if (hit) return true;
    file.facts = parseGoFile(file.text!, file.path);
    if (key !== undefined) this.store!.put(key, file.facts);
    file.text = undefined;
    return false;
  }

  ensurePackageFacts(pkg: PackageModel): void {
    for (const { file } of pkg.files) this.ensureFacts(file);
  }

  /**
   * Drops what memory holds of the files of `pkg` (their facts) and its symbol table: the engine calls it once no package left to check reads the package. A
   * later read of a file's `facts` reads the file again and parses it here (counted for --verbose),
   * so a late reader gets the same facts, only slower.
   */
  release(pkg: PackageModel): void {
    this.tables.delete(pkg);
    for (const { file } of pkg.files) this.releaseFile(file);
  }

  /** See release; `file` must be read from disk (not made from declaration tables). */
  releaseFile(file: SourceFile): void {
    // Unreadable, released already, or not parsed (a file no unit compiles, whose facts nobody
    // asked for, keeps its text: a reader may still ask for its facts).
    if (file.unreadable || factsReleased(file) || file.facts === undefined) return;
    delete file.text;
    whenRead(file, 'facts', () => this.parseAgain(file));
  }

  /**
   * Drops the syntax table of a parsed file whose other facts are still read (a test file of a
   * package whose own units ran: its declarations stay in the package's symbol table). A later read
   * of `facts.extra.syntax` parses the file again (counted, as for release).
   */
  releaseSyntax(file: SourceFile): void {
    if (file.unreadable || factsReleased(file)) return;
    const extra = file.facts?.extra;
    const d = extra && Object.getOwnPropertyDescriptor(extra, 'syntax');
    if (!extra || !d || !('value' in d) || d.value === undefined) return;
    whenRead(extra, 'syntax', () => this.parseAgain(file)?.extra.syntax);
  }

  /**
   * Drops the facts that only rules on the file's own package read (its bodies' references,
   * selectors and literal keys, the parser's skips, body-level extractor facts): the engine calls
   * it once the rules of the file's directory ran, and at once for a dependency no rule runs on.
   * What other packages read stays: imports, declarations, methods, the syntax table, constant
   * declarations. A later read of a dropped field parses the file again (counted, as for release).
   */
  dropBodyFacts(file: SourceFile): void {
    if (file.unreadable || factsReleased(file)) return;
    const facts = file.facts;
    if (!facts) return;
    const held = (o: object, k: string) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      return d !== undefined && (!('value' in d) || (d.value !== undefined && !(Array.isArray(d.value) && d.value.length === 0)));
    };
    for (const k of BODY_FACTS) if (held(facts, k)) whenRead(facts, k, () => this.parseAgain(file)?.[k] ?? []);
    for (const k of BODY_EXTRAS) if (held(facts.extra, k)) whenRead(facts.extra, k, () => this.parseAgain(file)?.extra[k]);
  }

  /** The facts of a released file, from the store or parsed here from the file on disk (which did not change: undefined when it cannot be read). */
  private parseAgain(file: SourceFile): SourceFile['facts'] {
    const r = readGoFile(file.abs);
    if (r.text === undefined || r.error) return undefined;
    this.count('files parsed again after their facts were released');
    const again: SourceFile = { name: file.name, abs: file.abs, path: file.path, header: file.header, mask: file.mask, isTest: file.isTest, text: r.text };
    this.extract(again);
    return again.facts;
  }

  symbols(pkg: PackageModel): SymbolTable {
    let t = this.tables.get(pkg);
    if (!t) {
      this.ensurePackageFacts(pkg);
      this.tables.set(pkg, (t = buildSymbolTable(pkg)));
    }
    return t;
  }

  /**
   * The package an import path names, seen from `from`, when it lies in the tree or its vendor/.
   * An external test package importing its own package gets the package with its test files.
   */
  importPackage(from: PackageModel, importPath: string): PackageModel | undefined {
    const mod = from.dir.pkgDir.module;
    const dir = this.resolver.resolve(mod, importPath);
    if (dir === undefined) return undefined;
    const dm = this.loadDependency(dir);
    return dm?.lib;
  }

  /**
   * The package an import path names in the module cache (at the version the main module requires),
   * for the type layer: rules read the tree and vendor/ only (importPackage). Undefined when the
   * module or package is not there (counted for --verbose).
   */
  moduleCachePackage(from: PackageModel, importPath: string): PackageModel | undefined {
    const mod = from.dir.pkgDir.module;
    if (!mod) return undefined;
    const hit = this.resolver.moduleCache(mod, importPath);
    if (!hit) return undefined;
    if ('missing' in hit) {
      this.count(`types: not in the module cache (${hit.missing})`);
      return undefined;
    }
    const cached = this.cacheModules.get(hit.module.dir);
    this.modules.seedCacheModule(hit.module.dir, cached ?? hit.module);
    if (!cached) {
      this.cacheModules.set(hit.module.dir, hit.module);
      this.count('types: module-cache modules read');
    }
    return this.loadDependency(hit.dir)?.lib;
  }

  private readonly cacheModules = new Map<string, ModuleInfo>();

  /** The library package of a dependency directory (e.g. in GOROOT), loaded once, or undefined. */
  dependencyAt(dir: string): PackageModel | undefined {
    return this.loadDependency(dir)?.lib;
  }

  private loadDependency(dir: string): DirModel | undefined {
    const known = this.program.dirModel(dir);
    if (known) return known;
    const names = listGoFiles(dir);
    if (names.length === 0) return undefined;
    const module = this.modules.moduleFor(dir);
    const { importPath, vendored } = importPathOf(dir, module);
    const pd: PackageDir = { dir, relDir: relPath(this.program.opts.cwd, dir), goFiles: names, module, importPath, vendored };
    this.count('dependency-dirs-loaded');
    const dm = this.program.loadDir(pd, false);
    this.loadedDeps.add(dm);
    return dm;
  }

  /**
   * Loads (without parsing) the tree packages that `pkgs` import directly — module, vendor/, local
   * replaces — so the engine can parse their files with everything else, on the workers, instead of
   * one by one when a rule first asks. Returns the files loaded. golang.org/x/sys is left to the API
   * index (see src/apiindex/owner.ts).
   */
  preloadImports(pkgs: readonly PackageModel[]): SourceFile[] {
    const out: SourceFile[] = [];
    const seen = new Set<string>();
    for (const pkg of pkgs) {
      for (const { file } of pkg.files) {
        for (const imp of file.header.imports) {
          const key = `${pkg.dir.pkgDir.module?.dir ?? ''}\0${imp.path}`;
          if (seen.has(key) || imp.path === 'C' || isApiIndexed(imp.path)) continue;
          seen.add(key);
          const before = this.loadedDeps.size;
          const dep = this.importPackage(pkg, imp.path);
          if (dep && this.loadedDeps.size > before) out.push(...dep.dir.files);
        }
      }
    }
    return out;
  }

  /** A file's path for messages: relative to its package directory when in `pkg`, else to the cwd. */
  displayPath(file: SourceFile, pkg: PackageModel): string {
    return path.dirname(file.abs) === pkg.dir.pkgDir.dir ? file.name : file.path;
  }
}

/** The facts only rules on a file's own package read (see dropBodyFacts). */
const BODY_FACTS = ['refs', 'qualRefs', 'selectors', 'litKeys', 'skips'] as const;
const BODY_EXTRAS = ['runtimeCompares', 'unsafeCasts', 'platformLiterals'] as const;

/** Makes `o[key]` a value computed by `make` when first read (then kept as a plain, writable value). */
function whenRead<T extends object, K extends keyof T>(o: T, key: K, make: () => T[K]): void {
  const set = (value: T[K]) => Object.defineProperty(o, key, { configurable: true, enumerable: true, writable: true, value });
  Object.defineProperty(o, key, {
    configurable: true,
    enumerable: true,
    get: () => {
      const value = make();
      set(value);
      return value;
    },
    set,
  });
}
