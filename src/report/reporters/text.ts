import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../../engine/types.js';
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

/** Uses of a cause printed under it; the rest are counted. */
export const GROUP_SHOWN_USES = 3;

/**
 * go vet style, one line per finding:
 *
 *     file:line:col: message [rule] (platforms)
 *         note: file:line:col: message
 *         suggestion: text
 *         fix: what `goport fix` would do (goport fix applies it)
 *
 * Findings that share a cause (gated-symbol, platform-syscall: one missing declaration) are printed
 * once, with the first uses under it and a count of the others, unless `group` is `none`:
 *
 *     cause [rule] (platforms): N uses
 *         file:line:col
 *         … and N-3 more (--group none lists every use)
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
    const notes = (f: Finding) => {
      for (const r of f.related ?? []) out.push(c.dim(`    note: ${r.file}:${r.line}:${r.column}: ${oneLine(r.message)}`));
      if (f.suggestion !== undefined) out.push(c.dim(`    suggestion: ${oneLine(f.suggestion)}`));
      if (f.fix !== undefined) out.push(c.dim(`    fix: ${oneLine(f.fix.description)} (goport fix applies it)`));
    };
    const groups = new Map<string, Finding[]>();
    if (opts.group !== 'none') {
      for (const f of run.findings) if (f.cause) groups.set(f.cause.id, [...(groups.get(f.cause.id) ?? []), f]);
    }
    const printed = new Set<string>();
    for (const f of run.findings) {
      const plats = compactPlatforms(f.platforms, targets).join(', ');
      const group = f.cause ? groups.get(f.cause.id) : undefined;
      if (group && group.length > 1) {
        if (printed.has(f.cause!.id)) continue;
        printed.add(f.cause!.id);
        out.push(`${c.bold(oneLine(f.cause!.title))} ${PAINT[f.severity](c, `[${f.rule}]`)} ${c.dim(`(${plats})`)}: ${group.length} uses`);
        for (const u of group.slice(0, GROUP_SHOWN_USES)) {
          out.push(`    ${u.file}:${u.line}:${u.column}${u.message === f.cause!.title ? '' : `: ${oneLine(u.message)}`}`);
        }
        if (group.length > GROUP_SHOWN_USES) out.push(c.dim(`    … and ${group.length - GROUP_SHOWN_USES} more (--group none lists every use)`));
        notes(f);
        continue;
      }
      out.push(
        `${c.bold(`${f.file}:${f.line}:${f.column}:`)} ${oneLine(f.message)} ${PAINT[f.severity](c, `[${f.rule}]`)} ${c.dim(`(${plats})`)}`,
      );
      notes(f);
    }
    for (const e of run.errors) out.push(`${c.bold(`${errorLocation(e)}:`)} ${c.red('error:')} ${oneLine(e.message)}`);
    let summary = findingsSummary(run.findings);
    const grouped = [...groups.values()].filter((g) => g.length > 1);
    if (grouped.length > 0) summary += `; ${plural(grouped.reduce((n, g) => n + g.length, 0), 'use')} of ${plural(grouped.length, 'shared cause')} grouped`;
    if (run.errors.length > 0) summary += `; ${plural(run.errors.length, 'analysis error')}`;
    out.push(c.bold(summary));
    return `${out.join('\n')}\n`;
  },
};
