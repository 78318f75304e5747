/**
 * `goport fix` (or `--fix`): applies the edits findings carry (Finding.fix), then checks again and
 * reports what is left, as `goport check` would. The edits come from one JSON run of the same
 * check, so they are exactly the ones `--format json` shows.
 */
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
    const r = applyFixes(run.findings, io.cwd);
    total += r.applied;
    r.files.forEach((f) => written.add(f));
    if (r.applied === 0) break;
  }
  if (!opts.quiet) io.stderr(`goport: applied ${total} fix${total === 1 ? '' : 'es'} in ${written.size} file${written.size === 1 ? '' : 's'}\n`);
  return await checkCommand({ ...opts, command: 'check' }, io);
}
