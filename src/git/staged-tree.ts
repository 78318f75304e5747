/**
 * The tree a commit would record, as far as `--staged` needs it, without checking out the whole
 * index: a temporary directory that mirrors the repository, where each directory on the way to a
 * staged file is real and holds the *index* version of its Go files (and go.mod), and everything
 * else is a symbolic link to the work tree. The analysis runs on it with the same relative paths,
 * so findings, baselines and ignore directives read the staged text. Costs one `git ls-files` and
 * one `git cat-file --batch` plus a few links per directory level, whatever the repository's size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexEntries, readBlobs } from './git.js';

export interface StagedTree {
  /** The temporary directory standing for the repository root. */
  root: string;
  /** The repository root it mirrors. */
  repo: string;
  /** Files written from the index (repository-relative). */
  written: number;
  /** Removes the temporary directory (links only, never their targets). */
  dispose(): void;
}

/** Files whose index version matters to the analysis; others in a real directory are left out. */
function fromIndex(name: string): boolean {
  return name.endsWith('.go') || name === 'go.mod' || name === 'go.work';
}

function linkType(): 'junction' | 'dir' {
  return process.platform === 'win32' ? 'junction' : 'dir';
}

/** Builds the staged tree for the given staged files (repository-relative, `/`-separated). */
export function buildStagedTree(repo: string, stagedFiles: readonly string[]): StagedTree {
  // The real directories: every directory of a staged file and all directories above it.
  const real = new Set<string>(['']);
  for (const f of stagedFiles) {
    let d = path.posix.dirname(f);
    while (d !== '.' && d !== '' && !real.has(d)) {
      real.add(d);
      d = path.posix.dirname(d);
    }
  }
  const dirs = [...real].sort();
  const entries = indexEntries(repo, dirs).filter((e) => fromIndex(path.posix.basename(e.path)) && e.mode !== '160000');
  const blobs = readBlobs(
    repo,
    entries.filter((e) => e.mode !== '120000').map((e) => e.oid),
  );

  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goport-staged-')));
  const dispose = () => fs.rmSync(root, { recursive: true, force: true });
  let written = 0;
  try {
    for (const d of dirs) {
      const into = path.join(root, d);
      fs.mkdirSync(into, { recursive: true });
      let listing: fs.Dirent[] = [];
      try {
        listing = fs.readdirSync(path.join(repo, d), { withFileTypes: true });
      } catch {
        /* a directory that exists only in the index */
      }
      for (const e of listing) {
        const rel = d === '' ? e.name : `${d}/${e.name}`;
        if (real.has(rel) || (d === '' && e.name === '.git')) continue;
        const target = path.join(repo, rel);
        let isDir = e.isDirectory();
        if (e.isSymbolicLink()) {
          try {
            isDir = fs.statSync(target).isDirectory();
          } catch {
            isDir = false;
          }
        }
        // Directories only: other packages and vendor/ are read from the work tree as they are.
        if (isDir) fs.symlinkSync(target, path.join(into, e.name), linkType());
      }
    }
    for (const e of entries) {
      const dest = path.join(root, e.path);
      if (e.mode === '120000') {
        // A symbolic link in the index: link to the work tree's file.
        try {
          fs.symlinkSync(path.join(repo, e.path), dest, 'file');
        } catch {
          /* no symlink permission (Windows): the file is left out */
        }
        continue;
      }
      const content = blobs.get(e.oid);
      if (content === undefined) continue;
      fs.writeFileSync(dest, content);
      written++;
    }
  } catch (e) {
    dispose();
    throw e;
  }
  return { root, repo, written, dispose };
}
