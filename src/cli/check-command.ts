/** `goport check`, `goport rules`, `goport explain`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { RULES } from '../../rules/index.js';
import type { Rule } from '../engine/define-rule.js';
import { analyze } from '../engine/run.js';
import type { RuleMeta, RunResult } from '../engine/types.js';
import { getReporter, runPipeline, summarize, UnknownFormatError } from '../report/index.js';
import { VERSION } from '../version.js';
import { type CliOptions, UsageError } from './args.js';
import { type Io, loadProgram, targetsFrom } from './main.js';

/** rules/ beside dist/ (compiled) or beside src/ (vitest). */
function rulesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const c of [path.resolve(here, '../../../rules'), path.resolve(here, '../../rules')]) {
    if (fs.existsSync(path.join(c, 'index.ts')) || fs.existsSync(path.join(c, 'gated-symbol.md'))) return c;
  }
  return path.resolve(here, '../../../rules');
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

export async function checkCommand(opts: CliOptions, io: Io): Promise<number> {
  const t0 = performance.now();
  const targets = targetsFrom(opts);
  const rules = selectRules(opts);
  const formats = opts.formats.length > 0 ? opts.formats : [{ format: 'text', file: null }];
  try {
    for (const f of formats) getReporter(f.format);
  } catch (e) {
    if (e instanceof UnknownFormatError) throw new UsageError(e.message);
    throw e;
  }
  const { program, onlyFiles } = await loadProgram(opts, io, targets);
  const tLoad = performance.now();
  const result = await analyze(program, targets, rules, opts.jobs !== null ? { jobs: opts.jobs } : {});
  const tAnalyze = performance.now();

  const lineCache = new Map<string, readonly string[] | undefined>();
  const getLines = (file: string) => {
    if (!lineCache.has(file)) {
      try {
        lineCache.set(file, fs.readFileSync(path.resolve(io.cwd, file), 'utf8').split(/\r?\n/));
      } catch {
        lineCache.set(file, undefined);
      }
    }
    return lineCache.get(file);
  };
  const targetIds = targets.list.map((p) => p.id);
  const onlyRel = onlyFiles.size > 0 ? new Set([...onlyFiles].map((f) => path.relative(io.cwd, f).split(path.sep).join('/'))) : undefined;
  const piped = runPipeline(result.findings, {
    targets: targetIds,
    getLines,
    knownRules: new Set(RULES.map((r) => r.meta.id)),
    enabledRules: new Set(rules.map((r) => r.meta.id)),
    ...(onlyRel ? { onlyFiles: onlyRel } : {}),
  });
  const errors = [...program.errors, ...result.errors, ...piped.errors].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0,
  );
  let fileCount = 0;
  for (const pkg of program.packages) fileCount += pkg.files.length;
  const run: RunResult = {
    tool: { name: 'goport', version: VERSION },
    platforms: targetIds,
    findings: piped.findings,
    errors,
    summary: summarize(piped.findings, targetIds, { files: fileCount, packages: program.packages.length }),
  };
  const metas: RuleMeta[] = RULES.map((r) => r.meta);
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
    });
    if (target !== null) {
      try {
        fs.writeFileSync(path.resolve(io.cwd, target), out);
      } catch (e) {
        io.stderr(`goport: cannot write ${target}: ${(e as Error).message}\n`);
        return 2;
      }
    } else io.stdout(out);
  }
  const tEnd = performance.now();
  if (opts.verbose && !opts.quiet) {
    const lines = [
      `goport: ${program.packages.length} packages, ${fileCount} files, ${targets.list.length} platforms, ${program.evaluator.evaluations} distinct constraints evaluated`,
      ...[...result.stats].sort().map(([k, v]) => `  ${k}: ${v}`),
      ...Object.entries(piped.stats).sort().map(([k, v]) => `  ${k}: ${v}`),
    ];
    io.stderr(lines.join('\n') + '\n');
  }
  if (opts.timing) {
    const lines = [`load ${(tLoad - t0).toFixed(1)} ms`, ...[...result.timings].map(([k, v]) => `${k} ${v.toFixed(1)} ms`), `analyze ${(tAnalyze - tLoad).toFixed(1)} ms`, `report ${(tEnd - tAnalyze).toFixed(1)} ms`];
    io.stderr(lines.map((l) => `timing: ${l}`).join('\n') + '\n');
  }
  if (errors.length > 0) return 2;
  return run.findings.length > 0 ? 1 : 0;
}
