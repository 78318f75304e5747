/** A fingerprint of the code that produces FileFacts (see parserFingerprint). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipped } from '../paths.js';

let codeHash: string | undefined;

/**
 * A fingerprint of the code that produces facts: the parser's files (src/parser/**, compiled or
 * not) and the tree-sitter-go version. The engine's key covers the facts format version and the
 * extractor names; this covers an extractor whose output changes without a version bump (a
 * developer's working copy, a patched install), so a cache can never serve facts the current
 * parser would not produce. Read once per process (~20 small files).
 */
export function parserFingerprint(): string {
  if (codeHash !== undefined) return codeHash;
  const h = createHash('sha1');
  // This module's own directory, except in the CLI's bundle (dist/bundle, built from dist/src).
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parserDir = path.basename(here) === 'parser' ? here : shipped('dist', 'src', 'parser');
  const walk = (dir: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of names) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        h.update(path.relative(parserDir, p)).update('\0');
        try {
          h.update(fs.readFileSync(p));
        } catch {
          /* unreadable: the name alone */
        }
      }
    }
  };
  walk(parserDir);
  try {
    const req = createRequire(import.meta.url);
    h.update(String((req('tree-sitter-go/package.json') as { version?: string }).version));
  } catch {
    /* not resolvable: the parser files still count */
  }
  return (codeHash = h.digest('hex').slice(0, 12));
}
