import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity } from '../../engine/types.js';
import type { Reporter } from './types.js';
import { compactPlatforms, errorLocation, findingsSummary, plural, targetList } from './util.js';

const PAINT: Record<Severity, (c: ChalkInstance, s: string) => string> = {
  error: (c, s) => c.red(s),
  warning: (c, s) => c.yellow(s),
  info: (c, s) => c.cyan(s),
};

/** Keeps the one-line-per-finding promise (grep, editors' quickfix) if a message has a line break. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ');
}

/**
 * go vet style, one line per finding:
 *
 *     file:line:col: message [rule] (platforms)
 *         note: file:line:col: message
 *         suggestion: text
 *
 * then run errors as `file: error: message` and a summary line. Prints nothing for a clean run.
 * Columns are UTF-8 bytes, as go vet prints them.
 */
export const textReporter: Reporter = {
  format: 'text',
  extension: 'txt',
  render(run, _rules, opts) {
    if (run.findings.length === 0 && run.errors.length === 0) return '';
    // Level 1 (16 colours) when asked, 0 otherwise: never chalk's own terminal detection.
    const c = new Chalk({ level: opts.color ? 1 : 0 });
    const targets = targetList(opts.targets, run.platforms);
    const out: string[] = [];
    for (const f of run.findings) {
      const plats = compactPlatforms(f.platforms, targets).join(', ');
      out.push(
        `${c.bold(`${f.file}:${f.line}:${f.column}:`)} ${oneLine(f.message)} ${PAINT[f.severity](c, `[${f.rule}]`)} ${c.dim(`(${plats})`)}`,
      );
      for (const r of f.related ?? []) out.push(c.dim(`    note: ${r.file}:${r.line}:${r.column}: ${oneLine(r.message)}`));
      if (f.suggestion !== undefined) out.push(c.dim(`    suggestion: ${oneLine(f.suggestion)}`));
    }
    for (const e of run.errors) out.push(`${c.bold(`${errorLocation(e)}:`)} ${c.red('error:')} ${oneLine(e.message)}`);
    let summary = findingsSummary(run.findings);
    if (run.errors.length > 0) summary += `; ${plural(run.errors.length, 'analysis error')}`;
    out.push(c.bold(summary));
    return `${out.join('\n')}\n`;
  },
};
