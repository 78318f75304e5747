/**
 * The engine: extracts facts for every analyzed package, runs each enabled rule once per
 * package unit, and turns reports into findings with their platform lists. A rule that throws
 * becomes an error tagged with its id; the other rules and packages go on.
 */
import { performance } from 'node:perf_hooks';
import type { PackageModel, Program } from '../model/program.js';
import type { Targets } from '../platform/targets.js';
import { formatMessage, type ReportInput, type Rule, type RuleContext } from './define-rule.js';
import type { Finding, RunError } from './types.js';
import type { FactsStore } from './facts-store.js';
import { parseAll } from './parse-pool.js';
import { Workspace } from './workspace.js';
import { typeLayer } from '../types/layer.js';

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
}

export async function analyze(program: Program, targets: Targets, rules: readonly Rule[], opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const ws = new Workspace(program, opts.store);
  const findings: Finding[] = [];
  const errors: RunError[] = [];
  const timings = new Map<string, number>();
  const time = (key: string, t0: number) => timings.set(key, (timings.get(key) ?? 0) + performance.now() - t0);

  let t0 = performance.now();
  const files = [...program.packages.flatMap((p) => p.files.map((f) => f.file)), ...ws.preloadImports(program.packages)];
  const ps = await parseAll(files, opts);
  ws.count('files-parsed', ps.parsed);
  if (ps.fromStore) ws.count('files-from-cache', ps.fromStore);
  if (ps.workers) ws.count('parse-workers', ps.workers);
  if (ps.orphaned) ws.count('files-parsed-after-a-worker-died', ps.orphaned);
  time('parse', t0);
  for (const pkg of program.packages) {
    for (const { file } of pkg.files) {
      for (const sk of file.facts?.skips ?? []) ws.count(`unresolved (parser): ${sk.reason}`);
      const errs = file.facts?.syntaxErrors ?? [];
      if (errs.length > 0 && !program.errors.some((e) => e.file === file.path)) {
        const [l, c] = errs[0]!;
        errors.push({ file: file.path, message: `${l}:${c}: syntax error` });
      }
    }
  }

  // The type stage (expression types per package and platform group, src/types) and the rules, one
  // package at a time: a package's body types are released once its rules ran, so memory holds the
  // bodies of one package, not of the tree. Rules that need every package (Rule.prepare) read what
  // they need of each package in this pass and check all packages after it.
  // The facts cache's directory also keeps the headers of the declaration tables (src/types/decl-index.ts).
  const indexDir = (opts.store as { root?: unknown } | undefined)?.root;
  const layer = typeLayer(ws, { ...(opts.goroot ? { goroot: opts.goroot } : {}), ...(typeof indexDir === 'string' ? { indexDir } : {}) });
  t0 = performance.now();
  await layer.parseImports(program.packages, async (files) => {
    const r = await parseAll(files, { ...opts, onProgress: undefined });
    if (r.parsed) ws.count('dependency-files-parsed', r.parsed);
    if (r.fromStore) ws.count('dependency-files-from-cache', r.fromStore);
  });
  time('types', t0);

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
  for (const pkg of program.packages) {
    t0 = performance.now();
    layer.checkPackage(pkg);
    time('types', t0);
    // Every package is prepared (a whole-program rule reads the packages it does not report on too).
    for (const rule of rules) {
      if (rule.prepare) run(rule, pkg, 'prepare');
      else if (isChecked(pkg)) run(rule, pkg, 'check');
    }
    layer.releaseBodies(pkg);
  }
  layer.finish();
  for (const rule of later) for (const pkg of program.packages) if (isChecked(pkg)) run(rule, pkg, 'check');
  return { findings, errors, stats: ws.stats, timings, workspace: ws };
}

