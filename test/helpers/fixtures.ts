/**
 * The generic fixture runner's parts: `// want` expectation parsing and matching.
 * Grammar: // want [+N] <rule> "<platform globs>" [`message regexp`]   (repeatable on one line)
 */
import fs from 'node:fs';
import path from 'node:path';
import { matchPlatformGlobs } from '../../src/platform/targets.js';
import type { Finding } from '../../src/engine/types.js';

export interface Want {
  file: string;
  line: number;
  rule: string;
  globs: string;
  message?: RegExp;
  source: string;
}

const WANT_RE = /\/\/\s*want\s+(.*)$/;
const ITEM_RE = /^\s*(?:\+(\d+)\s+)?([a-z0-9-]+)\s+"([^"]*)"(?:\s+`([^`]*)`)?/;

export function parseWants(file: string, text: string): Want[] {
  const out: Want[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = WANT_RE.exec(lineText);
    if (!m) return;
    let rest = m[1]!;
    for (;;) {
      const it = ITEM_RE.exec(rest);
      if (!it) break;
      const w: Want = { file, line: i + 1 + (it[1] ? Number(it[1]) : 0), rule: it[2]!, globs: it[3]!, source: `${file}:${i + 1}` };
      if (it[4] !== undefined) w.message = new RegExp(it[4]);
      out.push(w);
      rest = rest.slice(it[0].length);
    }
    if (rest.trim() !== '') throw new Error(`${file}:${i + 1}: malformed want comment near: ${rest.trim()}`);
  });
  return out;
}

export function collectWants(dir: string): Want[] {
  const out: Want[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.go')) out.push(...parseWants(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8')));
    }
  };
  walk(dir);
  return out;
}

/** Expands globs over the targets: the exact platform set a want expects. */
export function expandGlobs(globs: string, targets: readonly string[]): string[] {
  return targets.filter((t) => matchPlatformGlobs(globs, t));
}

export interface MatchResult {
  unexpected: string[];
  unmet: string[];
}

export function matchFindings(findings: readonly Finding[], wants: readonly Want[], targets: readonly string[]): MatchResult {
  const left = [...wants];
  const unexpected: string[] = [];
  for (const f of findings) {
    const i = left.findIndex(
      (w) =>
        w.file === f.file &&
        w.line === f.line &&
        w.rule === f.rule &&
        sameSet(expandGlobs(w.globs, targets), f.platforms) &&
        (!w.message || w.message.test(f.message)),
    );
    if (i >= 0) left.splice(i, 1);
    else unexpected.push(`${f.file}:${f.line}:${f.column}: ${f.rule} "${f.platforms.join(',')}" ${f.message}`);
  }
  return {
    unexpected: unexpected.sort(),
    unmet: left.map((w) => `${w.file}:${w.line}: want ${w.rule} "${w.globs}" → ${expandGlobs(w.globs, targets).join(',')}${w.message ? ` \`${w.message.source}\`` : ''} (from ${w.source})`).sort(),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
