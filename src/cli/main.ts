/** The goport command line: argv → options → discover → model → rules → report → exit code. */
import fs from 'node:fs';
import path from 'node:path';
import { anyExcluded, type ExcludeMatcher } from '../config/exclude.js';
import { goMinorOf } from '../loader/gomod.js';
import { discover, relPath } from '../loader/discover.js';
import { goEnv } from '../loader/go-env.js';
import { chooseGoVersion, type GoVersionChoice, nearestGoMod } from '../loader/go-version.js';
import { Program } from '../model/program.js';
import { ARCH_ENV_VARS } from '../platform/known.js';
import { parsePlatforms, PlatformError, Targets } from '../platform/targets.js';
import { type CliOptions, HELP, parseArgs, UsageError } from './args.js';
import { filesReport, renderFilesText } from './files-command.js';
import { restrictVendored, type Selection, selectionTargets, selectTargets } from '../binaries/select.js';
import type { Progress } from './progress.js';
import { resolveSettings } from './settings.js';
import { VERSION } from '../version.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Standard output is a terminal (colour). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Standard error is a terminal (progress bar); default false. */
  stderrIsTTY?: boolean;
  /** Terminal width for the progress bar. */
  columns?: number;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  columns: process.stderr.columns,
});

/**
 * The Go release of the run: --go-version (or the configuration's go-version), else as the go
 * command would choose it from the go on PATH and the working directory's go.mod (loader/go-version.ts).
 */
export function resolveGoVersion(flag: string | null, cwd: string): GoVersionChoice {
  if (flag !== null) {
    const m = goMinorOf(flag);
    if (m === null) throw new UsageError(`--go-version: "${flag}" is not a Go version like 1.22 or go1.22.3`);
    return { minor: m, why: `--go-version ${flag}` };
  }
  const env = goEnv();
  const mod = nearestGoMod(cwd);
  return chooseGoVersion({ local: env?.GOVERSION || null, goLine: mod?.go ?? null, toolchainLine: mod?.toolchain ?? null, gotoolchain: env?.GOTOOLCHAIN });
}

/** The Go minor version for release tags (see resolveGoVersion). */
export function resolveGoMinor(flag: string | null, cwd: string = process.cwd()): number {
  return resolveGoVersion(flag, cwd).minor;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`goport: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    switch (opts.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`goport ${VERSION}\n`);
        return 0;
      case 'files':
        return await filesCommand(resolveSettings(opts, io.cwd).opts, io);
      case 'targets': {
        const { targetsCommand } = await import('./targets-command.js');
        return await targetsCommand(resolveSettings(opts, io.cwd), io);
      }
      case 'audit': {
        const { auditCommand } = await import('./audit-command.js');
        return await auditCommand(opts, io);
      }
      case 'index': {
        const { indexCommand } = await import('../apiindex/index-command.js');
        return indexCommand(opts, io);
      }
      case 'fix': {
        const { fixCommand } = await import('./fix-command.js');
        return await fixCommand(opts, io);
      }
      case 'rules':
      case 'explain':
      case 'check': {
        const { checkCommand, rulesCommand, explainCommand } = await import('./check-command.js');
        if (opts.command === 'rules') return rulesCommand(opts, io);
        if (opts.command === 'explain') return explainCommand(opts, io);
        return await checkCommand(opts, io);
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PlatformError) {
      io.stderr(`goport: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** The default platforms (`--platforms`, else the kubernetes preset). */
export function defaultPlatforms(opts: CliOptions): string[] {
  return opts.platforms.length > 0 ? opts.platforms : ['kubernetes'];
}

/**
 * Every target, validated against the ports of go1.`goMinor`: the default platforms and, with
 * `binaries` configured, each binary's. `--platforms` on the command line names the platforms of
 * the run: every binary is then checked on those of its platforms only.
 */
export function targetsFrom(opts: CliOptions, goMinor: number): Targets {
  if (opts.binaries && !opts.explicit.has('platforms')) return selectionTargets(defaultPlatforms(opts), opts.binaries, goMinor);
  return new Targets(parsePlatforms(defaultPlatforms(opts), goMinor));
}

/** `cgo: [darwin/*]` as platform ids of the targets. */
function cgoPlatformIds(opts: CliOptions, targets: Targets, goMinor: number): string[] {
  if (opts.cgoPlatforms.length === 0) return [];
  const on = new Set(parsePlatforms(opts.cgoPlatforms, goMinor).map((p) => p.id));
  return targets.list.filter((p) => on.has(p.id)).map((p) => p.id);
}

export interface LoadExtra {
  /** Directory the analysis runs in (the staged tree's copy of the cwd); default io.cwd. */
  cwd?: string;
  /** Patterns instead of opts.patterns. */
  patterns?: readonly string[];
  /** Package directories (and named files) to leave out; matched on the real paths (io.cwd + relative path). */
  excludes?: readonly ExcludeMatcher[];
  progress?: Progress;
}

export async function loadProgram(
  opts: CliOptions,
  io: Io,
  targets: Targets,
  extra: LoadExtra = {},
): Promise<{ program: Program; onlyFiles: Set<string>; namedFiles: boolean; selection: Selection | null }> {
  const goMinor = resolveGoMinor(opts.goVersion, io.cwd);
  const cwd = extra.cwd ?? io.cwd;
  const found = await discover(extra.patterns ?? opts.patterns, { cwd, vendor: opts.vendor, allModules: opts.allModules });
  const excludes = extra.excludes ?? [];
  const excluded = (abs: string) => excludes.length > 0 && anyExcluded(excludes, path.resolve(io.cwd, relPath(cwd, abs)));
  // GOAMD64, GOARM, GO386...: the go command's feature-level variables, read the same way.
  const archEnv = Object.fromEntries(ARCH_ENV_VARS.filter((k) => io.env[k]).map((k) => [k, io.env[k]]));
  const cgoPlatforms = cgoPlatformIds(opts, targets, goMinor);
  const build = { cgo: opts.cgo, tags: opts.tags, goMinor, archEnv, ...(cgoPlatforms.length > 0 ? { cgoPlatforms } : {}) };
  const program = new Program({ cwd, targets, build, tests: opts.tests });
  program.errors.push(...found.errors);
  const packages = found.packages.filter((p) => !excluded(p.dir));
  packages.forEach((p, i) => {
    program.loadDir(p);
    extra.progress?.update('reading', i + 1, packages.length, 'packages');
  });
  const onlyFiles = new Set([...found.onlyFiles].filter((f) => !excluded(f)));
  const selection = opts.binaries ? await selectTargets(program, targets, defaultPlatforms(opts), opts.binaries, cwd, io.cwd) : null;
  // --vendor: a vendored package is checked where the tree imports it (after binaries: both narrow).
  if (opts.vendor) restrictVendored(program, targets);
  if (selection && !opts.staged && opts.changedSince === null) {
    for (const p of selection.unmatched) program.errors.push({ file: relPath(io.cwd, opts.binaries!.file), message: `binaries: "${p}" matches no main package` });
  }
  // namedFiles: .go files were named, so report only on onlyFiles, even when exclusion emptied it.
  return { program, onlyFiles, namedFiles: found.onlyFiles.size > 0, selection };
}

async function filesCommand(opts: CliOptions, io: Io): Promise<number> {
  const targets = targetsFrom(opts, resolveGoMinor(opts.goVersion, io.cwd));
  const { program, selection } = await loadProgram(opts, io, targets);
  const report = filesReport(program, targets, selection);
  const format = opts.formats[0]?.format ?? 'text';
  let out: string;
  if (format === 'json') out = JSON.stringify({ ...report, errors: program.errors }, null, 2) + '\n';
  else if (format === 'text') out = renderFilesText(report, targets);
  else throw new UsageError(`goport files: unknown format "${format}" (text, json)`);
  if (opts.output) fs.writeFileSync(opts.output, out);
  else io.stdout(out);
  for (const e of program.errors) io.stderr(`${e.file}: ${e.message}\n`);
  return program.errors.length > 0 ? 2 : 0;
}
