/**
 * Target selection: which platforms each package is checked on, from the binaries the project
 * builds (`binaries` in .goport.yml). A package is checked on platform P when some binary built
 * for P imports it on P, following P's own imports (a `_windows.go` file's import does not pull a
 * package into linux); its tests go with it, and what its tests import is checked there too.
 * Packages no listed binary reaches keep the default targets (`platforms`). The stage runs after
 * the model is loaded (it reads file headers only, no parsing) and sets `PackageModel.checked`.
 */
import path from 'node:path';
import type { BinarySpec } from '../config/config.js';
import { isApiIndexed } from '../apiindex/owner.js';
import { discover, relPath } from '../loader/discover.js';
import type { DirModel, PackageModel, Program } from '../model/program.js';
import { parsePlatforms, type PlatformMask, Targets } from '../platform/targets.js';
import { Workspace } from '../engine/workspace.js';

/** `binaries` as the CLI carries it: the entries and the directory their patterns are relative to. */
export interface BinariesConfig {
  /** The configuration file and its directory. */
  file: string;
  dir: string;
  specs: readonly BinarySpec[];
}

export interface Binary {
  /** The main package's directory relative to the working directory. */
  dir: string;
  /** Its directory name, the binary's name as `go build` gives it. */
  name: string;
  /** The `binaries` pattern that selected it. */
  pattern: string;
  /** Platforms it is built for. */
  mask: PlatformMask;
  /** A main package of test files only (integration tests): its tests are the binary. */
  test: boolean;
  /** The package directories the binary compiles, each with the platforms it does so on (no tests, unless it is a test binary). */
  reach: ReadonlyMap<DirModel, PlatformMask>;
  model: DirModel;
}

export interface Selection {
  binaries: Binary[];
  /** Platforms of packages no binary reaches. */
  defaultMask: PlatformMask;
  /** Per analyzed directory: the platforms it is checked on and the binaries that reach it. */
  packages: Map<DirModel, { mask: PlatformMask; by: string[] }>;
  /** `binaries` patterns that matched no main package. */
  unmatched: string[];
}

/** Every target: the default platforms, then each binary's (in config order, duplicates dropped). */
export function selectionTargets(defaults: readonly string[], cfg: BinariesConfig | null, goMinor: number): Targets {
  const specs = [defaults.join(',')];
  for (const b of cfg?.specs ?? []) specs.push(b.platforms.join(','));
  const seen = new Set<string>();
  const list = specs.flatMap((s) => parsePlatforms([s], goMinor)).filter((p) => !seen.has(p.id) && (seen.add(p.id), true));
  return new Targets(list);
}

function patternRegExp(pattern: string): RegExp {
  const esc = pattern
    .split('/')
    .map((el) => (el === '...' ? '\u0000' : el.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
    .join('/')
    .replace(/\/?\u0000/g, '(/.*)?');
  return new RegExp(`^${esc}$`);
}

/** The directory to discover below for a pattern: everything before its first wildcard element. */
function patternBase(pattern: string): { base: string; exact: boolean } {
  const els = pattern.split('/');
  const i = els.findIndex((e) => e === '...' || /[*?]/.test(e));
  if (i < 0) return { base: pattern, exact: true };
  return { base: els.slice(0, i).join('/') || '.', exact: false };
}

/**
 * Finds the binaries (loading their directories when the patterns did not), walks each one's
 * imports per platform, and sets `checked` on every analyzed package.
 * @param cwd the directory the program was loaded from (the staged tree's copy in --staged mode)
 * @param realCwd the user's working directory (config paths are real paths)
 */
export async function selectTargets(program: Program, targets: Targets, defaults: readonly string[], cfg: BinariesConfig, cwd: string, realCwd: string): Promise<Selection> {
  const goMinor = program.opts.build.goMinor;
  const defaultMask = maskOf(targets, defaults, goMinor);
  const ws = new Workspace(program);
  const binaries: Binary[] = [];
  const unmatched: string[] = [];
  const configDir = path.join(cwd, path.relative(realCwd, cfg.dir));
  const claimed = new Set<DirModel>();
  for (const spec of cfg.specs) {
    const { base, exact } = patternBase(spec.pattern);
    const found = await discover([exact ? `./${base}` : `./${base === '.' ? '' : `${base}/`}...`], { cwd: configDir, vendor: false });
    const re = patternRegExp(spec.pattern);
    let n = 0;
    for (const pd of found.packages) {
      const rel = relPath(configDir, pd.dir);
      if (!re.test(rel)) continue;
      const dm = program.loadDir(pd, false);
      if (dm.lib.name !== 'main' || claimed.has(dm)) continue;
      // The first pattern that names a binary decides its platforms (list the exceptions first).
      claimed.add(dm);
      n++;
      const mask = maskOf(targets, spec.platforms, goMinor);
      // A main package of test files only (integration tests) is a test binary: its tests are what is built.
      const test = !dm.lib.files.some((f) => !f.file.isTest);
      binaries.push({ dir: dm.pkgDir.relDir, name: path.basename(dm.pkgDir.dir), pattern: spec.pattern, mask, test, reach: propagate(ws, new Map([[dm, mask]]), test), model: dm });
    }
    if (n === 0) unmatched.push(spec.pattern);
  }
  binaries.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));

  // Checked platforms: what some binary compiles, with the tests of each reached package and what they import.
  const checked = new Map<DirModel, PlatformMask>();
  const by = new Map<DirModel, Set<string>>();
  for (const b of binaries) {
    for (const [dm, m] of propagate(ws, b.reach, true)) {
      checked.set(dm, (checked.get(dm) ?? 0n) | m);
      by.set(dm, (by.get(dm) ?? new Set()).add(b.name));
    }
  }
  const packages = new Map<DirModel, { mask: PlatformMask; by: string[] }>();
  for (const dm of program.dirs) {
    const reached = checked.get(dm);
    const mask = reached ?? defaultMask;
    packages.set(dm, { mask, by: reached === undefined ? [] : [...(by.get(dm) ?? [])].sort() });
    setChecked(dm.lib, mask);
    if (dm.xtest) setChecked(dm.xtest, mask);
  }
  return { binaries, defaultMask, packages, unmatched };
}

/**
 * `check --vendor`: a vendored package is checked only on the platforms where the tree's own
 * packages (with their tests) import it, directly or through other vendored packages, as the go
 * command builds it for `go build ./...` or `go test ./...` there (`goport audit` walks the same way).
 * A package of vendor/ that only a `_linux.go` file imports is not built on windows, so what it
 * lacks there is no error of the project; one nothing imports (or only under a build tag that is not
 * set) is not checked at all. Nothing changes when the run analyzes vendored packages only
 * (`check ./vendor/...`). Sets `reached` and narrows `checked` (--verbose counts the packages narrowed).
 */
export function restrictVendored(program: Program, targets: Targets): void {
  const own = program.dirs.filter((dm) => !dm.pkgDir.vendored);
  const vendored = program.dirs.filter((dm) => dm.pkgDir.vendored);
  if (own.length === 0 || vendored.length === 0) return;
  const reach = propagate(new Workspace(program), new Map(own.map((dm) => [dm, targets.all])), true);
  for (const dm of vendored) {
    const r = reach.get(dm) ?? 0n;
    for (const unit of [dm.lib, dm.xtest]) {
      if (!unit) continue;
      unit.reached = r;
      setChecked(unit, (unit.checked ?? targets.all) & r);
    }
  }
}

function setChecked(pkg: PackageModel, mask: PlatformMask): void {
  pkg.checked = mask;
}

function maskOf(targets: Targets, specs: readonly string[], goMinor: number): PlatformMask {
  let m = 0n;
  for (const p of parsePlatforms([specs.join(',')], goMinor)) m |= targets.bit(p.id);
  return m;
}

/**
 * The directories reachable from `seeds` (directory → platforms), each with the platforms it is
 * reached on: a file compiled on platform P passes P on to what it imports (with `tests`, the test
 * files and the external test package too). All platforms move together as one bit mask, so each
 * directory is revisited only when it gains platforms. Packages outside the tree (standard library,
 * module cache) end the walk; so does vendor/ unless it is analyzed.
 */
function propagate(ws: Workspace, seeds: ReadonlyMap<DirModel, PlatformMask>, tests: boolean): Map<DirModel, PlatformMask> {
  const reach = new Map(seeds);
  const pending = new Map(seeds);
  while (pending.size > 0) {
    const [dm, fresh] = pending.entries().next().value as [DirModel, PlatformMask];
    pending.delete(dm);
    for (const unit of tests ? [dm.lib, dm.xtest] : [dm.lib]) {
      if (!unit) continue;
      for (const { file, mask } of unit.files) {
        const pass = mask & fresh;
        if (!pass || (file.isTest && !tests)) continue;
        for (const imp of file.header.imports) {
          if (imp.path === 'C' || isApiIndexed(imp.path)) continue;
          // vendor/ never imports the module back: leave it unloaded for the engine's parse workers.
          const dir = ws.resolver.resolve(unit.dir.pkgDir.module, imp.path);
          if (dir === undefined || (dir.split(path.sep).includes('vendor') && !ws.program.dirModel(dir))) continue;
          const dep = ws.importPackage(unit, imp.path)?.dir;
          if (!dep) continue;
          const had = reach.get(dep) ?? 0n;
          const gain = pass & ~had;
          if (!gain) continue;
          reach.set(dep, had | gain);
          pending.set(dep, (pending.get(dep) ?? 0n) | gain);
        }
      }
    }
  }
  return reach;
}
