/** go.mod and vendor/modules.txt, read as far as goport needs them. */
import fs from 'node:fs';
import path from 'node:path';

export interface Replace {
  oldPath: string;
  oldVersion?: string;
  newPath: string;
  newVersion?: string;
}

export interface GoMod {
  module: string | null;
  /** The `go` line, e.g. "1.21" or "1.22.3". */
  go: string | null;
  /** The `toolchain` line, e.g. "go1.22.3" (Go 1.21 and later). */
  toolchain: string | null;
  requires: { path: string; version: string }[];
  replaces: Replace[];
}

function unquote(s: string): string {
  s = s.trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith('`') && s.endsWith('`'))) return s.slice(1, -1);
  return s;
}

function stripComment(line: string): string {
  const i = line.indexOf('//');
  return i >= 0 ? line.slice(0, i) : line;
}

function words(line: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(unquote(m[0]));
  return out;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: null, go: null, toolchain: null, requires: [], replaces: [] };
  let block: string | null = null;
  const handle = (verb: string, args: string[]) => {
    switch (verb) {
      case 'module':
        if (args[0]) mod.module = args[0];
        break;
      case 'go':
        if (args[0]) mod.go = args[0];
        break;
      case 'toolchain':
        if (args[0]) mod.toolchain = args[0];
        break;
      case 'require':
        if (args.length >= 2) mod.requires.push({ path: args[0]!, version: args[1]! });
        break;
      case 'replace': {
        const arrow = args.indexOf('=>');
        if (arrow < 1) break;
        const left = args.slice(0, arrow);
        const right = args.slice(arrow + 1);
        if (right.length === 0) break;
        const r: Replace = { oldPath: left[0]!, newPath: right[0]! };
        if (left[1]) r.oldVersion = left[1];
        if (right[1]) r.newVersion = right[1];
        mod.replaces.push(r);
        break;
      }
      default:
        break;
    }
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    if (block !== null) {
      if (line === ')') {
        block = null;
        continue;
      }
      handle(block, words(line));
      continue;
    }
    const w = words(line);
    const verb = w[0]!;
    if (w[1] === '(' && w.length === 2) {
      block = verb;
      continue;
    }
    handle(verb, w.slice(1));
  }
  return mod;
}

/**
 * The module file of a directory: its go.mod, or, where there is none, its vendor.mod: the
 * convention of moby and docker/cli, which keep their requirements in vendor.mod (no go.mod, so
 * no semantic-import-version rules for their CalVer tags) and build with it copied to go.mod.
 * Null when the directory has neither.
 */
export function readModuleFile(dir: string): { file: string; text: string } | null {
  for (const name of ['go.mod', 'vendor.mod']) {
    const file = path.join(dir, name);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch {
      /* not here */
    }
  }
  return null;
}

export interface VendoredModule {
  path: string;
  version: string;
  /** `=> replacement` when the module is replaced. */
  replacement?: string;
  packages: string[];
  explicit: boolean;
}

/** vendor/modules.txt: `# module version [=> replacement]`, `## explicit`, then package lines. */
export function parseModulesTxt(text: string): VendoredModule[] {
  const out: VendoredModule[] = [];
  let cur: VendoredModule | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('# ')) {
      const w = line.slice(2).trim().split(/\s+/);
      const arrow = w.indexOf('=>');
      cur = { path: w[0]!, version: arrow === 1 ? '' : (w[1] ?? ''), packages: [], explicit: false };
      if (arrow >= 0) cur.replacement = w.slice(arrow + 1).join(' ');
      out.push(cur);
      continue;
    }
    if (line.startsWith('##')) {
      if (cur && /\bexplicit\b/.test(line)) cur.explicit = true;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (cur) cur.packages.push(line);
  }
  return out;
}

/** "1.22.3" → 22; null when absent or not go1.x. */
export function goMinorOf(version: string | null | undefined): number | null {
  if (!version) return null;
  const m = /^(?:go)?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : null;
}
