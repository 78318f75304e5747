/**
 * The engine: extracts facts for every analyzed package, runs each enabled rule once per
 * package unit, and turns reports into findings with their platform lists. A rule that throws
 * becomes an error tagged with its id; the other rules and packages go on.
 */
import { performance } from 'node:perf_hooks';
import { hasText, type PackageModel, type Program, type SourceFile } from '../model/program.js';
import type { Targets } from '../platform/targets.js';
import { formatMessage, type ReportInput, type Rule, type RuleContext } from './define-rule.js';
import type { Finding, RunError } from './types.js';
import type { FactsStore } from './facts-store.js';
import { ParsePool } from './parse-pool.js';
import { Workspace } from './workspace.js';
import { MemTrace } from './memtrace.js';
import { tuneHeap } from './heap.js';
import { typeLayer } from '../types/layer.js';
import type { NodeId } from '../parser/syntax-table.js';

export interface AnalyzeResult {
  findings: Finding[];
  errors: RunError[];
  stats: Map<string, number>;
  timings: Map<string, number>;
  workspace: Workspace;
}

export interface AnalyzeOptions {
  /** Worker threads for parsing (default: one per core). */
  jobs?: number;
  /** Where facts are kept between runs (the pre-commit cache). */
  store?: FactsStore;
  onProgress?: (done: number, total: number) => void;
  /** A GOROOT whose source gives the standard library's types (none: they are unknown). */
  goroot?: string;
  /**
   * The files the run reports on (their `path`s), when it reports on some only (--staged, `check
   * FILE...`): the bodies of the others are not type-checked (but those Rule.bodies asks for) and
   * the rules skip them (RuleContext.reportsOn); the findings in these files are the same.
   */
  focus?: ReadonlySet<string>;
}

/**
 * The analyzed packages in an order where each comes after the packages it imports (through
 * packages that are not analyzed too), else in their own order: a package's check then waits only
 * for what it imports to be parsed, not for the whole tree. Cycles (an external test package and
 * its package, invalid Go) are cut where they close.
 */
export function dependencyOrder(pkgs: readonly PackageModel[], resolve: (from: PackageModel, importPath: string) => PackageModel | undefined, graph?: Map<PackageModel, PackageModel[]>): PackageModel[] {
  const analyzed = new Set(pkgs);
  const out: PackageModel[] = [];
  const seen = new Set<PackageModel>();
  const importsOf = (p: PackageModel): PackageModel[] => {
    const paths = new Set<string>();
    for (const { file } of p.files) for (const imp of file.header.imports) paths.add(imp.path);
    const deps: PackageModel[] = [];
    // The external test package's own package comes first (it imports it, with its tests).
    if (p.kind === 'xtest') deps.push(p.dir.lib);
    for (const ip of [...paths].sort()) {
      const d = resolve(p, ip);
      if (d) deps.push(d);
    }
    graph?.set(p, deps);
    return deps;
  };
  for (const root of pkgs) {
    if (seen.has(root)) continue;
    seen.add(root);
    const stack: { p: PackageModel; deps: PackageModel[]; i: number }[] = [{ p: root, deps: importsOf(root), i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const d = top.deps[top.i++]!;
        if (!seen.has(d)) {
          seen.add(d);
          stack.push({ p: d, deps: importsOf(d), i: 0 });
        }
        continue;
      }
      stack.pop();
      if (analyzed.has(top.p)) out.push(top.p);
    }
  }
  return out;
}

/**
 * For each package of `graph` (importer → imports), the index in `order` of the last package that
 * reaches it through its imports (itself included): after that package, nothing left imports it.
 */
export function lastUses(order: readonly PackageModel[], graph: ReadonlyMap<PackageModel, readonly PackageModel[]>): Map<PackageModel, number> {
  const last = new Map<PackageModel, number>();
  order.forEach((p, i) => last.set(p, i));
  // Importers before their imports (the reverse of the dependency order), again until nothing
  // changes: a cycle needs a second pass.
  const nodes = [...graph.keys()].reverse();
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of nodes) {
      const lu = last.get(p);
      if (lu === undefined) continue;
      for (const d of graph.get(p)!) {
        const ld = last.get(d);
        if (ld === undefined || ld < lu) (last.set(d, lu), (changed = true));
      }
    }
  }
  return last;
}

/**
 * How many package types (one per package and platform group, about 140 KB each on docker/cli)
 * are kept for the packages still to be checked before all are dropped and made again. 150
 * rather than 800 pays on large trees (grafana/loki with vendor/, cold: CPU 301 -> 249 s, peak
 * about the same) and with --platforms all on docker/cli (CPU 26.6-29.6 -> 24.7-25.6 s), and costs
 * a little on docker/cli at 11 platforms (CPU 14.1-14.9 -> 15.1-16.7 s, peaks within noise).
 * GOPORT_TYPES_BUDGET sets it (read per run).
 */
const typesBudget = (): number => Number(process.env.GOPORT_TYPES_BUDGET ?? 150);

export async function analyze(program: Program, targets: Targets, rules: readonly Rule[], opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  tuneHeap();
  const ws = new Workspace(program, opts.store);
  const findings: Finding[] = [];
  const errors: RunError[] = [];
  const timings = new Map<string, number>();
  const time = (key: string, t0: number) => timings.set(key, (timings.get(key) ?? 0) + performance.now() - t0);

  // The parse overlaps the type stage and the rules: every file is handed to the parse workers at
  // once (in the order of the packages, each after the directories it imports), and each package
  // waits only for its own directory's files and what it imports, transitively, before its check.
  let t0 = performance.now();
  const pool = new ParsePool(opts);
  let order: PackageModel[] = program.packages;
  const graph = new Map<PackageModel, PackageModel[]>();
  const indexDir = (opts.store as { root?: unknown } | undefined)?.root;
  const layer = typeLayer(ws, { ...(opts.goroot ? { goroot: opts.goroot } : {}), ...(typeof indexDir === 'string' ? { indexDir } : {}) });
  try {
    const files: SourceFile[] = [];
    for (const pkg of program.packages) files.push(...ws.preloadImports([pkg]));
    files.push(...layer.reachableFiles(program.packages, 1));
    order = dependencyOrder(program.packages, (p, ip) => layer.resolve(p, ip), graph);
    // Parsed in the order the packages are checked: each after what it imports.
    const rank = new Map<SourceFile, number>();
    order.forEach((pkg, i) => {
      for (const { file } of pkg.dir.lib.files) if (!rank.has(file)) rank.set(file, i);
      for (const { file } of pkg.dir.xtest?.files ?? []) if (!rank.has(file)) rank.set(file, i);
    });
    const own = [...rank.keys()];
    pool.add([...new Set([...own, ...files])].map((f, i) => ({ f, i, r: rank.get(f) ?? -1 })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f));
  } catch (e) {
    pool.stop();
    throw e;
  }
  time('parse', t0);
  // A run on some files: the bodies checked are theirs and those the rules need to judge them.
  let focus: Set<SourceFile> | undefined;
  if (opts.focus) {
    const paths = opts.focus;
    focus = new Set();
    const own: SourceFile[] = [];
    // The files of the directories: a file no platform compiles is in no unit (build-constraint reports on it).
    for (const dm of program.dirs) for (const f of dm.files) if (paths.has(f.path)) focus.add(f);
    for (const pkg of program.packages) for (const { file } of pkg.files) if (!file.facts && file.text !== undefined) own.push(file);
    const t1 = performance.now();
    try {
      await pool.ready(own);
    } catch (e) {
      pool.stop();
      throw e;
    }
    time('waiting for the parse', t1);
    const extra = new Map<SourceFile, Set<NodeId>>();
    const bctx = { program, workspace: ws, targets, focus };
    let failed = false;
    for (const rule of rules) {
      if (!rule.bodies) continue;
      try {
        for (const [f, nodes] of rule.bodies(bctx)) {
          let l = extra.get(f);
          if (!l) extra.set(f, (l = new Set()));
          for (const n of nodes) l.add(n);
        }
      } catch (e) {
        // Every body is checked then: the answers stay those of a whole check.
        errors.push({ file: program.packages[0]?.dir.pkgDir.relDir ?? '.', message: `rule ${rule.meta.id} failed: ${e instanceof Error ? e.message : String(e)}` });
        failed = true;
      }
    }
    if (!failed) layer.focus(focus, extra);
    let n = 0;
    for (const l of extra.values()) n += l.size;
    ws.count('types: bodies of files not reported on, checked for the rules (named files)', n);
  }
  const reportsOn = focus ? (f: SourceFile) => focus.has(f) : () => true;
  /** Packages whose files and imports' files (transitively) have facts. */
  const complete = new Set<PackageModel>();
  const analyzedDirs = new Set(program.dirs);
  /**
   * The files `pkg` needs parsed before its check: its directory's units (rules read the files of
   * the other unit too) and every package it imports, transitively (the type layer reads all of their
   * files, see Workspace.ensurePackageFacts). Loads the directories of imports not loaded yet.
   */
  const needed = (pkg: PackageModel): { files: SourceFile[]; pkgs: PackageModel[] } => {
    const files: SourceFile[] = [];
    const pkgs: PackageModel[] = [];
    const seen = new Set<PackageModel>();
    const own = [pkg.dir.lib, ...(pkg.dir.xtest ? [pkg.dir.xtest] : [])];
    const todo = [...own];
    while (todo.length > 0) {
      const p = todo.pop()!;
      if (seen.has(p) || complete.has(p)) continue;
      seen.add(p);
      pkgs.push(p);
      for (const { file } of p.files) if (hasText(file) && !file.facts) files.push(file);
      // Its imports as dependencyOrder resolved them (a unit it did not reach: resolved here).
      let deps = graph.get(p);
      if (!deps) {
        const paths = new Set<string>();
        for (const { file } of p.files) for (const imp of file.header.imports) paths.add(imp.path);
        deps = [...paths].flatMap((ip) => layer.resolve(p, ip) ?? []);
      }
      for (const dep of deps) if (!seen.has(dep) && !complete.has(dep)) todo.push(dep);
    }
    return { files, pkgs };
  };
  const waitFor = async (pkg: PackageModel) => {
    const t1 = performance.now();
    const { files, pkgs } = needed(pkg);
    await pool.ready(files);
    for (const p of pkgs) {
      complete.add(p);
      // A dependency no rule runs on: other packages read only its declarations.
      if (!analyzedDirs.has(p.dir) && !layer.isTableModel(p)) for (const { file } of p.files) ws.dropBodyFacts(file);
    }
    time('waiting for the parse', t1);
  };
  const parseErrors = (pkg: PackageModel) => {
    for (const { file } of pkg.files) {
      for (const sk of file.facts?.skips ?? []) ws.count(`unresolved (parser): ${sk.reason}`);
      const errs = file.facts?.syntaxErrors ?? [];
      if (errs.length > 0 && !program.errors.some((e) => e.file === file.path)) {
        const [l, c] = errs[0]!;
        errors.push({ file: file.path, message: `${l}:${c}: syntax error` });
      }
    }
  };

  const ctxOf = (rule: Rule, pkg: PackageModel): RuleContext<string> => {
    // checked: the platforms the package is built for by the configured binaries (src/binaries).
    const checked = pkg.checked ?? targets.all;
    return {
      program,
      workspace: ws,
      pkg,
      targets,
      report: (r: ReportInput<string>) => {
        const platforms = r.platforms & checked;
        if (platforms === 0n) return;
        const [line, column, endLine, endColumn] = r.span;
        const f: Finding = {
          rule: rule.meta.id,
          severity: r.severity ?? rule.meta.severity,
          file: r.file.path,
          line,
          column,
          endLine,
          endColumn,
          message: formatMessage(rule.meta.messages[r.messageId] ?? r.messageId, r.data),
          messageId: r.messageId,
          platforms: targets.ids(platforms),
        };
        if (r.symbol !== undefined) f.symbol = r.symbol;
        if (r.related && r.related.length > 0) f.related = r.related;
        if (r.suggestion !== undefined) f.suggestion = r.suggestion;
        if (r.cause !== undefined) f.cause = { id: `${rule.meta.id}:${r.cause.key}`, title: r.cause.title ?? f.message };
        if (r.fix) {
          const edits = r.fix.edits.map((e) => ({
            file: (e.file ?? r.file).path, line: e.span[0], column: e.span[1], endLine: e.span[2], endColumn: e.span[3], text: e.text,
            ...(e.copy ? { copy: e.copy } : {}),
          }));
          f.fix = { description: r.fix.description, edits };
        }
        findings.push(f);
      },
      skip: (reason: string, n = 1) => ws.count(`skipped ${rule.meta.id}: ${reason}`, n),
      reportsOn,
    };
  };
  const isChecked = (pkg: PackageModel) => (pkg.mask & (pkg.checked ?? targets.all)) !== 0n;
  const run = (rule: Rule, pkg: PackageModel, what: 'check' | 'prepare') => {
    const t1 = performance.now();
    try {
      if (what === 'check') rule.check(ctxOf(rule, pkg));
      else rule.prepare!(ctxOf(rule, pkg));
    } catch (e) {
      errors.push({ file: pkg.dir.pkgDir.relDir, message: `rule ${rule.meta.id} failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    time(`rule ${rule.meta.id}`, t1);
  };
  const later = rules.filter((r) => r.prepare);
  const budget = typesBudget();
  // The types of a package are dropped after the last package that imports it (transitively).
  const forgetAfter = new Map<number, PackageModel[]>();
  const done = new Set<PackageModel>();
  const ordered = new Set(order);
  for (const [p, i] of lastUses(order, graph)) {
    const l = forgetAfter.get(i);
    if (l) l.push(p);
    else forgetAfter.set(i, [p]);
  }
  const narrowed = program.packages.filter((p) => p.checked !== undefined && (p.mask & ~p.checked) !== 0n).length;
  if (narrowed > 0) ws.count('packages checked on fewer platforms than they build on (binaries; vendor/ not imported there)', narrowed);
  const trace = new MemTrace(function* () {
    yield* program.dirs;
    yield* ws.dependencyDirs;
  }, () => pool.busy);
  try {
    for (const [i, pkg] of order.entries()) {
      await waitFor(pkg);
      parseErrors(pkg);
      t0 = performance.now();
      layer.checkPackage(pkg);
      time('types', t0);
      // Every package is prepared (a whole-program rule reads the packages it does not report on too).
      for (const rule of rules) {
        if (rule.prepare) run(rule, pkg, 'prepare');
        else if (isChecked(pkg)) run(rule, pkg, 'check');
      }
      trace.sample(`${i} ${pkg.id}`, layer.typesKept);
      layer.releaseBodies(pkg);
      // Once both units of a directory ran, their own groups (types with the test files) go.
      const dm = pkg.dir;
      if (pkg.kind === 'xtest' || !dm.xtest || !ordered.has(dm.xtest) || done.has(dm.xtest)) {
        for (const u of [dm.lib, dm.xtest]) if (u && (u === pkg || done.has(u))) layer.forgetGroups(u);
        // The syntax of its test files is read no more (their declarations are, by the symbol table),
        // nor what only the directory's own rules read of its files.
        for (const { file } of dm.lib.files) if (file.isTest) ws.releaseSyntax(file);
        for (const f of dm.files) ws.dropBodyFacts(f);
      }
      done.add(pkg);
      // Nor the types and facts of the packages that no package left to check imports.
      for (const p of forgetAfter.get(i) ?? []) {
        layer.forget(p);
        if (!layer.isTableModel(p)) ws.release(p);
      }
      // Types imported by packages still to check stay, up to a budget; past it they are made again.
      if (layer.typesKept > budget) {
        layer.reset();
        ws.count('types: declarations dropped and made again (memory budget)');
      }
    }
    t0 = performance.now();
    const ps = await pool.close();
    time('waiting for the parse', t0);
    ws.count('files-parsed', ps.parsed);
    if (ps.fromStore) ws.count('files-from-cache', ps.fromStore);
    if (ps.workers) ws.count('parse-workers', ps.workers);
    if (ps.orphaned) ws.count('files-parsed-after-a-worker-died', ps.orphaned);
  } finally {
    pool.stop();
  }
  trace.sample('end of the pass', layer.typesKept, true);
  layer.finish();
  for (const rule of later) for (const pkg of program.packages) if (isChecked(pkg)) run(rule, pkg, 'check');
  trace.sample('end', layer.typesKept, true);
  trace.report();
  return { findings, errors, stats: ws.stats, timings, workspace: ws };
}

