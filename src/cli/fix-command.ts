/**
 * `goport fix` (or `--fix`): applies the edits findings carry (Finding.fix), then checks again and
 * reports what is left, as `goport check` would. The edits come from one JSON run of the same
 * check, so they are exactly the ones `--format json` shows.
 */
import { spawnSync } from 'node:child_process';
import type { RunResult } from '../engine/types.js';
import { applyFixes } from '../report/fixes.js';
import { type CliOptions, UsageError } from './args.js';
import type { Io } from './main.js';

/** At most this many rounds: a fix may make another possible (a field moved before another, overlapping edits). */
const MAX_ROUNDS = 4;

export async function fixCommand(opts: CliOptions, io: Io): Promise<number> {
  if (opts.staged || opts.changedSince !== null) throw new UsageError('goport fix edits the work tree: --staged and --changed-since do not apply');
  if (opts.writeBaseline !== null) throw new UsageError('goport fix: --write-baseline does not apply');
  const { checkCommand } = await import('./check-command.js');
  let total = 0;
  const written = new Set<string>();
  /** Files gofmt would change before goport touched them: left as they are (go fix formats what it rewrites, but those were not formatted to begin with). */
  const unformatted = new Set<string>();
  const seen = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let out = '';
    let err = '';
    const quiet: Io = { ...io, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, stderrIsTTY: false };
    const code = await checkCommand({ ...opts, command: 'check', formats: [{ format: 'json', file: null }], output: null, verbose: false, timing: false, progress: false }, quiet);
    if (code === 2 && out === '') {
      io.stderr(err);
      return 2;
    }
    const run = JSON.parse(out) as RunResult;
    const fresh = [...new Set(run.findings.flatMap((f) => f.fix?.edits.map((e) => e.file) ?? []))].filter((f) => !seen.has(f)).sort();
    fresh.forEach((f) => seen.add(f));
    for (const f of gofmt(['-l', ...fresh], io.cwd)?.files ?? []) unformatted.add(f);
    const r = applyFixes(run.findings, io.cwd);
    total += r.applied;
    r.files.forEach((f) => written.add(f));
    if (r.applied === 0) break;
  }
  if (!opts.quiet) io.stderr(`goport: applied ${total} fix${total === 1 ? '' : 'es'} in ${written.size} file${written.size === 1 ? '' : 's'}\n`);
  // Edits change line lengths, and gofmt aligns trailing comments: format what was formatted before.
  const format = [...written].filter((f) => !unformatted.has(f)).sort();
  if (format.length > 0) {
    const r = gofmt(['-w', ...format], io.cwd);
    if (r === undefined) io.stderr('goport: gofmt not found: the fixed files are not reformatted\n');
    else if (r.error) io.stderr(`goport: gofmt: ${r.error}`);
  }
  return await checkCommand({ ...opts, command: 'check' }, io);
}

/** Runs gofmt in `cwd`; undefined when there is no gofmt on PATH. */
function gofmt(args: string[], cwd: string): { files: string[]; error?: string } | undefined {
  if (args.length === 1) return { files: [] };
  const r = spawnSync('gofmt', args, { cwd, encoding: 'utf8' });
  if (r.error) return undefined;
  const files = r.stdout.split('\n').filter(Boolean);
  return r.status === 0 ? { files } : { files, error: r.stderr };
}
