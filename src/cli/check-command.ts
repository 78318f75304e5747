/** `goport check`, `goport rules`, `goport explain`. */
import fs from 'node:fs';
import path from 'node:path';
import { shipped } from '../paths.js';
import { performance } from 'node:perf_hooks';
import { RULES } from '../../rules/index.js';
import { FactsCache, factsCacheDir } from '../cache/facts-cache.js';
import { anyExcluded } from '../config/exclude.js';
import type { Rule } from '../engine/define-rule.js';
import type { FactsStore } from '../engine/facts-store.js';
import { analyze } from '../engine/run.js';
import type { Finding, RuleMeta, RunResult, Severity } from '../engine/types.js';
import { changedGoFiles, GitError, repoRoot, stagedGoFiles } from '../git/git.js';
import { buildStagedTree, type StagedTree } from '../git/staged-tree.js';
import {
  type Baseline,
  BaselineError,
  getReporter,
  parseBaseline,
  runPipeline,
  summarize,
  UnknownFormatError,
  UNUSED_IGNORE_RULE,
  writeBaseline,
} from '../report/index.js';
import { Program } from '../model/program.js';
import { NEWEST_GO_MINOR } from '../platform/known.js';
import { VERSION } from '../version.js';
import { goEnv } from '../loader/go-env.js';
import { type CliOptions, UsageError } from './args.js';
import { type Io, loadProgram, resolveGoMinor, resolveGoVersion, targetsFrom } from './main.js';
import { Progress, progressEnabled } from './progress.js';
import { resolveSettings, type Settings } from './settings.js';
import { writeOutput } from './output.js';
import { checkedOn, filesReport } from './files-command.js';
import type { Selection } from '../binaries/select.js';
import type { Targets } from '../platform/targets.js';
import { resolveFixOffsets } from '../report/fixes.js';

/** --verbose with `binaries`: each binary's platforms, then every package's effective targets. */
function selectionLines(program: Program, targets: Targets, selection: Selection): string[] {
  const lines = selection.binaries.map((b) => `  binary ${b.dir}: ${targets.compact(targets.ids(b.mask)).join(',')}`);
  const report = filesReport(program, targets, selection);
  const w = Math.max(0, ...report.packages.map((p) => p.dir.length));
  for (const p of report.packages) lines.push(`  targets ${p.dir.padEnd(w)}  ${checkedOn(p, targets)}`);
  return lines;
}

/** rules/ of the package (the rule docs). */
function rulesDir(): string {
  return shipped('rules');
}

export function ruleDocs(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of RULES) {
    try {
      out[r.meta.id] = fs.readFileSync(path.join(rulesDir(), `${r.meta.id}.md`), 'utf8');
    } catch {
      /* a missing doc is caught by test/rules-meta.test.ts */
    }
  }
  return out;
}

export function selectRules(opts: CliOptions): Rule[] {
  const ids = new Set(RULES.map((r) => r.meta.id));
  for (const id of [...opts.enable, ...opts.disable]) {
    if (!ids.has(id)) throw new UsageError(`unknown rule "${id}" (goport rules lists them)`);
  }
  return RULES.filter((r) => (opts.enable.length === 0 || opts.enable.includes(r.meta.id)) && !opts.disable.includes(r.meta.id));
}

export function rulesCommand(_opts: CliOptions, io: Io): number {
  const w = Math.max(...RULES.map((r) => r.meta.id.length));
  for (const r of RULES) io.stdout(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.title}\n`);
  return 0;
}

export function explainCommand(opts: CliOptions, io: Io): number {
  const id = opts.patterns[0];
  if (!id) throw new UsageError('goport explain needs a rule id (goport rules lists them)');
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) throw new UsageError(`unknown rule "${id}" (goport rules lists them)`);
  const doc = ruleDocs()[id];
  io.stdout(doc ?? `${id}: ${rule.meta.title}\n`);
  return 0;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Whether a finding makes the exit code 1 under --fail-on. */
export function failsOn(f: Finding, failOn: Settings['failOn']): boolean {
  return failOn !== 'none' && SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn];
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** Keeps the repository-relative files that lie under one of the patterns (all when there are none). */
function underPatterns(files: readonly string[], patterns: readonly string[], root: string, cwd: string): string[] {
  if (patterns.length === 0) return [...files];
  const bases = patterns.map((p) => {
    const rec = p === '...' || p.endsWith('/...');
    const base = rec ? p.slice(0, -3).replace(/\/$/, '') || '.' : p;
    return { abs: path.resolve(cwd, base), rec };
  });
  return files.filter((f) => {
    const abs = path.join(root, f);
    return bases.some((b) => abs === b.abs || (b.rec ? abs.startsWith(b.abs + path.sep) : path.dirname(abs) === b.abs));
  });
}

/** Source lines of the files findings name (relative to `root`), read once each. */
export function lineReader(root: string): (file: string) => readonly string[] | undefined {
  const lineCache = new Map<string, readonly string[] | undefined>();
  return (file: string) => {
    if (!lineCache.has(file)) {
      try {
        lineCache.set(file, fs.readFileSync(path.resolve(root, file), 'utf8').split(/\r?\n/));
      } catch {
        lineCache.set(file, undefined);
      }
    }
    return lineCache.get(file);
  };
}

/** The facts store of this run: the cache directory unless --no-cache or GOPORT_CACHE=off. */
export function openStore(opts: CliOptions, env: NodeJS.ProcessEnv): FactsCache | undefined {
  if (!opts.cache) return undefined;
  const dir = factsCacheDir(env);
  return dir === null ? undefined : new FactsCache(dir);
}

export async function checkCommand(rawOpts: CliOptions, io: Io): Promise<number> {
  const settings = resolveSettings(rawOpts, io.cwd);
  const opts = settings.opts;
  const formats = opts.formats.length > 0 ? opts.formats : [{ format: 'text', file: null }];
  try {
    for (const f of formats) getReporter(f.format);
  } catch (e) {
    if (e instanceof UnknownFormatError) throw new UsageError(e.message);
    throw e;
  }
  let baseline: Baseline | undefined;
  if (settings.baseline !== null && opts.writeBaseline === null) {
    const shown = path.relative(io.cwd, settings.baseline) || settings.baseline;
    let text: string;
    try {
      text = fs.readFileSync(settings.baseline, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT' ? `baseline ${shown} does not exist (write it with --write-baseline ${shown})` : `cannot read baseline ${shown}: ${code ?? String(e)}`,
      );
    }
    try {
      baseline = parseBaseline(text);
    } catch (e) {
      if (e instanceof BaselineError) throw new UsageError(`${shown}: ${e.message}`);
      throw e;
    }
  }

  // Pre-commit modes: the files to analyze come from git.
  let patterns: readonly string[] = opts.patterns;
  let runCwd = io.cwd;
  let tree: StagedTree | null = null;
  if (opts.staged || opts.changedSince !== null) {
    let root: string;
    let files: string[];
    try {
      root = repoRoot(io.cwd);
      files = opts.staged ? stagedGoFiles(root) : changedGoFiles(root, opts.changedSince!);
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(e.message);
      throw e;
    }
    const realCwd = fs.realpathSync(io.cwd);
    files = underPatterns(files, opts.patterns, root, realCwd);
    if (files.length === 0) {
      // Nothing to analyze, but every format is still written (an empty SARIF log, a JSON report...).
      if (opts.verbose && !opts.quiet) io.stderr(`goport: no ${opts.staged ? 'staged' : 'changed'} Go files\n`);
      return await runCheck(opts, settings, io, { patterns: [], runCwd, formats, baseline, nothing: true });
    }
    const relToCwd = path.relative(realCwd, root);
    patterns = files.map((f) => toSlash(path.join(relToCwd, f)));
    if (opts.staged) {
      try {
        tree = buildStagedTree(root, files);
      } catch (e) {
        if (e instanceof GitError) throw new UsageError(e.message);
        throw e;
      }
      runCwd = path.join(tree.root, path.relative(root, realCwd));
    }
  }
  // An interrupted hook must not leave the temporary tree behind.
  const onSignal = (sig: NodeJS.Signals) => {
    tree?.dispose();
    process.kill(process.pid, sig);
  };
  if (tree) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, onSignal);
  try {
    return await runCheck(opts, settings, io, { patterns, runCwd, formats, baseline });
  } finally {
    if (tree) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeListener(sig, onSignal);
    tree?.dispose();
  }
}

async function runCheck(
  opts: CliOptions,
  settings: Settings,
  io: Io,
  run0: {
    patterns: readonly string[];
    runCwd: string;
    formats: { format: string; file: string | null }[];
    baseline: Baseline | undefined;
    /** No file to analyze (no staged or changed Go file): an empty run, reported as usual. */
    nothing?: boolean;
  },
): Promise<number> {
  const t0 = performance.now();
  const targets = targetsFrom(opts, resolveGoMinor(opts.goVersion, io.cwd));
  const rules = selectRules(opts);
  const { runCwd, formats } = run0;
  const progress = new Progress(
    io.stderr,
    progressEnabled({ flag: opts.progress, quiet: opts.quiet, stderrIsTTY: io.stderrIsTTY ?? false, env: io.env }),
    io.columns !== undefined ? { columns: io.columns } : {},
  );
  const store = openStore(opts, io.env);
  const { program, onlyFiles, namedFiles, selection } = run0.nothing
    ? {
        program: new Program({ cwd: runCwd, targets, build: { cgo: opts.cgo, tags: opts.tags, goMinor: NEWEST_GO_MINOR }, tests: opts.tests }),
        onlyFiles: new Set<string>(),
        namedFiles: true,
        selection: null,
      }
    : await loadProgram(opts, io, targets, { cwd: runCwd, patterns: run0.patterns, excludes: settings.excludes, progress });
  const tLoad = performance.now();
  const analyzeOpts: { jobs?: number; store?: FactsStore; goroot?: string; focus?: ReadonlySet<string>; onProgress?: (done: number, total: number) => void } = {
    onProgress: (done, total) => progress.update('parsing', done, total),
  };
  if (opts.jobs !== null) analyzeOpts.jobs = opts.jobs;
  if (store) analyzeOpts.store = store;
  const goroot = opts.stdSource ? goEnv()?.GOROOT : undefined;
  if (goroot) analyzeOpts.goroot = goroot;
  // Named files (--staged, --changed-since, `check FILE...`): only their findings are reported, so
  // only their bodies are checked (and what the rules need of the others to judge them).
  const onlyRel = namedFiles ? new Set([...onlyFiles].map((f) => toSlash(path.relative(runCwd, f)))) : undefined;
  if (onlyRel) analyzeOpts.focus = onlyRel;
  const result = await analyze(program, targets, rules, analyzeOpts);
  store?.flush(); // facts of dependency packages parsed while the rules ran
  progress.clear();
  const tAnalyze = performance.now();

  const getLines = lineReader(runCwd);
  // Exclusion patterns are matched on the real paths (the staged tree mirrors them).
  const excluded = (file: string) => settings.excludes.length > 0 && anyExcluded(settings.excludes, path.resolve(io.cwd, file.replace(/:\d+(:\d+)?$/, '')));
  const targetIds = targets.list.map((p) => p.id);
  const analyzed: string[] = [];
  for (const pkg of program.packages) for (const { file } of pkg.files) if (!excluded(file.path)) analyzed.push(file.path);
  const piped = runPipeline(
    result.findings.filter((f) => !excluded(f.file)),
    {
      targets: targetIds,
      getLines,
      knownRules: new Set(RULES.map((r) => r.meta.id)),
      enabledRules: new Set(rules.map((r) => r.meta.id)),
      severityOverrides: settings.severity,
      ...(onlyRel ? { onlyFiles: onlyRel } : {}),
      ...(opts.reportUnusedIgnores ? { reportUnusedIgnores: true, files: [...new Set(analyzed)].sort() } : {}),
      ...(run0.baseline ? { baseline: run0.baseline } : {}),
      ...(opts.tiers ? { tiers: opts.tiers } : {}),
    },
  );
  // A file go/build rejects for its constraint is reported once: as the build-constraint finding
  // when that rule says so, else as an error.
  const constraintFindings = new Set(piped.findings.filter((f) => f.rule === 'build-constraint').map((f) => f.file));
  const errors = [...program.errors, ...result.errors, ...piped.errors]
    .filter((e) => !excluded(e.file))
    .filter((e) => !(e.kind === 'constraint' && constraintFindings.has(e.file)))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  let fileCount = 0;
  for (const pkg of program.packages) fileCount += pkg.files.length;

  if (opts.writeBaseline !== null) {
    const target = path.resolve(io.cwd, opts.writeBaseline);
    try {
      fs.writeFileSync(target, writeBaseline(piped.findings, getLines));
    } catch (e) {
      io.stderr(`goport: cannot write ${opts.writeBaseline}: ${(e as Error).message}\n`);
      return 2;
    }
    if (!opts.quiet) io.stderr(`goport: wrote ${piped.findings.length} finding${piped.findings.length === 1 ? '' : 's'} to ${opts.writeBaseline}\n`);
    for (const e of errors) io.stderr(`${e.file}: ${e.message}\n`);
    return errors.length > 0 ? 2 : 0;
  }

  const run: RunResult = {
    tool: { name: 'goport', version: VERSION },
    platforms: targetIds,
    findings: resolveFixOffsets(piped.findings, (file) => {
      try {
        return fs.readFileSync(path.resolve(runCwd, file));
      } catch {
        return undefined;
      }
    }),
    errors,
    summary: summarize(piped.findings, targetIds, { files: fileCount, packages: program.packages.length }),
  };
  const metas: RuleMeta[] = RULES.map((r) => r.meta);
  if (opts.reportUnusedIgnores) metas.push(UNUSED_IGNORE_RULE);
  const color = opts.color ?? (io.isTTY && !io.env.NO_COLOR);
  const docs = ruleDocs();
  for (const f of formats) {
    const target = f.file ?? opts.output;
    const out = getReporter(f.format).render(run, metas, {
      color: target === null ? color : false,
      targets: targetIds,
      cwd: io.cwd,
      getLines,
      docs,
      group: opts.group,
    });
    if (!writeOutput(io, target, out)) return 2;
  }
  const tEnd = performance.now();
  if (opts.verbose && !opts.quiet) {
    const lines = [
      `goport: ${program.packages.length} packages, ${fileCount} files, ${targets.list.length} platforms, ${program.evaluator.evaluations} distinct constraints evaluated`,
      ...[...result.stats].sort().map(([k, v]) => `  ${k}: ${v}`),
      ...Object.entries(piped.stats).sort().map(([k, v]) => `  ${k}: ${v}`),
    ];
    if (settings.config) lines.push(`  config: ${settings.config.file}`);
    const gv = resolveGoVersion(opts.goVersion, io.cwd);
    lines.push(`  go version: 1.${gv.minor} (${gv.why})`);
    if (selection) lines.push(...selectionLines(program, targets, selection));
    if (store) lines.push(`  cache: ${store.root} (${store.stats.hits} hits, ${store.stats.misses} misses, ${store.stats.corrupt} corrupt, ${store.stats.written} written)`);
    io.stderr(lines.join('\n') + '\n');
  }
  if (opts.timing) {
    const lines = [`load ${(tLoad - t0).toFixed(1)} ms`, ...[...result.timings].map(([k, v]) => `${k} ${v.toFixed(1)} ms`), `analyze ${(tAnalyze - tLoad).toFixed(1)} ms`, `report ${(tEnd - tAnalyze).toFixed(1)} ms`];
    // The whole process (worker threads included) so far, as the operating system counts it.
    const ru = process.resourceUsage();
    lines.push(`cpu ${((ru.userCPUTime + ru.systemCPUTime) / 1000).toFixed(1)} ms`, `peak-rss ${(ru.maxRSS / 1024).toFixed(1)} MB`);
    io.stderr(lines.map((l) => `timing: ${l}`).join('\n') + '\n');
  }
  if (errors.length > 0) return 2;
  return run.findings.some((f) => failsOn(f, settings.failOn)) ? 1 : 0;
}
