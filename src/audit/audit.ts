/**
 * `goport audit`: every dependency of a module, analyzed for every target platform, folded into a
 * module × platform matrix. One run of the engine over all dependency packages (as `goport check
 * --vendor ./vendor/...` would do), plus an import graph walked per platform from the main
 * module's packages, so that a cell says whether the module is built there at all:
 *
 * - `fail` ❌: an error finding (a gated symbol, a missing syscall...) in a package built on that
 *   platform, or a package imported there that has no Go files there (the go command's "build
 *   constraints exclude all Go files");
 * - `warn` ⚠: findings of lower severity only;
 * - `ok` ✅: built there and clean;
 * - `unused`: nothing built on that platform imports the module;
 * - `missing`: the module is required but its source is not in the module cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from '../engine/define-rule.js';
import type { FactsStore } from '../engine/facts-store.js';
import { analyze } from '../engine/run.js';
import type { Finding, RunError, Severity } from '../engine/types.js';
import { discover, type ModuleInfo, type PackageDir, relPath } from '../loader/discover.js';
import { parseGoMod } from '../loader/gomod.js';
import type { BuildOptions } from '../constraints/context.js';
import { type DirModel, type PackageModel, Program } from '../model/program.js';
import type { PlatformMask, Targets } from '../platform/targets.js';
import { compareFindings, runPipeline } from '../report/index.js';
import { VERSION } from '../version.js';
import { type AuditModule, type AuditSource, moduleOf } from './modules.js';

export type Cell = 'ok' | 'warn' | 'fail' | 'unused' | 'missing';
export const CELLS: readonly Cell[] = ['ok', 'warn', 'fail', 'unused', 'missing'];

/** A package imported on platforms where build constraints leave it no files. */
export interface NoFilesPackage {
  package: string;
  platforms: string[];
  /** A file that imports it on one of those platforms. */
  importedBy: string;
}

export interface ModuleReport {
  path: string;
  version: string;
  replacement?: string;
  /** Not in the module cache: nothing could be analyzed. */
  missing?: boolean;
  packages: number;
  files: number;
  cells: Record<string, Cell>;
  findings: number;
  byRule: Record<string, number>;
  bySeverity: Record<Severity, number>;
  /** The most severe findings (error first, then those on most platforms), at most WORST_PER_MODULE. */
  worst: Finding[];
  noFiles: NoFilesPackage[];
}

export interface AuditResult {
  tool: { name: 'goport'; version: string };
  /** The audited module's directory, relative to the working directory. */
  root: string;
  module: string | null;
  /** `vendor/modules.txt` or `module cache <dir>`. */
  source: string;
  platforms: string[];
  modules: ModuleReport[];
  summary: {
    modules: number;
    packages: number;
    files: number;
    findings: number;
    byRule: Record<string, number>;
    cells: Record<Cell, number>;
  };
  errors: RunError[];
}

export const WORST_PER_MODULE = 3;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function goFilesOf(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.go') && !e.name.startsWith('_') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function isStd(importPath: string): boolean {
  const first = importPath.split('/')[0]!;
  return !first.includes('.');
}

export interface AuditOptions {
  cwd: string;
  targets: Targets;
  build: BuildOptions;
  /** Include the main module's _test.go files when walking imports (their imports are vendored too). */
  tests: boolean;
  rules: readonly Rule[];
  severity?: Readonly<Record<string, Severity | 'off'>>;
  store?: FactsStore;
  jobs?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export async function runAudit(src: AuditSource, o: AuditOptions): Promise<AuditResult> {
  const { targets } = o;
  const errors: RunError[] = [];
  const root = src.main.dir;

  // The main module's packages: only their headers (imports, constraints) are read.
  const found = await discover(['./...'], { cwd: root, vendor: false });
  const roots = new Program({ cwd: o.cwd, targets, build: o.build, tests: o.tests });
  for (const p of found.packages) if (p.module?.dir === root) roots.loadDir(p, false);
  const rootDirs = found.packages.filter((p) => p.module?.dir === root).map((p) => roots.dirModel(p.dir)!);

  // The dependencies' packages, analyzed without their tests (the go command never builds those).
  const program = new Program({ cwd: o.cwd, targets, build: o.build, tests: false });
  const byImport = new Map<string, DirModel>();
  const moduleOfDir = new Map<DirModel, AuditModule>();
  const load = (pd: PackageDir, m: AuditModule): DirModel | undefined => {
    if (pd.goFiles.length === 0) return undefined;
    const dm = program.loadDir(pd);
    byImport.set(pd.importPath!, dm);
    moduleOfDir.set(dm, m);
    return dm;
  };

  if (src.mode === 'vendor') {
    const byPath = new Map(src.modules.map((m) => [m.path, m]));
    const pkgs = [...src.vendoredPackages].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    pkgs.forEach(([importPath, modPath], i) => {
      const dir = path.join(root, 'vendor', ...importPath.split('/'));
      const pd: PackageDir = { dir, relDir: relPath(o.cwd, dir), goFiles: goFilesOf(dir), module: src.main, importPath, vendored: true };
      if (pd.goFiles.length === 0 && !fs.existsSync(dir)) errors.push({ file: relPath(o.cwd, dir), message: `vendor/modules.txt lists ${importPath} but vendor/ lacks it (run go mod vendor)` });
      load(pd, byPath.get(modPath)!);
      o.onProgress?.('reading', i + 1, pkgs.length);
    });
  } else {
    // Module cache: follow imports from the main module through the required modules.
    const infos = new Map<AuditModule, ModuleInfo>();
    const infoOf = (m: AuditModule): ModuleInfo => {
      let info = infos.get(m);
      if (!info) {
        let goMod = { module: m.path, go: null as string | null, toolchain: null as string | null, requires: [] as { path: string; version: string }[], replaces: [] };
        try {
          goMod = { ...parseGoMod(fs.readFileSync(path.join(m.dir, 'go.mod'), 'utf8')), module: m.path } as typeof goMod;
        } catch {
          /* an old module without go.mod */
        }
        infos.set(m, (info = { dir: m.dir, path: m.path, goMod, vendor: null }));
      }
      return info;
    };
    const usable = src.modules.filter((m) => !m.missing);
    const seen = new Set<string>();
    const queue: string[] = [];
    const want = (imp: string) => {
      if (imp === 'C' || isStd(imp) || seen.has(imp)) return;
      if (src.main.path !== null && (imp === src.main.path || imp.startsWith(src.main.path + '/'))) return;
      seen.add(imp);
      queue.push(imp);
    };
    const importsOf = (dm: DirModel) => {
      for (const u of [dm.lib, dm.xtest]) for (const { file, mask } of u?.files ?? []) if (mask !== 0n) file.header.imports.forEach((i) => want(i.path));
    };
    rootDirs.forEach(importsOf);
    let n = 0;
    while (queue.length > 0) {
      const imp = queue.shift()!;
      const m = moduleOf(usable, imp);
      if (!m) continue;
      const dir = path.join(m.dir, ...imp.slice(m.path.length).split('/').filter(Boolean));
      const pd: PackageDir = { dir, relDir: relPath(o.cwd, dir), goFiles: goFilesOf(dir), module: infoOf(m), importPath: imp, vendored: false };
      const dm = load(pd, m);
      if (dm) importsOf(dm);
      o.onProgress?.('reading', ++n, n + queue.length);
    }
  }

  const result = await analyze(program, targets, o.rules, {
    ...(o.store ? { store: o.store } : {}),
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
    onProgress: (done, total) => o.onProgress?.('parsing', done, total),
  });
  o.store?.flush();

  // Where each dependency package is built: walk imports per platform (as masks) from the roots.
  const reached = new Map<DirModel, PlatformMask>();
  const importer = new Map<DirModel, string>();
  const queue: DirModel[] = [];
  const visit = (unit: PackageModel, mask: PlatformMask) => {
    for (const { file, mask: fm } of unit.files) {
      const m = mask & fm;
      if (m === 0n) continue;
      for (const imp of file.header.imports) {
        const dep = byImport.get(imp.path);
        if (!dep) continue;
        const old = reached.get(dep) ?? 0n;
        const now = old | m;
        if (now === old) continue;
        reached.set(dep, now);
        if (!importer.has(dep)) importer.set(dep, file.path);
        queue.push(dep);
      }
    }
  };
  if (rootDirs.length > 0) {
    for (const dm of rootDirs) {
      visit(dm.lib, targets.all);
      if (dm.xtest) visit(dm.xtest, targets.all);
    }
  } else {
    // No main-module packages: every dependency package counts where it has files.
    for (const dm of program.dirs) {
      reached.set(dm, (reached.get(dm) ?? 0n) | dm.lib.mask);
      queue.push(dm);
    }
  }
  while (queue.length > 0) {
    const dm = queue.pop()!;
    visit(dm.lib, reached.get(dm) ?? 0n);
  }

  // Findings: through the usual processors (merge, ignore directives, severity overrides, sort).
  const lineCache = new Map<string, readonly string[] | undefined>();
  const getLines = (file: string) => {
    if (!lineCache.has(file)) {
      try {
        lineCache.set(file, fs.readFileSync(path.resolve(o.cwd, file), 'utf8').split(/\r?\n/));
      } catch {
        lineCache.set(file, undefined);
      }
    }
    return lineCache.get(file);
  };
  const piped = runPipeline(result.findings, {
    targets: targets.list.map((p) => p.id),
    getLines,
    ...(o.severity ? { severityOverrides: o.severity } : {}),
  });
  errors.push(...program.errors, ...result.errors, ...piped.errors);

  const dirOfFile = new Map<string, DirModel>();
  for (const dm of program.dirs) for (const f of dm.files) dirOfFile.set(f.path, dm);

  interface Acc {
    used: PlatformMask;
    fail: PlatformMask;
    warn: PlatformMask;
    findings: Finding[];
    packages: number;
    files: number;
    noFiles: NoFilesPackage[];
  }
  const acc = new Map<AuditModule, Acc>();
  const accOf = (m: AuditModule) => {
    let a = acc.get(m);
    if (!a) acc.set(m, (a = { used: 0n, fail: 0n, warn: 0n, findings: [], packages: 0, files: 0, noFiles: [] }));
    return a;
  };
  for (const dm of program.dirs) {
    const m = moduleOfDir.get(dm)!;
    const a = accOf(m);
    a.packages++;
    a.files += dm.files.length;
    const r = reached.get(dm) ?? 0n;
    a.used |= r;
    const none = r & ~dm.lib.mask;
    if (none !== 0n) {
      a.fail |= none;
      a.noFiles.push({ package: dm.pkgDir.importPath!, platforms: targets.ids(none), importedBy: importer.get(dm) ?? '' });
    }
  }
  for (const f of piped.findings) {
    const dm = dirOfFile.get(f.file);
    if (!dm) continue;
    const r = reached.get(dm) ?? 0n;
    const plats = f.platforms.filter((id) => (targets.bit(id) & r) !== 0n);
    if (plats.length === 0) continue; // a file built only where nothing imports its package
    const mask = plats.reduce((m, id) => m | targets.bit(id), 0n);
    const a = accOf(moduleOfDir.get(dm)!);
    if (f.severity === 'error') a.fail |= mask;
    else a.warn |= mask;
    a.findings.push(plats.length === f.platforms.length ? f : { ...f, platforms: plats });
  }

  const ids = targets.list.map((p) => p.id);
  const summaryCells: Record<Cell, number> = { ok: 0, warn: 0, fail: 0, unused: 0, missing: 0 };
  const allByRule = new Map<string, number>();
  let totalFindings = 0;
  const modules: ModuleReport[] = src.modules.map((m) => {
    const a = acc.get(m) ?? { used: 0n, fail: 0n, warn: 0n, findings: [], packages: 0, files: 0, noFiles: [] };
    const cells: Record<string, Cell> = {};
    targets.list.forEach((p, i) => {
      const bit = 1n << BigInt(i);
      const c: Cell = m.missing ? 'missing' : a.fail & bit ? 'fail' : a.warn & bit ? 'warn' : a.used & bit ? 'ok' : 'unused';
      cells[p.id] = c;
      summaryCells[c]++;
    });
    const byRule: Record<string, number> = {};
    const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const f of a.findings) {
      byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
      allByRule.set(f.rule, (allByRule.get(f.rule) ?? 0) + 1);
      bySeverity[f.severity]++;
    }
    totalFindings += a.findings.length;
    const worst = [...a.findings]
      .sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || y.platforms.length - x.platforms.length || compareFindings(x, y))
      .slice(0, WORST_PER_MODULE);
    const rep: ModuleReport = {
      path: m.path,
      version: m.version,
      packages: a.packages,
      files: a.files,
      cells,
      findings: a.findings.length,
      byRule: Object.fromEntries(Object.entries(byRule).sort((x, y) => (x[0] < y[0] ? -1 : 1))),
      bySeverity,
      worst,
      noFiles: a.noFiles.sort((x, y) => (x.package < y.package ? -1 : 1)),
    };
    if (m.replacement !== undefined) rep.replacement = m.replacement;
    if (m.missing) {
      rep.missing = true;
      errors.push({ file: `${m.path}@${m.version}`, message: `not in the module cache ${src.modcache ?? ''}; run go mod download` });
    }
    return rep;
  });
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  let files = 0;
  for (const dm of program.dirs) files += dm.files.length;
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return {
    tool: { name: 'goport', version: VERSION },
    root: relPath(o.cwd, root),
    module: src.main.path,
    source: src.mode === 'vendor' ? 'vendor/modules.txt' : `module cache ${src.modcache}`,
    platforms: ids,
    modules,
    summary: {
      modules: modules.length,
      packages: program.dirs.length,
      files,
      findings: totalFindings,
      byRule: Object.fromEntries([...allByRule].sort((x, y) => (x[0] < y[0] ? -1 : 1))),
      cells: summaryCells,
    },
    errors,
  };
}
