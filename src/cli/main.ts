/** The goport command line: argv → options → discover → model → rules → report → exit code. */
import fs from 'node:fs';
import { goMinorOf } from '../loader/gomod.js';
import { discover } from '../loader/discover.js';
import { goEnv } from '../loader/go-env.js';
import { Program } from '../model/program.js';
import { NEWEST_GO_MINOR } from '../platform/known.js';
import { parsePlatforms, PlatformError, Targets } from '../platform/targets.js';
import { type CliOptions, HELP, parseArgs, UsageError } from './args.js';
import { filesReport, renderFilesText } from './files-command.js';
import { VERSION } from '../version.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
});

/** The Go minor version for release tags: --go-version, else the go on PATH, else the newest known. */
export function resolveGoMinor(flag: string | null): number {
  if (flag !== null) {
    const m = goMinorOf(flag);
    if (m === null) throw new UsageError(`--go-version: "${flag}" is not a Go version like 1.22 or go1.22.3`);
    return m;
  }
  const env = goEnv();
  return goMinorOf(env?.GOVERSION) ?? NEWEST_GO_MINOR;
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
        return await filesCommand(opts, io);
      case 'index': {
        const { indexCommand } = await import('../apiindex/index-command.js');
        return indexCommand(opts, io);
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

export function targetsFrom(opts: CliOptions): Targets {
  return new Targets(parsePlatforms(opts.platforms.length > 0 ? opts.platforms : ['kubernetes']));
}

export async function loadProgram(opts: CliOptions, io: Io, targets: Targets): Promise<{ program: Program; onlyFiles: Set<string> }> {
  const goMinor = resolveGoMinor(opts.goVersion);
  const found = await discover(opts.patterns, { cwd: io.cwd, vendor: opts.vendor });
  const program = new Program({ cwd: io.cwd, targets, build: { cgo: opts.cgo, tags: opts.tags, goMinor }, tests: opts.tests });
  program.errors.push(...found.errors);
  for (const p of found.packages) program.loadDir(p);
  return { program, onlyFiles: found.onlyFiles };
}

async function filesCommand(opts: CliOptions, io: Io): Promise<number> {
  const targets = targetsFrom(opts);
  const { program } = await loadProgram(opts, io, targets);
  const report = filesReport(program, targets);
  const format = opts.formats[0]?.format ?? 'text';
  let out: string;
  if (format === 'json') out = JSON.stringify({ ...report, errors: program.errors }, null, 2) + '\n';
  else if (format === 'text') out = renderFilesText(report);
  else throw new UsageError(`goport files: unknown format "${format}" (text, json)`);
  if (opts.output) fs.writeFileSync(opts.output, out);
  else io.stdout(out);
  for (const e of program.errors) io.stderr(`${e.file}: ${e.message}\n`);
  return program.errors.length > 0 ? 2 : 0;
}
