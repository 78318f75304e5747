/** Temporary file trees for tests: each `tree({...})` call writes a fresh directory under one root. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempTrees {
  /** Writes `files` (relative path → text) into a new directory and returns it. */
  tree(files: Record<string, string>): string;
  /** A fresh, empty directory path under the root (not created). */
  fresh(prefix: string): string;
  /** Removes everything (for afterAll). */
  remove(): void;
}

export function tempTrees(prefix: string): TempTrees {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let n = 0;
  return {
    tree(files) {
      const dir = path.join(root, `t${n++}`);
      fs.mkdirSync(dir, { recursive: true });
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      return dir;
    },
    fresh(p) {
      return path.join(root, `${p}${n++}`);
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
