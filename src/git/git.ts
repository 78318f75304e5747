/**
 * What goport asks git: the repository root, the staged or changed Go files, and the index's
 * version of files (for `--staged`). Every call is one `git` process with NUL-separated output.
 */
import { spawnSync } from 'node:child_process';

export class GitError extends Error {}

function git(cwd: string, args: readonly string[], input?: string | Buffer): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `git ${args[0]}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new GitError(msg !== '' ? msg.replace(/^fatal: /, '') : `git ${args.join(' ')} failed (exit ${r.status})`);
  }
  return r.stdout;
}

function nulList(b: Buffer): string[] {
  return b
    .toString('utf8')
    .split('\0')
    .filter((s) => s !== '');
}

/** The top directory of the work tree containing `cwd`. */
export function repoRoot(cwd: string): string {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) throw new GitError(`not in a git repository: ${cwd}`);
    throw e;
  }
}

const isGo = (p: string) => p.endsWith('.go');

/** Go files added, copied, modified or renamed in the index (repository-relative, `/`-separated). */
export function stagedGoFiles(root: string): string[] {
  // On an unborn branch git diffs the index against the empty tree.
  return nulList(git(root, ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z', '--no-renames', '--'])).filter(isGo).sort();
}

/**
 * Go files that differ from `rev` in the working tree (staged or not), plus untracked ones: what a
 * branch changed when `rev` is its merge base.
 */
export function changedGoFiles(root: string, rev: string): string[] {
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new GitError(`--changed-since: unknown revision "${rev}"`);
  }
  const changed = nulList(git(root, ['diff', '--name-only', '--diff-filter=ACMR', '-z', '--no-renames', rev, '--']));
  const untracked = nulList(git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', '*.go']));
  return [...new Set([...changed, ...untracked])].filter(isGo).sort();
}

export interface IndexEntry {
  mode: string;
  oid: string;
  /** Repository-relative, `/`-separated. */
  path: string;
}

/** Stage-0 index entries directly inside the given directories ('' is the root). */
export function indexEntries(root: string, dirs: readonly string[]): IndexEntry[] {
  if (dirs.length === 0) return [];
  const specs = dirs.map((d) => `:(top,glob)${d === '' ? '' : `${d.replace(/([*?[\]\\])/g, '\\$1')}/`}*`);
  const recs: string[] = [];
  // ls-files has no --pathspec-from-file: chunks keep the command line short (Windows: 32 KiB).
  for (let i = 0; i < specs.length; i += 200) recs.push(...nulList(git(root, ['ls-files', '--stage', '-z', '--', ...specs.slice(i, i + 200)])));
  const entries: IndexEntry[] = [];
  for (const rec of recs) {
    // "<mode> <oid> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    if (stage !== '0' || mode === undefined || oid === undefined) continue;
    entries.push({ mode, oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

/** The contents of blobs, by object id (one `git cat-file --batch`). */
export function readBlobs(root: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(oids)];
  if (unique.length === 0) return out;
  const buf = git(root, ['cat-file', '--batch'], unique.join('\n') + '\n');
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    const [oid, type, size] = header.split(' ');
    if (type === 'missing' || size === undefined || oid === undefined) {
      pos = nl + 1;
      continue;
    }
    const n = Number(size);
    out.set(oid, Buffer.from(buf.subarray(nl + 1, nl + 1 + n)));
    pos = nl + 1 + n + 1;
  }
  return out;
}
