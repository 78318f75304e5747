import type { Finding, RunError } from '../../engine/types.js';
import { splitPosition } from '../positions.js';
import type { Reporter } from './types.js';
import { compactPlatforms, targetList, xmlEscape } from './util.js';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checkstyle XML (reviewdog, Jenkins warnings-ng...): files sorted by path, entries by line and column, `source="goport.<rule>"`. Run errors with a file appear under that file with source
 * `goport`. Columns are UTF-8 bytes, as in goport's own positions.
 */
export const checkstyleReporter: Reporter = {
  format: 'checkstyle',
  extension: 'xml',
  render(run, _rules, opts) {
    const targets = targetList(opts.targets, run.platforms);
    // Per file: [line, column, xml]; run errors without a line sort first.
    const files = new Map<string, [number, number, string][]>();
    const add = (file: string, line: number, column: number, xml: string) => {
      const l = files.get(file);
      if (l) l.push([line, column, xml]);
      else files.set(file, [[line, column, xml]]);
    };
    for (const e of run.errors as RunError[]) {
      if (e.file === '') continue;
      const p = splitPosition(e.file);
      const pos = p.line === undefined ? '' : ` line="${p.line}"${p.column === undefined ? '' : ` column="${p.column}"`}`;
      add(p.path, p.line ?? 0, p.column ?? 0, `    <error${pos} severity="error" message="${xmlEscape(e.message)}" source="goport"/>`);
    }
    for (const f of run.findings as Finding[]) {
      const msg = `${f.message} (${compactPlatforms(f.platforms, targets).join(', ')})`;
      add(
        f.file,
        f.line,
        f.column,
        `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${xmlEscape(msg)}" source="goport.${xmlEscape(f.rule)}"/>`,
      );
    }
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
    for (const file of [...files.keys()].sort(cmp)) {
      // Stable sort: same position keeps insertion order (errors, then findings in sorted order).
      const entries = files.get(file)!.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      out.push(`  <file name="${xmlEscape(file)}">`, ...entries.map((e) => e[2]), '  </file>');
    }
    out.push('</checkstyle>');
    return `${out.join('\n')}\n`;
  },
};
