/**
 * Fixes that findings carry (Finding.fix): byte offsets for their edits, and applying them to files.
 * Used by the reporters' callers (src/cli/check-command.ts) and by `goport fix`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding, FixEdit } from '../engine/types.js';

/** Byte offset of every line start of a file's content. */
function lineStarts(buf: Buffer): number[] {
  const out = [0];
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0x0a) out.push(i + 1);
  return out;
}

/**
 * Fills `start`/`end` (byte offsets) of every fix edit from the files' bytes, and the text of edits
 * that copy the file's own text; a fix with an edit outside its file is dropped (the file changed
 * since it was analyzed). Returns new findings.
 */
export function resolveFixOffsets(findings: readonly Finding[], read: (file: string) => Buffer | undefined): Finding[] {
  const starts = new Map<string, { buf: Buffer; starts: number[] } | undefined>();
  const info = (file: string) => {
    if (!starts.has(file)) {
      const buf = read(file);
      starts.set(file, buf && { buf, starts: lineStarts(buf) });
    }
    return starts.get(file);
  };
  const offset = (file: string, line: number, column: number): number | undefined => {
    const i = info(file);
    const ls = i?.starts[line - 1];
    if (i === undefined || ls === undefined) return undefined;
    const next = i.starts[line] ?? i.buf.length + 1;
    const o = ls + column - 1;
    return o <= next - 1 ? o : undefined;
  };
  return findings.map((f) => {
    if (!f.fix) return f;
    const edits: FixEdit[] = [];
    for (const e of f.fix.edits) {
      const start = offset(e.file, e.line, e.column);
      const end = offset(e.file, e.endLine, e.endColumn);
      if (start === undefined || end === undefined || end < start) {
        const { fix: _dropped, ...rest } = f;
        return rest;
      }
      if (e.copy) {
        const [cl, cc, cel, cec] = e.copy;
        const from = offset(e.file, cl, cc);
        const to = offset(e.file, cel, cec);
        if (from === undefined || to === undefined || to < from) {
          const { fix: _dropped, ...rest } = f;
          return rest;
        }
        const { copy: _copy, ...plain } = e;
        edits.push({ ...plain, text: info(e.file)!.buf.subarray(from, to).toString('utf8'), start, end });
        continue;
      }
      edits.push({ ...e, start, end });
    }
    return { ...f, fix: { description: f.fix.description, edits } };
  });
}

export interface AppliedFixes {
  /** Findings whose fix was applied. */
  applied: number;
  /** Findings whose fix overlapped one applied before it (in report order): left for the next run. */
  conflicting: number;
  /** Files written, sorted. */
  files: string[];
}

/**
 * Applies the fixes of `findings` (in their order; a fix overlapping an accepted one is skipped
 * whole) to the files under `cwd`. Edits of one file are applied from its end, so offsets stay valid.
 */
export function applyFixes(findings: readonly Finding[], cwd: string): AppliedFixes {
  const byFile = new Map<string, FixEdit[]>();
  let applied = 0;
  let conflicting = 0;
  const overlaps = (a: FixEdit, b: FixEdit) => a.start! < b.end! && b.start! < a.end! || (a.start === b.start && a.end === b.end);
  for (const f of findings) {
    const edits = f.fix?.edits;
    if (!edits || edits.length === 0 || edits.some((e) => e.start === undefined || e.end === undefined)) continue;
    if (edits.some((e) => (byFile.get(e.file) ?? []).some((o) => overlaps(o, e)))) {
      conflicting++;
      continue;
    }
    for (const e of edits) {
      const l = byFile.get(e.file);
      if (l) l.push(e);
      else byFile.set(e.file, [e]);
    }
    applied++;
  }
  const files = [...byFile.keys()].sort();
  for (const file of files) {
    const abs = path.resolve(cwd, file);
    let buf = fs.readFileSync(abs);
    const edits = [...byFile.get(file)!].sort((a, b) => b.start! - a.start! || b.end! - a.end!);
    for (const e of edits) buf = Buffer.concat([buf.subarray(0, e.start!), Buffer.from(e.text, 'utf8'), buf.subarray(e.end!)]);
    fs.writeFileSync(abs, buf);
  }
  return { applied, conflicting, files };
}
